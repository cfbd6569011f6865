// Tokenisation shared by topic matching, tf-idf, the arXiv-category model and the example ranker.
// One function produces every feature so that training and run time can never drift apart.

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each either few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just let me more most my myself no nor not now of off ' +
    'on once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up upon very via was we were what when where ' +
    'which while who whom why will with within without would you your yours yourself yourselves its us may might must ' +
    'shall thus however therefore moreover furthermore whereas whether etc eg ie used using based paper ' +
    'show shows shown approach approaches method methods result ' +
    'results work also well one two three first second many much often several different various'
  ).split(/\s+/),
);

// Light suffix stripping: enough to join plural/singular and verb forms ("experts"/"expert",
// "distilled"/"distillation" stay apart on purpose), cheap enough for the 5k abstracts/s budget.
export function stem(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  if (word.endsWith('ies') && n > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

// Every word of every abstract goes through the stop-word check and the stemmer; a paper's words are mostly
// ones seen before, so the outcome is cached per lower-cased word ('' = dropped). The cache is an open-addressing
// table keyed by a hash taken while the word's characters are scanned, so a word seen before is found without
// slicing it out of the text (no string allocated, none hashed again by a Map). Returning the same token string
// each time also lets the Maps the tokens go into reuse its cached hash. Bounded: cleared when full.
const TOKEN_CACHE_LIMIT = 50_000;
const SLOT_BITS = 17; // 131,072 slots: at most ~38% full
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const slots = new Int32Array(1 << SLOT_BITS); // entry index + 1, 0 = empty
const entryHash = new Int32Array(TOKEN_CACHE_LIMIT);
const entryWord: string[] = [];
const entryToken: string[] = [];
/** the term id of the entry's token (see termIds below): DROPPED for '' , UNASSIGNED until first asked for */
const entryTermId = new Int32Array(TOKEN_CACHE_LIMIT);
const DROPPED = -1;
const UNASSIGNED = -2;

function normalise(word: string): string {
  // A one-letter word is kept only if it is a digit; stop words are dropped.
  const c = word.charCodeAt(0);
  return (word.length < 2 && (c < 48 || c > 57)) || STOPWORDS.has(word) ? '' : stem(word);
}

/** The cache entry of the word text[start, end) (already lower-cased); `hash` is wordHash of those characters. */
function entryOf(text: string, start: number, end: number, hash: number): number {
  const len = end - start;
  let slot = hash & SLOT_MASK;
  for (let e = slots[slot]; e !== 0; e = slots[(slot = (slot + 1) & SLOT_MASK)]) {
    const w = entryWord[e - 1];
    if (entryHash[e - 1] !== hash || w.length !== len) continue;
    let k = 0;
    while (k < len && w.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === len) return e - 1;
  }
  if (entryWord.length >= TOKEN_CACHE_LIMIT) {
    slots.fill(0);
    entryWord.length = 0;
    entryToken.length = 0;
    slot = hash & SLOT_MASK;
  }
  // A slice may be a view into the whole abstract (V8 slices longer substrings): cache a copy of its own
  // (it is ASCII), so the cache never keeps an abstract alive.
  const word = Buffer.from(text.slice(start, end), 'latin1').toString('latin1');
  const token = normalise(word);
  const e = entryWord.length;
  entryHash[e] = hash;
  entryTermId[e] = token === '' ? DROPPED : UNASSIGNED;
  entryWord.push(word);
  entryToken.push(token);
  slots[slot] = e + 1;
  return e;
}

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** Where the word last read by wordEntry ends. */
let wordEnd = 0;

/** The cache entry of the word starting at `start` (a word character) of `lower`; sets wordEnd to its end. */
function wordEntry(lower: string, start: number): number {
  const n = lower.length;
  let i = start;
  let c = lower.charCodeAt(i);
  // FNV-1a of the word's characters, with a final mix so that the low bits pick the slot well
  let h = 0x811c9dc5;
  do {
    h = Math.imul(h ^ c, 0x01000193);
    c = ++i < n ? lower.charCodeAt(i) : -1;
  } while (i < n && isWordChar(c));
  h ^= h >>> 15;
  wordEnd = i;
  return entryOf(lower, start, i, h | 0);
}

/** Appends the content tokens of an already lower-cased text (runs of [a-z0-9]) to `out`. */
function pushTokens(lower: string, out: string[]): void {
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const t = entryToken[wordEntry(lower, i)];
    i = wordEnd;
    if (t !== '') out.push(t);
  }
}

/** Lower-cased word tokens (letters/digits, inner hyphens split), stop words kept out, stemmed. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  pushTokens(text.toLowerCase(), out);
  return out;
}

// A sentence or clause break: . ! ? ; followed by white space, or a line break. Decimals ("0.3") and
// hyphens stay inside a segment.
const SEGMENT_BREAK = /[.!?;]\s+|\n\s*\n/;

/**
 * Content tokens per sentence, so n-grams can be built without spanning sentence breaks. The text is
 * lower-cased once, before the split: case mapping never creates or removes a break character, and the one
 * context-dependent mapping (final sigma) only ever yields a non-word character.
 */
export function contentSegments(text: string): string[][] {
  const out: string[][] = [];
  for (const part of text.toLowerCase().split(SEGMENT_BREAK)) {
    const tokens: string[] = [];
    pushTokens(part, tokens);
    if (tokens.length > 0) out.push(tokens);
  }
  return out;
}

/** Unigrams, bigrams and trigrams over content tokens, joined by a space. */
export function ngrams(tokens: readonly string[], maxN = 3): string[] {
  const out: string[] = tokens.slice();
  for (let n = 2; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      let g = tokens[i];
      for (let k = 1; k < n; k++) g += ' ' + tokens[i + k];
      out.push(g);
    }
  }
  return out;
}

