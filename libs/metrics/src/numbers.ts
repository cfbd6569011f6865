// Phase 1 of extraction — tokenising: number tokens (digit runs with separators and decimals, number words
// and their compounds) and the small text helpers every later phase uses.

import { WORD_NUMBERS } from './lexicon';

// A number token: digits with thousands separators (also LaTeX's "56{,}340") or a decimal part, or a number word (also the "three" of
// "threefold", whose "fold" the unit then reads, and the "an" of "an order of magnitude").
export const WORD_NUMBER_ALT = Object.keys(WORD_NUMBERS).join('|');
export const TOKEN_RE = new RegExp(
  `(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?![\\d,]\\d)|\\d{1,3}(?:\\{,\\}\\d{3})+(?:\\.\\d+)?(?!\\d)|(?<![\\d.,]|\\d )\\d{1,3}(?: \\d{3})+(?=\\s[a-z])|\\d+(?:\\.\\d+)*|\\.\\d+)|\\b(twice|thrice|an?(?=\\s+order of magnitude\\b)|(?:${WORD_NUMBER_ALT})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)(?:\\b|(?=fold\\b))`,
  'gi',
);

export interface NumberToken {
  start: number;
  end: number;
  value: number;
  isWord: boolean;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function parseDigits(raw: string): number {
  // (a cheap test first: most numbers have no separator to drop, and "{,}" holds a comma)
  return Number(raw.includes(',') || raw.includes(' ') ? raw.replace(/\{,\}|[, ]/g, '') : raw);
}

export function wordValue(raw: string): number {
  const lower = raw.toLowerCase();
  if (lower === 'twice') return 2;
  if (lower === 'thrice') return 3;
  // "an order of magnitude": one order (the tokenizer takes "a"/"an" only there)
  if (lower === 'a' || lower === 'an') return 1;
  // (the first two parts between hyphens, as split('-') gives them, without the array)
  const dash = lower.indexOf('-');
  const tens = dash < 0 ? lower : lower.slice(0, dash);
  const rest = dash < 0 ? undefined : lower.slice(dash + 1);
  const ones = rest === undefined || !rest.includes('-') ? rest : rest.slice(0, rest.indexOf('-'));
  return (WORD_NUMBERS[tens] ?? 0) + (ones ? (WORD_NUMBERS[ones] ?? 0) : 0);
}

// "one hundred", "two hundred and fifty", "twenty-five thousand", "one hundred thousand", "three million":
// number words joined by spaces, hyphens or "and" after a hundred/thousand are one number
export const WORD_PART_RE = new RegExp(
  `(?:\\s+and\\s+|[\\s-]+)(hundred|thousand|million|billion|trillion|(?:${WORD_NUMBER_ALT})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\\b`,
  'iy',
);
export const WORD_SCALES: Readonly<Record<string, number>> = {
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
};

const TENS_WORDS = new Set(['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']);

export function compoundWordNumber(text: string, start: number, end: number, value: number): NumberToken {
  const first = text.slice(start, end).toLowerCase();
  if (first === 'twice' || first === 'thrice' || first === 'dozen')
    return { start, end, value, isWord: true };
  let total = 0;
  let current = value;
  let last = first; // the last word read: "and" may only follow hundred/thousand/million
  let pos = end;
  for (let n = 0; n < 6; n++) {
    const m = stickyMatch(WORD_PART_RE, text, pos);
    if (!m) break;
    const word = m[1].toLowerCase();
    const viaAnd = /\band\b/i.test(m[0]);
    if (viaAnd && !/^(?:hundred|thousand|million|billion|trillion)$/.test(last)) break;
    if (/\n/.test(m[0])) break;
    if (word === 'hundred') {
      if (current === 0 || current >= 100 || viaAnd) break;
      current *= 100;
    } else if (WORD_SCALES[word] !== undefined) {
      if (viaAnd) break;
      total += (current || 1) * WORD_SCALES[word];
      current = 0;
    } else {
      const v = wordValue(word);
      // metrics-1.15.0: "sixty four percent", "twenty one tasks": a ones word after a tens word, written with a space
      // instead of the hyphen, is one number (not after "and", not "twenty twenty-one")
      const tensThenOnes =
        !viaAnd && TENS_WORDS.has(last) && current % 10 === 0 && v >= 1 && v <= 9 && !word.includes('-');
      // "one hundred twenty", "one hundred and five": only a smaller part can follow
      if (
        !tensThenOnes &&
        (!(last === 'hundred' || WORD_SCALES[last] !== undefined) || v >= 100 || word === 'dozen')
      )
        break;
      current += v;
    }
    last = word;
    pos = m.index + m[0].length;
  }
  if (pos === end) return { start, end, value, isWord: true };
  return { start, end: pos, value: total + current, isWord: true };
}

export function stickyMatch(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

export function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /\p{L}/u.test(ch);
}
export function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/**
 * The UTF-16 code unit of `s` at `i`, or -1 out of bounds. For one-character tests in hot code: `s[i] === '('`
 * deoptimizes the compare when `s[i]` is a character above U+00FF (no internalised string), and a read out of bounds
 * deoptimizes the code that meets it.
 */
export const codeAt = (s: string, i: number): number => (i >= 0 && i < s.length ? s.charCodeAt(i) : -1);

const isSpaceCode = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));

