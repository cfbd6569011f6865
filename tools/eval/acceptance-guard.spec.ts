// The acceptance material stays out of the extractor and the classifier (acceptance-guard.ts): no tracked file under
// libs/metrics, libs/classification, tools/eval, tools/train, data/metrics or data/classification shares a run of ten
// words with an abstract of the bundled Daily Papers capture, nor (when ../shared/eval-public is there) with one of
// guibanzato_arxiv_4class_balanced_800.csv. A failure names the file and the shared words: replace the quote with a
// sentence of your own, and drop a rule that only the acceptance material motivated.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsvRecords } from '@paperwire/classification';
import { parseDocument } from '@paperwire/feeds';
import { guardedFiles, indexRuns, quotingFiles, sharedRuns, words } from './acceptance-guard';

const ROOT = resolve(__dirname, '..', '..');
const CAPTURE = join(ROOT, 'data', 'sample', 'daily-papers-sep-1.txt');
// ../shared next to the main checkout, or next to the folder of worktrees
const GUIBANZATO =
  [join(ROOT, '..'), join(ROOT, '..', '..')]
    .map((d) => join(d, 'shared', 'eval-public', 'arxiv-abstracts', 'guibanzato_arxiv_4class_balanced_800.csv'))
    .find((f) => existsSync(f)) ?? '';

const report = (hits: Map<string, Array<{ run: string }>>): string[] =>
  [...hits].map(([f, runs]) => `${f}: ${runs.map((r) => `"${r.run}"`).join('; ')}`);

describe('acceptance material guard', () => {
  const abstracts = parseDocument({
    body: readFileSync(CAPTURE),
    fileName: 'daily-papers-sep-1.txt',
    fetchedAt: '2026-12-07T00:00:00Z',
  }).papers.map((p) => p.abstract);
  const capture = indexRuns(abstracts);

  it('reads the capture\'s abstracts and the guarded files', () => {
    expect(abstracts.length).toBeGreaterThanOrEqual(50);
    expect(capture.runs.size).toBeGreaterThan(5000);
    const files = guardedFiles(ROOT);
    expect(files).toEqual(expect.arrayContaining(['libs/metrics/src/rivals.ts', 'data/metrics/labels/GUIDE.md']));
    expect(files.some((f) => f.startsWith('data/sample/'))).toBe(false);
  });

  it('finds a quote, its normalised form, nothing shorter than ten words and no stock wording', () => {
    const ws = words(abstracts[3]);
    const quote = ws.slice(5, 15).join(' ');
    expect(sharedRuns(capture, `// e.g. "${quote.toUpperCase()}."`)).toEqual([{ run: quote, source: 3 }]);
    expect(sharedRuns(capture, `"${ws.slice(5, 14).join(' ')}" and then "${ws.slice(20, 29).join(' ')}"`)).toEqual([]);
    const stock = indexRuns(['Results show that our method outperforms current state of the art on all tasks.']);
    expect(sharedRuns(stock, 'Experiments show that our method outperforms current state of the art baselines.')).toEqual([]);
    expect(sharedRuns(stock, 'Results show that our method outperforms current state of the art on all tasks.')).toEqual([]);
  });

  it('no guarded file shares a ten-word run with the Daily Papers capture', () => {
    expect(report(quotingFiles(ROOT, capture))).toEqual([]);
  }, 60_000);

  const csv = GUIBANZATO ? it : it.skip;
  csv('no guarded file shares a ten-word run with guibanzato_arxiv_4class_balanced_800.csv (if present)', () => {
    const rows = parseCsvRecords(readFileSync(GUIBANZATO, 'utf8'));
    expect(rows.length).toBeGreaterThan(700);
    const index = indexRuns(rows.map((r) => r.summary ?? ''));
    // (800 abstracts of 2024 share single runs of stock phrasing with unrelated abstracts, "large language models llms
    // and vision language models vlms have": a file quotes one when it shares three different runs with it)
    const quoted = new Map<string, Array<{ run: string }>>();
    for (const [f, runs] of quotingFiles(ROOT, index, undefined, Infinity)) {
      const bySource = new Map<number, Set<string>>();
      for (const r of runs) bySource.set(r.source, (bySource.get(r.source) ?? new Set()).add(r.run));
      const leaked = [...bySource].filter(([, rs]) => rs.size >= 3);
      if (leaked.length > 0) quoted.set(f, leaked.map(([, rs]) => ({ run: [...rs].join(' / ') })));
    }
    expect(report(quoted)).toEqual([]);
  }, 60_000);
});
