// Tokenisation shared by topic matching, tf-idf, the arXiv-category model and the example ranker.
// One function produces every feature so that training and run time can never drift apart.
import {
  resetRecord,
  spareRecord,
  startSpareRecords,
  STRIDE,
  TOKEN_HASH,
  tokenHash,
  WORD_CACHE_ENTRIES,
  wordPack,
} from './word-pack';

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
// Each entry names its token's word record (word-pack.ts): the token's hash and whatever the classifier learns
// about it, one packed record per token.
const TOKEN_CACHE_LIMIT = WORD_CACHE_ENTRIES;
const SLOT_BITS = 17; // 131,072 slots: at most ~38% full
const SLOT_MASK = (1 << SLOT_BITS) - 1;
// two int32 per slot: the word's hash and its entry index + 1 (0 = empty), so a probe reads one cache line
const slots = new Int32Array(2 << SLOT_BITS);
// The entries' words, character after character in one byte array (a word is a run of [a-z0-9]): entry e's word is
// wordChars[wordAt[e] .. wordAt[e + 1] - 1]. A probe compares a word there, next to the words of the entries around
// it, instead of in a string object of its own somewhere in the heap.
let wordChars = new Uint8Array(1 << 19);
const wordAt = new Int32Array(TOKEN_CACHE_LIMIT + 1);
let entryCount = 0;
/**
 * Per entry, its token's word record (word-pack.ts; -1 for a dropped word). Words with the same token ("experts",
 * "expert") share one record, so a record is a token: records 0 .. recordToken.length - 1, given out in order.
 */
const entryRecord = new Int32Array(TOKEN_CACHE_LIMIT);
/** record -> its token; and token -> its record (emptied with the cache) */
const recordToken: string[] = [];
const recordOf = new Map<string, number>();
/** incremented whenever the cache is emptied (its entries then go to other words) */
let generation = 0;

/**
 * The word cache's generation: an entry, and a word record, stays with its word as long as this number is
 * unchanged, so the records of a paper's tokens read while it did not change are all valid until it does.
 */
export const wordCacheGeneration = (): number => generation;

function normalise(word: string): string {
  // A one-letter word is kept only if it is a digit; stop words are dropped.
  const c = word.charCodeAt(0);
  return (word.length < 2 && (c < 48 || c > 57)) || STOPWORDS.has(word) ? '' : stem(word);
}

/** Empties the word cache (it does so itself when full): its entries are then given to other words. */
export function clearWordCache(): void {
  slots.fill(0);
  entryCount = 0;
  recordToken.length = 0;
  recordOf.clear();
  generation++;
}

/** The cache entry of the word text[start, end) (already lower-cased); `hash` is wordHash of those characters. */
function entryOf(text: string, start: number, end: number, hash: number): number {
  const len = end - start;
  let slot = hash & SLOT_MASK;
  for (let e = slots[2 * slot + 1]; e !== 0; e = slots[2 * (slot = (slot + 1) & SLOT_MASK) + 1]) {
    if (slots[2 * slot] !== hash) continue;
    const from = wordAt[e - 1];
    if (wordAt[e] - from !== len) continue;
    let k = 0;
    while (k < len && wordChars[from + k] === text.charCodeAt(start + k)) k++;
    if (k === len) return e - 1;
  }
  if (entryCount >= TOKEN_CACHE_LIMIT) {
    clearWordCache();
    slot = hash & SLOT_MASK;
  }
  const e = entryCount++;
  const at = wordAt[e];
  if (at + len > wordChars.length) {
    const grown = new Uint8Array(2 * wordChars.length);
    grown.set(wordChars);
    wordChars = grown;
  }
  for (let k = 0; k < len; k++) wordChars[at + k] = text.charCodeAt(start + k);
  wordAt[e + 1] = at + len;
  // A slice may be a view into the whole abstract (V8 slices longer substrings), and so may the token made of it:
  // take a copy of its own (it is ASCII), so the cache never keeps an abstract alive.
  const token = normalise(Buffer.from(text.slice(start, end), 'latin1').toString('latin1'));
  entryRecord[e] = token === '' ? -1 : tokenRecord(token);
  slots[2 * slot] = hash;
  slots[2 * slot + 1] = e + 1;
  return e;
}

