import { gluedToName, isNotAQuantity } from './filters';
import { APPROX_SIGN_END_RE, approxSignAsAbout } from './kind';
import { endsWithSign, tokenize, wordBefore } from './numbers';
import type { Unit } from './units';

// The hand scans and cheap tests that stand in for a regex on the hot path must read exactly what the regex reads.

/** wordBefore's definition: the regex it replaced, run on the 24 characters before `pos`. */
const wordBeforeByRegex = (text: string, pos: number): string =>
  /([\p{L}\p{N}@.-]+)\s?$/u.exec(text.slice(Math.max(0, pos - 24), pos))?.[1] ?? '';

/** A small deterministic generator (the specs must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('wordBefore, a scan for ([\\p{L}\\p{N}@.-]+)\\s?$', () => {
  it('reads the word before a number', () => {
    expect(wordBefore('trained Llama 3 on', 14)).toBe('Llama');
    expect(wordBefore('see Fig. 4', 9)).toBe('Fig.');
    expect(wordBefore('GPT-4o', 4)).toBe('GPT-');
    expect(wordBefore('a  5', 3)).toBe('');
    expect(wordBefore('(n=5', 3)).toBe('');
    expect(wordBefore('x'.repeat(30) + ' 7', 31)).toBe('x'.repeat(23));
  });

  it('agrees with the regex after every UTF-16 code unit, alone, after a word and before one space', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`${ch}`, `ab${ch}`, `ab${ch} `, `${ch}cd `, `\ud835${ch}`, `${ch}\udc00`]) {
        const got = wordBefore(text, text.length);
        const want = wordBeforeByRegex(text, text.length);
        if (got !== want) expect([c, text, got]).toEqual([c, text, want]);
      }
    }
  });

  it('agrees with the regex on random strings of letters, digits, marks, spaces and surrogates (fixed seed)', () => {
    const alphabet = ['a', 'Z', '9', '@', '.', '-', '_', ' ', '\u00a0', '\n', '(', 'é', '٣', '𝐀', '\ud835', '\udc00', 'Ⅻ', '、'];
    const rand = lcg(20);
    for (let k = 0; k < 20000; k++) {
      let text = '';
      for (let n = Math.floor(rand() * 36); n > 0; n--) text += alphabet[Math.floor(rand() * alphabet.length)];
      const pos = Math.floor(rand() * (text.length + 1));
      const got = wordBefore(text, pos);
      const want = wordBeforeByRegex(text, pos);
      if (got !== want) expect([text, pos, got]).toEqual([text, pos, want]);
    }
  });
});

describe('approxSignAsAbout, the last-character test before APPROX_SIGN_END_RE', () => {
  it('reads "about" for each approximation sign, before any white space', () => {
    expect(approxSignAsAbout('by ~')).toBe('by about ');
    expect(approxSignAsAbout('by $\\sim$ ')).toBe('by about ');
    expect(approxSignAsAbout('by 5')).toBe('by 5');
  });

  it('gives what the unguarded replace gives after every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [`by ~${ch}`, `by $\\sim$${ch}`, `by \\sim${ch}`, `by ${ch}`, `≈${ch}${ch}`]) {
        const want = s.replace(APPROX_SIGN_END_RE, ' about ');
        if (approxSignAsAbout(s) !== want) expect([c, approxSignAsAbout(s)]).toEqual([c, want]);
        // the same guard stands before the "{" of LaTeX formatting and the "$" of math
        if (/\{\s*$/.test(s)) expect(endsWithSign(s, '{', false)).toBe(true);
      }
    }
  });
});

describe('gluedToName, the test readClaim makes before reading a unit', () => {
  const units: Array<Unit | null> = [
    null,
    { unit: '%', text: '%', factor: 1, unitText: null },
    { unit: 'x', text: '', factor: 1, unitText: null },
    { unit: 'params', text: 'B', factor: 1e9, unitText: null },
    { unit: 'count', text: ' tasks', factor: 1, unitText: null, noun: 'tasks' },
  ];

  it('holds for a number glued to a name, and then isNotAQuantity rejects it whatever its unit', () => {
    for (const text of ['Llama2 7B', 'GPT-4o', 'pass@1 of', 'x^2', 'issue #3', 'v1.2.3', 'ImageNet-1K', 'a_3']) {
      const tok = tokenize(text).find((t) => !t.isWord && t.start > 0)!;
      expect([text, gluedToName(text, tok)]).toEqual([text, true]);
      for (const unit of units)
        expect([text, unit, isNotAQuantity(text, tok, unit, text.slice(tok.start, tok.end))]).toEqual([text, unit, true]);
    }
  });

  it('does not hold for a number after a space, a parenthesis or a LaTeX multiplier sign', () => {
    for (const text of ['by 5%', '(12 tasks)', '$\\times5.04$', 'accuracy of 0.81']) {
      const tok = tokenize(text).find((t) => !t.isWord)!;
      expect([text, gluedToName(text, tok)]).toEqual([text, false]);
    }
    // "$\times5.04$": the sign is a multiplier only when readUnit read it as one
    const text = '$\\times5.04$';
    const tok = tokenize(text)[0];
    expect(isNotAQuantity(text, tok, { unit: 'x', text: '', factor: 1, unitText: null }, '5.04')).toBe(false);
    expect(isNotAQuantity(text, tok, null, '5.04')).toBe(true);
  });

  it('reads nothing before the text: a number opening it, or one character in, is glued only to what is there', () => {
    for (const [text, glued] of [
      ['3 tasks', false],
      ['-3 points', false],
      ['.5 points', false],
      ['a-3', true],
      ['x.5', true],
      ['#3', true],
    ] as const) {
      const tok = tokenize(text).find((t) => !t.isWord)!;
      expect([text, gluedToName(text, tok)]).toEqual([text, glued]);
    }
    // (and endsWithSign, on a slice with nothing but spaces or nothing at all)
    for (const s of ['', ' ', '\t '])
      for (const dollar of [true, false]) expect([s, dollar, endsWithSign(s, '=:$', dollar)]).toEqual([s, dollar, false]);
  });
});
