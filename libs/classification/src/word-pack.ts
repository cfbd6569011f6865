// One packed record per token: everything the classifier reads or remembers about a word of a paper, side by side
// in one Int32Array (16 int32 = 64 bytes, a cache line), so a word costs one miss instead of one per table.
//
// Records 0 .. WORD_CACHE_ENTRIES - 1 are the word cache's (text.ts): it gives one to each token it caches (the words
// "expert" and "experts" share the token's), in order, and resets it then, so a record always describes its
// current token; they are given out again from 0 when the cache is emptied (wordCacheGeneration). Records from
// WORD_CACHE_ENTRIES on are "spare" records, given to tokens by their text (spareRecord) for callers whose tokens
// have no valid record (no TokenSink, or the word cache was emptied while a paper was read).
//
// Layout of record r (offset r * STRIDE):
//   TOKEN_HASH   tokenHash(token): what the term tables are keyed by
//   WORD_HASH    the learned model's FNV-1a of the token
//   BODY_UNI     the model's hashed body-unigram feature of the token (before the bucket mask)
//   TITLE_UNI    the model's hashed title-unigram feature
//   TERM_OWNER   serial of the TermTable whose term id is below (0: none looked up yet)
//   TERM_ID      the token's id in that table (-1: unknown)
//   TERM_FLAGS   that table's flags of the id (0 for -1)
//   STAMP        the paper the model last counted this token distinct in (linear.ts's paperStamp)
//   TITLE_STAMP  the paper whose title the model last saw this word in
//   VEC_GEN      generation of the model's vector pool the row below belongs to (-1: none)
//   VEC_AT       where the word's character-block row starts in that pool
//   VECTORS_OWNER serial of the word vectors VECTOR_ROW was looked up in (0: none yet)
//   VECTOR_ROW   the word's row in those vectors (-1: none)
//   (3 int32 spare)
// The term table and the model write their fields lazily and check their owner / generation, so several
// classifiers (or models) in one process only cost each other look-ups, never a wrong value.

export const WORD_CACHE_ENTRIES = 50_000;
/** spare records (by text), cleared between papers when full */
const SPARE_LIMIT = 50_000;

export const STRIDE = 16;
export const TOKEN_HASH = 0;
export const WORD_HASH = 1;
export const BODY_UNI = 2;
export const TITLE_UNI = 3;
export const TERM_OWNER = 4;
export const TERM_ID = 5;
export const TERM_FLAGS = 6;
export const STAMP = 7;
export const TITLE_STAMP = 8;
export const VEC_GEN = 9;
export const VEC_AT = 10;
export const VECTORS_OWNER = 11;
export const VECTOR_ROW = 12;

/** the learned model's namespaces of its body / title word features (linear.ts) */
const NS_BODY_UNI = 0x1b873593;
const NS_TITLE_UNI = 0x3c6ef372;
export const NS_BODY_BI = 0x2f7a1c3d;
export const NS_TITLE_BI = 0x4e8a2b11;

/**
 * The records. Grows only when one paper has more distinct words than there are spare records (its readers take
 * `wordPack` afresh for every paper).
 */
export let wordPack = new Int32Array((WORD_CACHE_ENTRIES + SPARE_LIMIT) * STRIDE);

/** The learned model's 32-bit finaliser (murmur3's fmix32), unsigned. */
export const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** The learned model's hashed feature of the bigram of two words (their WORD_HASH) in namespace `ns`. */
export const pairHash = (a: number, b: number, ns: number): number =>
  fmix((Math.imul(a, 0x9e3779b1) ^ b ^ ns) >>> 0);

/** FNV-1a of s[from, to) (all of s by default): the learned model's word and character-gram hash. */
export function fnv(s: string, from = 0, to = s.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A 32-bit hash of a token's text (FNV-1a with a final mix): what the classifier's term tables are keyed by, so
 * that a bigram is found from its two tokens' hashes without building its string. Computed once per record.
 */
export function tokenHash(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** Gives record r to `token` (its tokenHash `hash`): the word's hashes filled in, everything else unknown. */
export function resetRecord(r: number, token: string, hash: number): void {
  const o = r * STRIDE;
  const p = wordPack;
  p.fill(0, o, o + STRIDE);
  p[o + TOKEN_HASH] = hash;
  const h = fnv(token);
  p[o + WORD_HASH] = h;
  p[o + BODY_UNI] = fmix((h ^ NS_BODY_UNI) >>> 0);
  p[o + TITLE_UNI] = fmix((h ^ NS_TITLE_UNI) >>> 0);
  p[o + VEC_GEN] = -1;
  p[o + VECTOR_ROW] = -1;
}

const spare = new Map<string, number>();
/** incremented whenever the spare records are given to other words */
let spareGeneration = 0;

export const spareRecordGeneration = (): number => spareGeneration;

/**
 * Empties the spare records when they are full: call between papers only (a paper's spare records stay its own
 * until the next call).
 */
export function startSpareRecords(): void {
  if (spare.size < SPARE_LIMIT) return;
  spare.clear();
  spareGeneration++;
}

/** The spare record of `token`, given to it on first use. */
export function spareRecord(token: string): number {
  let r = spare.get(token);
  if (r !== undefined) return r;
  r = WORD_CACHE_ENTRIES + spare.size;
  if ((r + 1) * STRIDE > wordPack.length) {
    const grown = new Int32Array(2 * wordPack.length);
    grown.set(wordPack);
    wordPack = grown;
  }
  spare.set(token, r);
  resetRecord(r, token, tokenHash(token));
  return r;
}