/** The word record of a token, given to it (and reset) on its first entry. */
function tokenRecord(token: string): number {
  let r = recordOf.get(token);
  if (r === undefined) {
    r = recordToken.length;
    recordToken.push(token);
    recordOf.set(token, r);
    resetRecord(r, token, tokenHash(token));
  }
  return r;
}

/**
 * What contentSegments can report per token besides its text, in token order: its tokenHash and its word record
 * (word-pack.ts; a record goes to another token when the cache is cleared, see wordCacheGeneration). Grows as
 * needed.
 */
export interface TokenSink {
  hashes: Int32Array;
  records: Int32Array;
  length: number;
  /** incremented by resetSink: what the sink reported before is gone then */
  serial: number;
}

export const tokenSink = (): TokenSink => ({
  hashes: new Int32Array(512),
  records: new Int32Array(512),
  length: 0,
  serial: 0,
});

/** Empties a sink for another paper. */
export function resetSink(sink: TokenSink): void {
  sink.length = 0;
  sink.serial++;
}

function growSink(sink: TokenSink): void {
  const hashes = new Int32Array(2 * sink.hashes.length);
  hashes.set(sink.hashes);
  const records = new Int32Array(hashes.length);
  records.set(sink.records);
  sink.hashes = hashes;
  sink.records = records;
}

/** What the learned model reads of a PaperTerms (paper-terms.ts). */
export interface PaperTermCounts {
  size: number;
  serial: number;
  key: Int32Array;
  count: Int32Array;
  record: Int32Array;
  first: Int32Array;
  token(k: number): string;
}

/** A paper's tokens by sentence, title then abstract, and what a TokenSink reported of them. */
export interface TokenisedPaper {
  title: string[][];
  abstract: string[][];
  /**
   * the sink that reported the word record of every token, the title's then the abstract's (sink.records), its
   * serial then, and wordCacheGeneration() before they were read: the records are used only while both are
   * unchanged
   */
  sink?: TokenSink;
  sinkSerial?: number;
  generation?: number;
  /**
   * the paper's term counts (readPaper's), keyed by the learned model's body features, and their serial then:
   * used while both that serial and the generation are unchanged
   */
  terms?: PaperTermCounts;
  termsSerial?: number;
}

let spareScratch = new Int32Array(512);

/**
 * The word record (word-pack.ts) of every token of a paper, the title's then the abstract's: the ones its sink
 * reported while neither the sink was reset nor the cache emptied since, else spare records found by text (valid
 * until the next paper's spare records are asked for).
 */
export function paperRecords(paper: TokenisedPaper): Int32Array {
  const sink = paper.sink;
  if (sink !== undefined && sink.serial === paper.sinkSerial && paper.generation === generation) return sink.records;
  startSpareRecords();
  let n = 0;
  for (const part of [paper.title, paper.abstract])
    for (const tokens of part)
      for (const t of tokens) {
        if (n === spareScratch.length) {
          const grown = new Int32Array(2 * n);
          grown.set(spareScratch);
          spareScratch = grown;
        }
        spareScratch[n++] = spareRecord(t);
      }
  return spareScratch;
}

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Writes the content tokens of an already lower-cased text (runs of [a-z0-9]) to `out` from index 0 on (over what was
 * there), and their tokenHash and word record to `sink` when given. Returns the index after the last token written.
 */