/**
 * Whether `s` ends with one of the characters of `signs` followed by white space only, or (with `dollar`) by white
 * space, one "$" and white space: the cheap test an end-anchored "<name> = " regex needs to pass before it is worth
 * running (such a regex tries every start position of its slice).
 */
export function endsWithSign(s: string, signs: string, dollar: boolean): boolean {
  let i = s.length - 1;
  while (i >= 0 && isSpaceCode(s.charCodeAt(i))) i--;
  if (dollar && i >= 0 && s.charCodeAt(i) === 0x24 /* $ */) {
    i--;
    while (i >= 0 && isSpaceCode(s.charCodeAt(i))) i--;
  }
  return i >= 0 && signs.includes(s[i]);
}

/** The word that ends right before `pos` (skipping one space): the run of letters, digits, "@", "." and "-" there,
 * within 24 characters (what `([\p{L}\p{N}@.-]+)\s?$` finds; a scan: it runs for most number tokens). */
export function wordBefore(text: string, pos: number): string {
  const from = Math.max(0, pos - 24);
  const end = pos > from && isSpaceCode(text.charCodeAt(pos - 1)) ? pos - 1 : pos;
  let start = end;
  for (let n = wordCharEndingAt(text, from, start); n > 0; n = wordCharEndingAt(text, from, start)) start -= n;
  return text.slice(start, end);
}
const LETTER_OR_DIGIT_RE = /^[\p{L}\p{N}]$/u;
/** The length (1, 2 for a surrogate pair, 0 for none) of the word character of wordBefore ending at `i`, not before `from`. */
function wordCharEndingAt(text: string, from: number, i: number): number {
  if (i <= from) return 0;
  const c = text.charCodeAt(i - 1);
  if (c < 128)
    return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 64 || c === 46 || c === 45 ? 1 : 0;
  if (c >= 0xdc00 && c <= 0xdfff && i - 2 >= from) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return LETTER_OR_DIGIT_RE.test(text.slice(i - 2, i)) ? 2 : 0;
  }
  return LETTER_OR_DIGIT_RE.test(text[i - 1]) ? 1 : 0;
}

/** Words after `pos`, at most `n`, lowercase, punctuation stripped. */
export function wordsAfter(text: string, pos: number, n: number): string[] {
  const slice = text.slice(pos, pos + 80);
  const m = slice.match(/^\s+([^\s,.;:()[\]]+(?:\s+[^\s,.;:()[\]]+){0,6})/);
  if (!m) return [];
  return m[1]
    .split(/\s+/)
    .slice(0, n)
    .map((w) => w.toLowerCase());
}

/** Every number token of `text` in order: digit runs (with separators and decimals) and number words. */
export function tokenize(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const raw = m[0];
    if (m[1] !== undefined) {
      // digits glued to letters on the left (Llama2) are still tokens here; isNotAQuantity rejects them
      const tok: NumberToken = {
        start: m.index,
        end: m.index + raw.length,
        value: raw.startsWith('.') ? Number('0' + raw) : parseDigits(raw),
        isWord: false,
      };
      const power = powerOfTen(text, tok, raw);
      tokens.push(power ?? tok);
      if (power) TOKEN_RE.lastIndex = power.end;
    } else {
      const tok = compoundWordNumber(text, m.index, m.index + raw.length, wordValue(raw));
      tokens.push(tok);
      TOKEN_RE.lastIndex = tok.end;
    }
  }
  return tokens;
}

// metrics-1.15.0: "$10^{6}$ simulated games", "$1.08\\times 10^{5}$ non-tied games": a power of ten written in LaTeX
// math is one number, the exponent no token of its own (the closing "$" is read with it). Only inside math and with a
// positive exponent: a bare "2^10" stays a formula, "$10^{-4}$" a setting.
const POWER_AFTER_RE = /(?:\s*(?:\\times|×|\\cdot)\s*10)?\^\{?(\d{1,2})\}?(?:\s*\$)?/y;
function powerOfTen(text: string, tok: NumberToken, raw: string): NumberToken | null {
  const c = codeAt(text, tok.end);
  // a cheap test first: "^" right after the digits, or "\times 10^" / "× 10^" after them
  if (c !== 0x5e /* ^ */ && c !== 0x5c /* \\ */ && c !== 0x20 /* space */ && c !== 0xd7 /* × */) return null;
  const m = stickyMatch(POWER_AFTER_RE, text, tok.end);
  if (!m || (c === 0x5e && raw !== '10')) return null;
  if (!/\$\s*$/.test(text.slice(Math.max(0, tok.start - 3), tok.start))) return null;
  const exp = Math.pow(10, Number(m[1]));
  return {
    start: tok.start,
    end: tok.end + m[0].length,
    value: c === 0x5e ? exp : tok.value * exp,
    isWord: false,
  };
}
