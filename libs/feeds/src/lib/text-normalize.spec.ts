import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from './parse-document';
import { contentHash, paperKey, titleKey } from './paper-identity';
import { normalizeText } from './text-normalize';

describe('normalizeText', () => {
  it('collapses whitespace and applies NFC', () => {
    expect(normalizeText('  A\n  title\twith   spaces ')).toBe('A title with spaces');
    expect(normalizeText('Ro\u0308glin')).toBe('R\u00f6glin');
  });

  it('turns simple LaTeX into text', () => {
    expect(normalizeText('improves by 1.9\\% over \\emph{strong} and \\textbf{bold} baselines')).toBe(
      'improves by 1.9% over strong and bold baselines',
    );
    expect(normalizeText('a $3\\times$ speedup with $\\sim$10 GPUs and $\\alpha=0.5$')).toBe('a 3× speedup with ~10 GPUs and α=0.5');
    expect(normalizeText('breakup of $^{11}$Be')).toBe('breakup of ^11Be');
    expect(normalizeText('pages 1--2 --- or so, see Fig.~3 and {\\em this}')).toBe('pages 1–2 — or so, see Fig. 3 and this');
    expect(normalizeText('``quoted\'\' text, \\eg this')).toBe('"quoted" text, e.g. this');
  });

  it('keeps dollar amounts and a leading ~ (about) as they are', () => {
    expect(normalizeText('costs $5 and $10 per run')).toBe('costs $5 and $10 per run');
    expect(normalizeText('with ~10x fewer steps')).toBe('with ~10x fewer steps');
  });

  it('does not look commands up on Object.prototype', () => {
    expect(normalizeText('\\constructor and $\\toString$ and \\__proto__')).toBe('\\constructor and toString and __proto__');
  });

  it('removes control characters and replaces lone surrogates', () => {
    expect(normalizeText('a\u0000b\u0007c \ud800 d')).toBe('abc \ufffd d');
  });

  it('strips bidi controls and other invisible format characters, keeping ZWJ/ZWNJ', () => {
    // Trojan-source style override: what a reader sees would be "Invoice exe.pdf".
    expect(normalizeText('Invoice\u202Efdp.exe\u202C')).toBe('Invoicefdp.exe');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
      '\u200E', '\u200F', '\u061C', '\u00AD', '\u2060', '\u2063', '\u206A', '\u180E', '\uFFF9', '\u{E0041}', '\u{E007F}']) {
      expect(normalizeText(`a${c}b`)).toBe('ab');
      expect(normalizeText(`a ${c} b`, { latex: false })).toBe('a b');
    }
    expect(normalizeText('\u2067\u05E9\u05DC\u05D5\u05DD\u2069 world')).toBe('\u05E9\u05DC\u05D5\u05DD world');
    // Joiners carry meaning in Persian, Indic scripts and emoji sequences.
    expect(normalizeText('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBe('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645');
    expect(normalizeText('\u{1F469}\u200D\u{1F52C} lab')).toBe('\u{1F469}\u200D\u{1F52C} lab');
  });

  it('with latex: false only collapses whitespace and applies NFC', () => {
    expect(normalizeText('1.9\\%  gain -- {\\em x}', { latex: false })).toBe('1.9\\% gain -- {\\em x}');
  });

  it('is idempotent on hand-picked, generated LaTeX-ish and real fixture text', () => {
    const samples = ['1.9\\% --- $\\times$ ``x\'\'', 'costs \\$5 and \\$10', 'Fig.~1 ~5', '$a$$b$ $$c$$', '$$$h$$$', '\\\\$x$'];
    for (const s of samples) expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
    const piece = fc.constantFrom(
      '$', '$$', '\\', '\\\\', '{', '}', '~', '-', '---', '`', "'", ' ', '\n', 'a', '1', '%', '^', '_', '.', 'Fig.~',
      '\\times', '\\%', '\\$', '{\\em ', '\\emph{', '\\url{', '\\href{', '}{', 'http://x.y', '(', ')', 'eg', '\u202E', '\u2066', '\u200F', '\u00AD', '\u{E0041}', '\u200B',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const once = normalizeText(parts.join(''));
        return normalizeText(once) === once;
      }),
      { numRuns: 3000 },
    );
    // What `remember` keeps is a true fixpoint: recomputed (`remember` skips the look-up), it comes out unchanged.
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const once = normalizeText(parts.join(''), { remember: true });
        return normalizeText(once, { remember: true }) === once && normalizeText(once) === once;
      }),
      { numRuns: 3000 },
    );
    const root = join(__dirname, '..', '..', 'fixtures', 'ok');
    let checked = 0;
    for (const dir of readdirSync(root)) {
      for (const file of readdirSync(join(root, dir)).filter((f) => !f.endsWith('.md'))) {
        let papers;
        try {
          papers = parseDocument({ body: readFileSync(join(root, dir, file)) }).papers;
        } catch {
          continue; // error fixtures
        }
        for (const p of papers) {
          // `remember` recomputes (no look-up of the fixpoints the parser just remembered), so this checks them.
          for (const text of [p.title, p.abstract]) {
            const once = normalizeText(text, { remember: true });
            expect(normalizeText(once, { remember: true })).toBe(once);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(20 + 10 + 9 + 6 + 1 + 46 + 1 + 30 + 5 + 13 + 60);
  });
});

describe('paperKey / contentHash', () => {
  it('prefers the arXiv id, then the DOI, then a title key', () => {
    expect(paperKey({ externalIds: { arxiv: '2401.00001', doi: '10.1/X' }, title: 'T' })).toBe('arxiv:2401.00001');
    expect(paperKey({ externalIds: { doi: '10.1103/PhysRevB.71.184511' }, title: 'T' })).toBe('doi:10.1103/physrevb.71.184511');
    expect(paperKey({ externalIds: {}, title: 'The  Llama 3 Herd of Models!' })).toBe('title:the-llama-3-herd-of-models');
  });

  it('gives the same title key across accents, case, punctuation and LaTeX', () => {
    expect(titleKey('Röglin: a \\emph{Study}')).toBe(titleKey('ROGLIN A STUDY'));
    expect(paperKey({ externalIds: {}, title: '!!!' })).toMatch(/^title:#[0-9a-f]{16}$/);
  });

  it('hashes normalised text: raw and normalised inputs agree, a changed abstract does not', () => {
    const h = contentHash('A  title', 'Gains of 5\\% --- big.');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash('A title', 'Gains of 5% — big.')).toBe(h);
    expect(contentHash('A title', 'Gains of 6% — big.')).not.toBe(h);
    expect(contentHash('A title x', 'Gains of 5% — big.')).not.toBe(h);
  });
});