function pushTokens(lower: string, out: string[], sink?: TokenSink): number {
  let o = 0;
  const n = lower.length;
  let i = 0;
  while (i < n) {
    let c = lower.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    // FNV-1a of the word's characters, with a final mix so that the low bits pick the slot well
    let h = 0x811c9dc5;
    do {
      h = Math.imul(h ^ c, 0x01000193);
      c = ++i < n ? lower.charCodeAt(i) : -1;
    } while (i < n && isWordChar(c));
    h ^= h >>> 15;
    const r = entryRecord[entryOf(lower, start, i, h | 0)];
    if (r < 0) continue;
    out[o++] = recordToken[r];
    if (sink !== undefined) {
      if (sink.length === sink.hashes.length) growSink(sink);
      sink.hashes[sink.length] = wordPack[r * STRIDE + TOKEN_HASH];
      sink.records[sink.length++] = r;
    }
  }
  return o;
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
 * context-dependent mapping (final sigma) only ever yields a non-word character. With `sink`, each token's
 * tokenHash and word record are appended to it, in the same order.
 */
export function contentSegments(text: string, sink?: TokenSink): string[][] {
  const out: string[][] = [];
  for (const part of text.toLowerCase().split(SEGMENT_BREAK)) {
    const n = pushTokens(part, segmentScratch, sink);
    if (n > 0) out.push(segmentScratch.slice(0, n));
  }
  return out;
}

/**
 * contentSegments' work array: a segment's tokens are gathered here and copied out at their exact size, instead
 * of each segment growing an array of its own by doubling. Never emptied (that would drop its backing store).
 */
const segmentScratch: string[] = [];

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

/** A text as phraseInText reads it, lower-cased once for all the phrases quoted from it. */
interface QuotedText {
  text: string;
  lower: string;
  /** the text the offsets into `lower` point into: the text itself unless lower-casing changed its length (rare) */
  source: string;
}

// A paper's evidence quotes several phrases from its title and abstract: each is lower-cased once.
const recent: QuotedText[] = [];

function quotedText(text: string): QuotedText {
  let q = recent.find((r) => r.text === text);
  if (q === undefined) {
    const lower = text.toLowerCase();
    q = { text, lower, source: lower.length === text.length ? text : lower };
    recent.unshift(q);
    recent.length = Math.min(recent.length, 2);
  }
  return q;
}

const startsWord = (s: string, at: number): boolean => at === 0 || !isWordChar(s.charCodeAt(at - 1));
const endsWord = (s: string, end: number): boolean => end === s.length || !isWordChar(s.charCodeAt(end));

/** Where `phrase` (lower-cased) stands in `lower` as whole words, or -1. */
function wholeWordsAt(lower: string, phrase: string): number {
  for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, at + 1))
    if (startsWord(lower, at) && endsWord(lower, at + phrase.length)) return at;
  return -1;
}

/**
 * Where the content tokens `want` follow one another from the word at `at` on, within one sentence, as contentSegments
 * reads them (stop words and one-letter words skipped): the end of the last one's word, or -1.
 */
function tokensFrom(lower: string, at: number, want: readonly string[]): number {
  let i = at;
  let k = 0;
  let gapFrom = at;
  while (k < want.length) {
    while (i < lower.length && !isWordChar(lower.charCodeAt(i))) i++;
    if (i >= lower.length || (k > 0 && SEGMENT_BREAK.test(lower.slice(gapFrom, i)))) return -1;
    const start = i;
    while (i < lower.length && isWordChar(lower.charCodeAt(i))) i++;
    gapFrom = i;
    const token = normalise(lower.slice(start, i));
    if (token === '') continue;
    if (token !== want[k]) return -1;
    k++;
  }
  return i;
}

/**
 * The words of a text that a topic phrase was matched on (by its key, phraseKey's form), as the text writes them:
 * the phrase itself where the text has it word for word, else from the first to the last of the key's tokens at
 * their first occurrence within one sentence, with the stop words and punctuation between them; white space
 * collapsed; null when the key does not occur. What a topic's evidence quotes, so that it never names a word the
 * paper does not contain ("knowledge-based", key "knowledge", in "Visual Knowledge Alignment" gives "Knowledge").
 */
export function phraseInText(text: string, phrase: { key: string; text: string }): string | null {
  const q = quotedText(text);
  const quote = (from: number, to: number): string => q.source.slice(from, to).replace(/\s+/g, ' ');
  // word for word (most quotes): the words there have the key's tokens, as tokenising goes word by word
  const wanted = phrase.text.toLowerCase();
  if (wanted.length > 0 && isWordChar(wanted.charCodeAt(0)) && isWordChar(wanted.charCodeAt(wanted.length - 1))) {
    const at = wholeWordsAt(q.lower, wanted);
    if (at >= 0) return quote(at, at + wanted.length);
  }
  // else by tokens, from each word starting with the first token's stem ("studies" is "study": its "stud")
  const want = phrase.key.split(' ');
  const first = want[0].endsWith('y') ? want[0].slice(0, -1) : want[0];
  if (first.length === 0) return null;
  for (let at = q.lower.indexOf(first); at >= 0; at = q.lower.indexOf(first, at + 1)) {
    if (!startsWord(q.lower, at)) continue;
    const end = tokensFrom(q.lower, at, want);
    if (end >= 0) return quote(at, end);
  }
  return null;
}