/** Term counts of the unigrams and bigrams of a text. */
export function termCounts(text: string, maxN = 2): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of ngrams(contentTokens(text), maxN)) counts.set(g, (counts.get(g) ?? 0) + 1);
  return counts;
}

/**
 * False when normalising a phrase drops one of its words (a one-letter word such as the "p" of "p-tuning"):
 * the rest ("tuning") would then match far more than the phrase means, so such keywords are not used.
 */
export function keepsAllWords(phrase: string): boolean {
  const words = phrase.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.every((w) => w.length >= 2 || /[0-9]/.test(w) || STOPWORDS.has(w));
}

/** A keyword or phrase in the same normal form as the n-grams above ("Mixture of Experts" -> "mixture expert"). */
export function phraseKey(phrase: string): string {
  return contentTokens(phrase).join(' ');
}

// ---- term ids ----
//
// The classifier's hot path works on integer term ids instead of strings: every content token and every bigram of
// two tokens gets an id (one id space), so a paper's bigrams are found by a probe of an integer table, not built as
// strings and hashed, and what a scorer knows about a term can be kept in arrays indexed by id. A bigram's string is
// only made when a scorer first asks for it. The ids stay valid until `beginTermPaper` resets them (between papers,
// when there are TERM_LIMIT of them); `termGeneration()` changes then, and id-indexed caches must be dropped.

const TERM_LIMIT = 1 << 17;
let generation = 1;
/** term id -> its text (a bigram's is filled in on first request) */
let termText: (string | undefined)[] = [];
/** a bigram's two token ids (-1 for a token) */
let termLeft: Int32Array = new Int32Array(1024);
let termRight: Int32Array = new Int32Array(1024);
const tokenIds = new Map<string, number>();
// open addressing (left, right) -> bigram id; PAIR_EMPTY marks a free slot
let pairBits = 16;
let pairLeft = new Int32Array(1 << pairBits);
let pairRight = new Int32Array(1 << pairBits);
let pairId = new Int32Array(1 << pairBits).fill(-1);
let pairCount = 0;

/** Changes whenever the term ids are reset: a cache indexed by term id is valid for one generation. */
export const termGeneration = (): number => generation;

/** Number of term ids given out in this generation (an upper bound for arrays indexed by id). */
export const termCount = (): number => termText.length;

/** Call before tokenising a paper by id: resets the ids (a new generation) when there are too many. */
export function beginTermPaper(): void {
  if (termText.length < TERM_LIMIT) return;
  generation++;
  termText = [];
  tokenIds.clear();
  pairBits = 16;
  pairLeft = new Int32Array(1 << pairBits);
  pairRight = new Int32Array(1 << pairBits);
  pairId = new Int32Array(1 << pairBits).fill(-1);
  pairCount = 0;
  for (let e = 0; e < entryWord.length; e++) if (entryTermId[e] !== DROPPED) entryTermId[e] = UNASSIGNED;
}

/** `a`, or a copy at least `size` long (doubling) when it is shorter. */
export function fitInt32(a: Int32Array, size: number): Int32Array {
  if (size <= a.length) return a;
  let n = Math.max(a.length, 16);
  while (n < size) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function newTerm(text: string | undefined, left: number, right: number): number {
  const id = termText.length;
  termLeft = fitInt32(termLeft, id + 1);
  termRight = fitInt32(termRight, id + 1);
  termText.push(text);
  termLeft[id] = left;
  termRight[id] = right;
  return id;
}

function tokenTermId(e: number): number {
  let id = entryTermId[e];
  if (id !== UNASSIGNED) return id;
  const token = entryToken[e];
  id = tokenIds.get(token) ?? -1;
  if (id < 0) tokenIds.set(token, (id = newTerm(token, -1, -1)));
  entryTermId[e] = id;
  return id;
}

const pairSlot = (a: number, b: number, mask: number): number =>
  (Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b) >>> (32 - pairBits)) & mask;

/** The id of the bigram "a b" of two token ids. */
export function bigramId(a: number, b: number): number {
  let mask = (1 << pairBits) - 1;
  let slot = pairSlot(a, b, mask);
  for (let id = pairId[slot]; id !== -1; id = pairId[(slot = (slot + 1) & mask)])
    if (pairLeft[slot] === a && pairRight[slot] === b) return id;
  const id = newTerm(undefined, a, b);
  if (++pairCount * 2 > 1 << pairBits) {
    const [l, r, ids] = [pairLeft, pairRight, pairId];
    pairBits++;
    mask = (1 << pairBits) - 1;
    pairLeft = new Int32Array(1 << pairBits);
    pairRight = new Int32Array(1 << pairBits);
    pairId = new Int32Array(1 << pairBits).fill(-1);
    for (let k = 0; k < ids.length; k++) if (ids[k] !== -1) place(l[k], r[k], ids[k], mask);
  }
  place(a, b, id, mask);
  return id;
}

function place(a: number, b: number, id: number, mask: number): void {
  let slot = pairSlot(a, b, mask);
  while (pairId[slot] !== -1) slot = (slot + 1) & mask;
  pairLeft[slot] = a;
  pairRight[slot] = b;
  pairId[slot] = id;
}

/** The text of a term id: a token, or two tokens joined by a space. */
export function termString(id: number): string {
  let t = termText[id];
  if (t === undefined) {
    t = `${termString(termLeft[id])} ${termString(termRight[id])}`;
    termText[id] = t;
  }
  return t;
}

/** The content tokens of one text as term ids, per sentence: segment k is ids[ends[k-1] .. ends[k]). */
export interface TokenRun {
  ids: Int32Array;
  length: number;
  ends: Int32Array;
  segments: number;
}

export const newTokenRun = (): TokenRun => ({
  ids: new Int32Array(256),
  length: 0,
  ends: new Int32Array(32),
  segments: 0,
});

function push(a: Int32Array, at: number, v: number): Int32Array {
  a = fitInt32(a, at + 1);
  a[at] = v;
  return a;
}

// JavaScript's \s: WhiteSpace and LineTerminator code units.
const isSpace = (c: number): boolean =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  (c > 127 &&
    (c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff));

/**
 * The same tokens and sentences as contentSegments(text), as term ids, in one pass over the lower-cased text
 * (no split): a break (SEGMENT_BREAK: one of . ! ? ; followed by white space, or two line breaks with only white
 * space between them) is always inside a run of non-word characters, so two tokens are in different segments
 * exactly when the characters between them contain one.
 */
export function tokenIdsInto(text: string, run: TokenRun): void {
  const lower = text.toLowerCase();
  const n = lower.length;
  let ids = run.ids;
  let ends = run.ends;
  let length = 0;
  let segments = 0;
  let segmentStart = 0;
  let broken = false; // a break since the last token kept
  let afterStop = false; // the previous character is one of . ! ? ;
  let afterLineBreak = false; // a line break, then only white space
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (!isWordChar(c)) {
      if (isSpace(c)) {
        if (afterStop) broken = true;
        if (c === 10) {
          if (afterLineBreak) broken = true;
          afterLineBreak = true;
        }
        afterStop = false;
      } else {
        afterStop = c === 46 || c === 33 || c === 63 || c === 59;
        afterLineBreak = false;
      }
      i++;
      continue;
    }
    afterStop = false;
    afterLineBreak = false;
    const id = tokenTermId(wordEntry(lower, i));
    i = wordEnd;
    if (id < 0) continue;
    if (broken) {
      if (length > segmentStart) {
        ends = push(ends, segments++, length);
        segmentStart = length;
      }
      broken = false;
    }
    ids = push(ids, length++, id);
  }
  if (length > segmentStart) ends = push(ends, segments++, length);
  run.ids = ids;
  run.ends = ends;
  run.length = length;
  run.segments = segments;
}
