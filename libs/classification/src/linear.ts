// Learned linear model (clf-3): one-vs-rest logistic heads over hashed features of a paper.
//
// Features (all hashed into 2^bits buckets, FNV-1a + a 32-bit finaliser):
//  - word unigrams + bigrams of title and abstract (the same stemmed, stop-word-free, sentence-bounded tokens
//    as the keyword features),
//  - word unigrams + bigrams of the title alone (own namespace),
//  - character 3..5-grams of every distinct content word, padded with "<" and ">": each word's grams form a
//    unit vector e(w) (1/sqrt(#grams) each) and the block is sum_w e(w) / sqrt(#distinct words) — a mean of
//    per-word subword vectors, so at run time each word's contribution to every head is computed once and cached.
// The two word blocks are weighted by log-count (1 + ln c) and L2-normalised on their own. A topic head also reads the
// keyword model's logit for its topic (one extra weight), so keyword knowledge and learned n-grams combine.
// With `spec.dense`, a dense block follows the hashed buckets (features 2^bits .. 2^bits + dims - 1): the idf-weighted
// sum of the pre-trained unit vectors (word-vectors.ts) of the paper's distinct content words, a title word's weight
// multiplied by `dense.title`, then either L2-normalised to `dense.weight` (`dense.norm` 'l2' or absent: lin-7 up to
// d41ccec868) or divided by the sum of those weights and scaled by `dense.weight` ('mean'). Words without a vector
// add nothing. The mean is linear per word after one per-paper factor, so compileLinear tabulates each vector's
// contribution to every head once (CompiledLinear.denseRows) and a paper adds one row per word, in the same loop as
// its character block; the L2 form is summed over 100 dimensions and multiplied through per paper.
//
// Heads: `topic` (multi-label, Platt-calibrated, own threshold), `primary` (which of the returned topics is the
// paper's main one; a softmax over the topics, read through the keyword logit like the topic heads) and
// `contribution` (multiclass by arg-max). The file stores weights sparsely (pruned,
// int16-quantised, bucket ids delta-encoded) and gzip'd; `compileLinear` unpacks them into one CSR table
// (bucket -> heads) so scoring a paper is one pass over its features.
import { contentSegments, type PaperTermCounts, paperRecords, type TokenisedPaper, wordCacheGeneration } from './text';
import {
  BODY_UNI,
  fmix,
  fnv,
  NS_BODY_BI,
  NS_TITLE_BI,
  pairHash as pair,
  spareRecordGeneration,
  STAMP,
  STRIDE,
  TITLE_STAMP,
  TITLE_UNI,
  VEC_AT,
  VEC_GEN,
  VECTOR_ROW,
  VECTORS_OWNER,
  WORD_HASH,
  wordPack,
} from './word-pack';
import { type WordVectors, wordVectors } from './word-vectors';

export type LinearHeadKind = 'topic' | 'primary' | 'contribution';

export interface LinearFeatureSpec {
  bits: number;
  charMin: number;
  charMax: number;
  /** weight of each L2-normalised block */
  blockWeights: { body: number; title: number; chars: number };
  /** 'word-mean': the character block is the mean of per-word subword vectors (see the header) */
  chars: 'word-mean';
  /** the dense word-vector block (absent: none) */
  dense?: DenseSpec;
}

export interface DenseSpec {
  /** id of the word vectors (registered with registerWordVectors) */
  vectors: string;
  dims: number;
  /** L2 norm of the block ('l2'), or the factor of the weighted mean ('mean') */
  weight: number;
  /** weight of a title word relative to an abstract word */
  title: number;
  /**
   * How the weighted sum is normalised: 'l2' (absent: the lin-7 models up to d41ccec868) scales it to norm `weight`;
   * 'mean' divides it by the sum of the words' weights (a weighted mean of unit vectors) and multiplies by `weight`.
   */
  norm?: DenseNorm;
}

export type DenseNorm = 'l2' | 'mean';

/** The spec's dense block when it is a weighted mean (tabulated per vector at compile time), else undefined. */
const meanDense = (spec: LinearFeatureSpec): DenseSpec | undefined =>
  spec.dense?.norm === 'mean' ? spec.dense : undefined;

/** Number of features of a spec: the hashed buckets, then the dense block. */
export const featureCount = (spec: Pick<LinearFeatureSpec, 'bits' | 'dense'>): number =>
  (1 << spec.bits) + (spec.dense?.dims ?? 0);

export interface LinearHeadFile {
  kind: LinearHeadKind;
  /** topic slug or contribution type */
  label: string;
  bias: number;
  /** weight of the keyword model's logit for this topic (topic / primary heads) */
  keywordWeight: number;
  /** sorted bucket ids, delta-encoded (numbers in the file; loadLinearModelFile keeps them as an Int32Array) */
  idx: ArrayLike<number>;
  /** quantised int16 weights: w = q * scale (loadLinearModelFile keeps them as an Int16Array) */
  q: ArrayLike<number>;
  scale: number;
  /** Platt scaling on the head's logit: p = sigmoid(a * z + b) (topic heads) */
  platt?: { a: number; b: number };
  /** decision threshold on p, chosen by cross-validation on the training data (topic heads) */
  threshold?: number;
  /** labelled positives the head was trained on */
  positives: number;
}

export interface LinearModelFile {
  version: string;
  provenance: string;
  features: LinearFeatureSpec;
  heads: LinearHeadFile[];
  /**
   * How the primary topic is picked among the returned topics: highest shared-scale score, highest calibrated
   * probability, or the primary heads' arg-max (chosen on cross-validation at training time).
   */
  primaryRule: 'score' | 'probability' | 'head';
  /**
   * When no topic clears its threshold, the learned topic with the highest shared-scale score is still returned
   * if that score reaches this bar (chosen out-of-fold at training time; absent = never).
   */
  fallbackScore?: number;
  /** cross-validated figures on the training data, for humans */
  training: Record<string, unknown>;
}

export const DEFAULT_FEATURES: LinearFeatureSpec = {
  bits: 18,
  charMin: 3,
  charMax: 5,
  blockWeights: { body: 1, title: 0.5, chars: 1 },
  chars: 'word-mean',
};

// ---- hashing ----

// (the word features' namespaces are word-pack.ts's: a word's unigram features are kept in its record, and the
// term pass counts the body block's terms by their features, see PaperTerms)
const NS_CHAR = 0x5bd1e995;

// Per distinct word, its packed record (word-pack.ts): its hashes and unigram features, its paper stamps, its
// character-block row in vecPool and its word-vector row. Most words of a paper were seen before, so a token costs
// one read of its record. A new word's character grams are hashed into a scratch array when its row is computed.

/** The character-gram hashes of `word` (padded with "<" and ">") for `spec`, in gramScratch; returns their count. */
let gramScratch = new Uint32Array(64);
/** How many character grams charGrams gives `word` (of `<word>`, every length charMin..charMax), none hashed. */
function gramCount(word: string, spec: LinearFeatureSpec): number {
  const len = word.length + 2;
  let count = 0;
  for (let n = spec.charMin; n <= spec.charMax; n++) count += Math.max(0, len - n + 1);
  return count;
}

function charGrams(word: string, spec: LinearFeatureSpec): number {
  const s = `<${word}>`;
  const count = gramCount(word, spec);
  if (gramScratch.length < count) gramScratch = new Uint32Array(2 * count);
  // (each gram hashed where it lies in s: no string sliced out per gram)
  const grams = gramScratch;
  let o = 0;
  for (let n = spec.charMin; n <= spec.charMax; n++) {
    for (let i = 0; i + n <= s.length; i++) grams[o++] = fmix((fnv(s, i, i + n) ^ NS_CHAR) >>> 0);
  }
  return count;
}

/** A paper's features: bucket ids and values (a bucket may repeat across blocks). */
export interface LinearFeatures {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * One word block's counts for the paper being scored: the buckets it touches (a few hundred of 2^bits) in a
 * small open-addressing table, kept in first-seen order, instead of a 2^bits array that each paper's buckets
 * are scattered over. Entry k is bucket[k] with count counts[k]; counts are float32 as they always were (the
 * log-count weight is written back into them). Grows by doubling, is cleared entry by entry.
 */
class Block {
  /** slot -> entry + 1 (0 = empty); at most half full */
  private table = new Int32Array(1024);
  /** per entry: the bucket, its table slot and its count */
  bucket = new Int32Array(512);
  private slot = new Int32Array(512);
  counts = new Float32Array(512);
  size = 0;

  /** Adds `c` occurrences of bucket b (a whole number: the float32 sums stay exact). */
  add(b: number, c: number): void {
    const t = this.table;
    const tm = t.length - 1;
    let s = b & tm;
    for (let e = t[s]; e !== 0; e = t[(s = (s + 1) & tm)])
      if (this.bucket[e - 1] === b) {
        this.counts[e - 1] += c;
        return;
      }
    if (this.size === this.bucket.length) {
      this.grow();
      this.add(b, c);
      return;
    }
    const k = this.size++;
    this.bucket[k] = b;
    this.slot[k] = s;
    this.counts[k] = c;
    t[s] = k + 1;
  }

  private grow(): void {
    const cap = 2 * this.bucket.length;
    const bucket = new Int32Array(cap);
    bucket.set(this.bucket);
    const counts = new Float32Array(cap);
    counts.set(this.counts);
    const table = new Int32Array(2 * cap);
    const slot = new Int32Array(cap);
    const tm = table.length - 1;
    for (let k = 0; k < this.size; k++) {
      let s = bucket[k] & tm;
      while (table[s] !== 0) s = (s + 1) & tm;
      table[s] = k + 1;
      slot[k] = s;
    }
    this.bucket = bucket;
    this.counts = counts;
    this.table = table;
    this.slot = slot;
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) this.table[this.slot[k]] = 0;
    this.size = 0;
  }
}

/** Reusable scratch blocks, body and title (JS is single-threaded, so one pair is enough). */
const scratchBlocks: readonly [Block, Block] = [new Block(), new Block()];

const add = (block: Block, h: number, mask: number): void => block.add(h & mask, 1);

/**
 * Content tokens per sentence of title and abstract (as `contentSegments`); pass them in when already built, with
 * their word records and the word cache's generation when a TokenSink reported them.
 */
export type PaperSegments = TokenisedPaper;

const segmentsOf = (paper: { title: string; abstract: string }): PaperSegments => ({
  title: contentSegments(paper.title),
  abstract: contentSegments(paper.abstract),
});

let paperStamp = 0;
/**
 * The distinct words of the paper last counted, in first-seen order: their records and tokens, indices
 * 0 .. distinctCount-1 (the tail holds earlier papers' words). Overwritten, never emptied: `length = 0` would drop
 * the token array's backing store and every paper would grow a new one.
 */
let distinctRecords = new Int32Array(512);
const distinctTokens: string[] = [];
let distinctCount = 0;

/** Appends word record r (token `token`) to the paper's distinct words. */
function addDistinct(r: number, token: string): void {
  if (distinctCount === distinctRecords.length) {
    const grown = new Int32Array(2 * distinctCount);
    grown.set(distinctRecords);
    distinctRecords = grown;
  }
  distinctTokens[distinctCount] = token;
  distinctRecords[distinctCount++] = r;
}

/**
 * Counts the segments' word features into the blocks given (null: not that block), the body's with the distinct
 * words, the title's with the words' title stamps; their tokens' records start at records[at]. Returns the next
 * position.
 */
function addSegments(
  segments: string[][],
  mask: number,
  body: Block | null,
  title: Block | null,
  records: Int32Array,
  at: number,
): number {
  const p = wordPack;
  for (const tokens of segments) {
    let prev = 0;
    for (let i = 0; i < tokens.length; i++) {
      const r = records[at + i];
      const o = r * STRIDE;
      const h = p[o + WORD_HASH];
      if (body !== null) {
        add(body, p[o + BODY_UNI], mask);
        if (i > 0) add(body, pair(prev, h, NS_BODY_BI), mask);
        if (p[o + STAMP] !== paperStamp) {
          p[o + STAMP] = paperStamp;
          addDistinct(r, tokens[i]);
        }
      }
      if (title !== null) {
        p[o + TITLE_STAMP] = paperStamp;
        add(title, p[o + TITLE_UNI], mask);
        if (i > 0) add(title, pair(prev, h, NS_TITLE_BI), mask);
      }
      prev = h;
    }
    at += tokens.length;
  }
  return at;
}

/**
 * The body block and the distinct words from a paper's term counts (readPaper's, keyed by their body features), in
 * the order addSegments meets them (a token's unigram, then the bigram it ends) so that the block is the same to the
 * bit: the counts list a bigram first seen at tokens (i, i + 1) before a unigram first seen at i + 1 (a term is
 * counted where it starts), addSegments after it; no other two terms are met in another order.
 */
function bodyFromTerms(terms: PaperTermCounts, mask: number, body: Block): void {
  const { record, first, size } = terms;
  for (let k = 0; k < size; k++) {
    if (record[k] < 0 && k + 1 < size && record[k + 1] >= 0 && first[k + 1] === first[k] + 1) {
      termToBody(terms, k + 1, mask, body);
      termToBody(terms, k++, mask, body);
    } else termToBody(terms, k, mask, body);
  }
}

function termToBody(terms: PaperTermCounts, k: number, mask: number, body: Block): void {
  body.add(terms.key[k] & mask, terms.count[k]);
  if (terms.record[k] >= 0) addDistinct(terms.record[k], terms.token(k));
}

/**
 * Fills the two word blocks (body, title); returns the number of distinct words (distinctRecords' first entries,
 * valid until the next call). The body block is counted from the paper's term counts when they are at hand and
 * their records still valid, else from its tokens.
 */
function wordBlocks(seg: PaperSegments, mask: number, body: Block, title: Block): number {
  const records = paperRecords(seg);
  paperStamp = (paperStamp + 1) | 0 || 1;
  distinctCount = 0;
  const terms = seg.terms;
  if (terms !== undefined && terms.serial === seg.termsSerial && records === seg.sink?.records) {
    addSegments(seg.title, mask, null, title, records, 0);
    bodyFromTerms(terms, mask, body);
  } else {
    const at = addSegments(seg.title, mask, body, title, records, 0);
    addSegments(seg.abstract, mask, body, null, records, at);
  }
  return distinctCount;
}

/** Log-count weights of a block, L2-normalised and scaled, appended to (idx, val) from `o`; clears the block. */
/**
 * Turns a block's counts into log-count weights in place and returns the factor that L2-normalises them to
 * `weight` (0 for an empty block).
 */
function logCountScale(b: Block, weight: number): number {
  let norm = 0;
  const counts = b.counts;
  for (let k = 0; k < b.size; k++) {
    const c = counts[k];
    const v = c === 1 ? 1 : 1 + Math.log(c);
    counts[k] = v;
    norm += v * v;
  }
  return norm > 0 ? weight / Math.sqrt(norm) : 0;
}

function flush(b: Block, weight: number, idx: Int32Array, val: Float32Array, o: number): number {
  const scale = logCountScale(b, weight);
  for (let k = 0; k < b.size; k++) {
    idx[o] = b.bucket[k];
    val[o++] = b.counts[k] * scale;
  }
  b.clear();
  return o;
}

/** The dense block of the paper last counted, for the spec it was built for (valid while keptSegments is). */
let denseAcc = new Float64Array(0);
let denseLive = false;
/** denseBlock's scratch: per word of the paper with a vector, where its row starts in the vectors and its factor */
let denseAt = new Int32Array(0);
let denseCoef = new Float64Array(0);

/** A serial number per word vectors, what a record's VECTORS_OWNER names (from 1). */
const vectorsSerials = new WeakMap<WordVectors, number>();
let lastVectorsSerial = 0;
function vectorsSerial(wv: WordVectors): number {
  let id = vectorsSerials.get(wv);
  if (id === undefined) vectorsSerials.set(wv, (id = ++lastVectorsSerial));
  return id;
}

/**
 * The row in the vectors with serial `id` (`wv`) of distinct word i of the paper last counted (-1: none), looked
 * up once per record and vectors.
 */
function vectorRow(i: number, wv: WordVectors, id: number): number {
  const o = distinctRecords[i] * STRIDE;
  const p = wordPack;
  if (p[o + VECTORS_OWNER] !== id) {
    p[o + VECTOR_ROW] = wv.index.get(distinctTokens[i]) ?? -1;
    p[o + VECTORS_OWNER] = id;
  }
  return p[o + VECTOR_ROW];
}

/** 1, or the title factor when distinct word i of the paper last counted is in its title. */
const titleWeight = (i: number, dense: DenseSpec): number =>
  wordPack[distinctRecords[i] * STRIDE + TITLE_STAMP] === paperStamp ? dense.title : 1;

/**
 * The factor a 'mean' block multiplies the weighted sum of the first `distinct` distinct words' vectors by:
 * `weight` over the sum of their weights (0 when no word has a vector). Resolves the words' vector rows.
 */
function meanFactor(distinct: number, dense: DenseSpec): number {
  const wv = wordVectors(dense.vectors);
  const id = vectorsSerial(wv);
  let total = 0;
  for (let i = 0; i < distinct; i++) {
    const r = vectorRow(i, wv, id);
    if (r >= 0) total += wv.idf[r] * titleWeight(i, dense);
  }
  return total > 0 ? dense.weight / total : 0;
}

/**
 * Fills denseAcc with the dense block of the first `distinct` distinct words (the paper's, as wordBlocks counted them);
 * false when the spec has no dense block or no word of the paper has a vector.
 */
function denseBlock(distinct: number, dense: DenseSpec | undefined): boolean {
  if (dense === undefined) return false;
  const wv = wordVectors(dense.vectors);
  const { dims, q, scale } = wv;
  if (denseAcc.length !== dims) denseAcc = new Float64Array(dims);
  if (denseAt.length < distinct) {
    denseAt = new Int32Array(2 * distinct);
    denseCoef = new Float64Array(2 * distinct);
  }
  // the words with a vector: where their row starts, and their factor
  let n = 0;
  const id = vectorsSerial(wv);
  for (let i = 0; i < distinct; i++) {
    const r = vectorRow(i, wv, id);
    if (r < 0) continue;
    denseAt[n] = r * dims;
    // (the lin-7 product order, so an 'l2' model scores bit for bit as before)
    denseCoef[n++] = wv.idf[r] * scale[r] * titleWeight(i, dense);
  }
  if (n === 0) return false;
  const acc = denseAcc;
  acc.fill(0);
  // Four words per pass over the dimensions, each acc[d] still adding them in word order (JS adds left to right):
  // a quarter of the loads and stores of acc, and the four rows are fetched from memory together.
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const a = denseAt[k];
    const b = denseAt[k + 1];
    const c = denseAt[k + 2];
    const e = denseAt[k + 3];
    const ca = denseCoef[k];
    const cb = denseCoef[k + 1];
    const cc = denseCoef[k + 2];
    const ce = denseCoef[k + 3];
    for (let d = 0; d < dims; d++) acc[d] = acc[d] + ca * q[a + d] + cb * q[b + d] + cc * q[c + d] + ce * q[e + d];
  }
  for (; k < n; k++) for (let d = 0, a = denseAt[k], ca = denseCoef[k]; d < dims; d++) acc[d] += ca * q[a + d];
  let f: number;
  if (dense.norm === 'mean') f = meanFactor(distinct, dense);
  else {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += acc[d] * acc[d];
    f = dense.weight / Math.sqrt(norm);
  }
  for (let d = 0; d < dims; d++) acc[d] *= f;
  return true;
}

/** Every feature of a paper as an explicit sparse vector (what training reads). */
export function linearFeatures(
  paper: { title: string; abstract: string },
  spec: LinearFeatureSpec = DEFAULT_FEATURES,
  segments?: PaperSegments,
): LinearFeatures {
  const mask = (1 << spec.bits) - 1;
  const [body, title] = scratchBlocks;
  forgetKept();
  const distinct = wordBlocks(segments ?? segmentsOf(paper), mask, body, title);
  let nChars = 0;
  for (let i = 0; i < distinct; i++) nChars += gramCount(distinctTokens[i], spec);
  const dense = denseBlock(distinct, spec.dense) ? denseAcc.length : 0;
  const n = body.size + title.size + nChars + dense;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let o = flush(body, spec.blockWeights.body, idx, val, 0);
  o = flush(title, spec.blockWeights.title, idx, val, o);
  const perDoc = distinct > 0 ? spec.blockWeights.chars / Math.sqrt(distinct) : 0;
  for (let i = 0; i < distinct; i++) {
    const count = charGrams(distinctTokens[i], spec);
    const g = gramScratch;
    const v = perDoc / Math.sqrt(count);
    for (let k = 0; k < count; k++) {
      idx[o] = g[k] & mask;
      val[o++] = v;
    }
  }
  for (let d = 0; d < dense; d++) {
    idx[o] = mask + 1 + d;
    val[o++] = denseAcc[d];
  }
  return { idx, val };
}

/**
 * The word blocks of the paper linearScores last read, kept as weights until another paper's are counted: the
 * classifier scores a paper's main heads and then, for some papers, the primary heads of the same paper (same
 * `segments` object, which is never modified), and that second call reuses them instead of counting again.
 */
let keptSegments: PaperSegments | undefined;
let keptSpec: LinearFeatureSpec | undefined;
/**
 * the generations of the word cache and of the spare records the kept words' records were read in (the records
 * may name other tokens once either changed, e.g. when another paper was read in between)
 */
let keptWordGeneration = -1;
let keptSpareGeneration = -1;
const keptScales = new Float64Array(2);
/** a 'mean' dense block's per-paper factor (meanFactor) for the kept paper */
let keptMeanFactor = 0;
/** linearScores' live bucket entries of a word block and their rows' bounds */
let spanAt = new Int32Array(512);
let spanFrom = new Int32Array(512);
let spanEnd = new Int32Array(512);
/** (the weights linearScores reads ahead, kept so that the reads are not optimised away) */
let _touchedWeights = 0;
/** linearScores' sums in row order (one per head, see vecPool) */
let rowAcc = new Float64Array(0);
/** per distinct word of the paper being scored: its row in vecPool */
let wordRow = new Int32Array(0);

function forgetKept(): void {
  keptSegments = undefined;
  keptSpec = undefined;
  scratchBlocks[0].clear();
  scratchBlocks[1].clear();
}

/**
 * The words' character-block vectors for the model last used, side by side in one float32 pool (a record holds
 * an offset, not an array of its own): one row of H floats per word, the main heads first, then the primary ones
 * (`order` maps a row position to its head). Reset when another model is used or the pool holds POOL_ROWS rows;
 * records from before a reset see a stale `vecGen` and compute their row again.
 */
const POOL_ROWS = 50_000;
const vecPool = {
  model: undefined as CompiledLinear | undefined,
  gen: 0,
  data: new Float32Array(0),
  used: 0,
  order: new Int32Array(0),
  /** head -> position in a row */
  pos: new Int32Array(0),
};

function resetVecPool(model: CompiledLinear | undefined): void {
  vecPool.gen++;
  vecPool.used = 0;
  if (model === vecPool.model) return;
  vecPool.model = model;
  vecPool.order = model ? rowOrder(model) : new Int32Array(0);
  vecPool.pos = new Int32Array(vecPool.order.length);
  vecPool.order.forEach((h, k) => (vecPool.pos[h] = k));
}

/**
 * Resets the pool, before a paper's rows are read, when it is full and `n` more rows of `h` floats might not fit: a
 * paper's rows then stay where they are until all of them are summed (vecRow only grows the pool).
 */
function reserveRows(n: number, h: number): void {
  if (vecPool.used + n * h > vecPool.data.length && vecPool.used >= POOL_ROWS * h) resetVecPool(vecPool.model);
}

/** A fresh zeroed row of `h` floats in the pool; returns its offset. */
function vecRow(h: number): number {
  if (vecPool.used + h > vecPool.data.length) {
    const data = new Float32Array(Math.max(2 * vecPool.data.length, 1024 * h));
    data.set(vecPool.data.subarray(0, vecPool.used));
    vecPool.data = data;
  }
  const at = vecPool.used;
  vecPool.used += h;
  vecPool.data.fill(0, at, at + h);
  return at;
}

// ---- compiled model ----

/** The heads in the order of a cached row (vecPool, CompiledLinear.denseRows): the main heads, then the primary. */
const rowOrder = (m: Pick<CompiledLinear, 'mainHeads' | 'primaryHeads'>): Int32Array<ArrayBuffer> =>
  Int32Array.from([...m.mainHeads, ...m.primaryHeads]);

export interface CompiledHead {
  kind: LinearHeadKind;
  label: string;
  bias: number;
  keywordWeight: number;
  platt: { a: number; b: number } | undefined;
  threshold: number | undefined;
}

export interface CompiledLinear {
  version: string;
  spec: LinearFeatureSpec;
  heads: CompiledHead[];
  /**
   * CSR, the row bounds interleaved so that a bucket's bounds share a cache line: bucket b's weights are
   * `entries` rows[2b] .. rows[2b+2]-1, and its primary heads' entries (last in each row) start at rows[2b+1].
   */
  rows: Int32Array;
  /**
   * One bit per bucket, set when the bucket has any weight (about a quarter of them do): most of a new paper's
   * bigrams and character grams land in empty buckets, and this 32 KB bitmap answers for them without a read of
   * `rows` (2 MB, a cache miss each).
   */
  live: Int32Array;
  /** head indices of the primary heads / of all other heads */
  primaryHeads: Int32Array;
  mainHeads: Int32Array;
  /**
   * One int32 per weight: the head index in the low 16 bits (e & 0xffff) and the file's int16 weight as it is
   * in the high 16 (e >> 16). A head's weight is q * scale[head]: sums run over q and are scaled once per head
   * at the end (a dot product is linear), so the table costs 4 bytes a weight, head included.
   */
  entries: Int32Array;
  scale: Float64Array;
  /** head index of each topic slug / contribution type */
  topicHead: Map<string, number>;
  primaryHead: Map<string, number>;
  contributionHeads: number[];
  primaryRule: LinearModelFile['primaryRule'];
  fallbackScore: number | undefined;
  /**
   * A 'mean' dense block's per-word table (else undefined): for each row r of the model's word vectors, H floats in
   * row order (rowOrder), that unit vector's contribution to every head in int16 weight units,
   * idf[r] * sum_d v_r[d] * q[head][dense d]. Built once at compile time (vectors x dims x heads multiply-adds); a
   * paper then adds, per word with a vector, its row times the word's title factor and the paper's factor
   * weight / sum of the words' weights.
   */
  denseRows: Float32Array | undefined;
  /**
   * An 'l2' dense block's weights (else undefined) as a matrix: for each head in row order (rowOrder), its int16
   * weight of every dense feature in turn, 0 where the file has none (adding 0 times a finite number to a sum
   * changes nothing). A paper's block is dotted with a head's row instead of scattered over the heads.
   */
  denseWeights: Float64Array | undefined;
}

export function compileLinear(file: LinearModelFile): CompiledLinear {
  if (file.features.chars !== 'word-mean')
    throw new Error(`classification: linear model ${file.version} uses an unknown feature map; retrain it`);
  const buckets = featureCount(file.features);
  if (file.features.dense !== undefined) wordVectors(file.features.dense.vectors); // loaded, or a clear error
  // Two passes over the delta-encoded ids (count, then place), so no decoded copy of the heads is made.
  const offsets = new Int32Array(buckets + 1);
  for (const h of file.heads) {
    let b = 0;
    for (let i = 0; i < h.idx.length; i++) offsets[(b += h.idx[i]) + 1]++;
  }
  for (let b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
  const fill = offsets.slice(0, buckets);
  const nnz = offsets[buckets];
  if (file.heads.length > 0x10000) throw new Error('classification: a linear model has at most 65,536 heads');
  const entries = new Int32Array(nnz);
  const put = (hi: number): void => {
    const h = file.heads[hi];
    let b = 0;
    for (let i = 0; i < h.idx.length; i++) {
      const at = fill[(b += h.idx[i])]++;
      entries[at] = (h.q[i] << 16) | hi;
    }
  };
  // Within each bucket's row the primary heads come last, so they can be skipped when not needed.
  file.heads.forEach((h, hi) => h.kind !== 'primary' && put(hi));
  const primaryStart = fill.slice();
  file.heads.forEach((h, hi) => h.kind === 'primary' && put(hi));
  const rows = new Int32Array(2 * buckets + 1);
  for (let b = 0; b < buckets; b++) {
    rows[2 * b] = offsets[b];
    rows[2 * b + 1] = primaryStart[b];
  }
  rows[2 * buckets] = nnz;
  const live = new Int32Array((buckets + 31) >>> 5);
  for (let b = 0; b < buckets; b++) if (offsets[b + 1] > offsets[b]) live[b >>> 5] |= 1 << (b & 31);
  const topicHead = new Map<string, number>();
  const primaryHead = new Map<string, number>();
  const contributionHeads: number[] = [];
  file.heads.forEach((h, i) => {
    if (h.kind === 'topic') topicHead.set(h.label, i);
    else if (h.kind === 'primary') primaryHead.set(h.label, i);
    else contributionHeads.push(i);
  });
  const primaryHeads = Int32Array.from(file.heads.flatMap((h, i) => (h.kind === 'primary' ? [i] : [])));
  const mainHeads = Int32Array.from(file.heads.flatMap((h, i) => (h.kind !== 'primary' ? [i] : [])));
  const order = rowOrder({ mainHeads, primaryHeads });
  const { dense, bits } = file.features;
  const mean = meanDense(file.features);
  const denseRows =
    mean === undefined ? undefined : denseTable(wordVectors(mean.vectors), order, rows, entries, 1 << bits);
  const denseWeights =
    dense !== undefined && mean === undefined ? denseMatrix(order, rows, entries, 1 << bits, dense.dims) : undefined;
  return {
    version: file.version,
    spec: file.features,
    heads: file.heads.map((h) => ({
      kind: h.kind,
      label: h.label,
      bias: h.bias,
      keywordWeight: h.keywordWeight,
      platt: h.platt,
      threshold: h.threshold,
    })),
    rows,
    live,
    primaryHeads,
    mainHeads,
    entries,
    scale: Float64Array.from(file.heads.map((h) => h.scale)),
    topicHead,
    primaryHead,
    contributionHeads,
    primaryRule: file.primaryRule,
    fallbackScore: file.fallbackScore,
    denseRows,
    denseWeights,
  };
}

/** CompiledLinear.denseWeights: the weights of the `dims` dense features from bucket `base` on, head by head. */
function denseMatrix(order: Int32Array, rows: Int32Array, entries: Int32Array, base: number, dims: number): Float64Array {
  const pos = new Int32Array(order.length);
  order.forEach((h, k) => (pos[h] = k));
  const w = new Float64Array(order.length * dims);
  for (let d = 0; d < dims; d++)
    for (let j = rows[2 * (base + d)], end = rows[2 * (base + d) + 2]; j < end; j++)
      w[pos[entries[j] & 0xffff] * dims + d] = entries[j] >> 16;
  return w;
}

/** CompiledLinear.denseRows of the vectors `wv`, the dense features starting at bucket `base`. */
function denseTable(
  wv: WordVectors,
  order: Int32Array,
  rows: Int32Array,
  entries: Int32Array,
  base: number,
): Float32Array {
  const H = order.length;
  const pos = new Int32Array(H);
  order.forEach((h, k) => (pos[h] = k));
  const { dims, q, scale, idf } = wv;
  // the dense features' weights as a dims x H matrix (row positions), then one small product per vector
  const w = new Float64Array(dims * H);
  for (let d = 0; d < dims; d++)
    for (let j = rows[2 * (base + d)], end = rows[2 * (base + d) + 2]; j < end; j++)
      w[d * H + pos[entries[j] & 0xffff]] += entries[j] >> 16;
  const n = wv.index.size;
  const out = new Float32Array(n * H);
  const acc = new Float64Array(H);
  for (let r = 0; r < n; r++) {
    acc.fill(0);
    for (let d = 0, from = r * dims; d < dims; d++) {
      const x = q[from + d];
      if (x === 0) continue;
      for (let k = 0, at = d * H; k < H; k++) acc[k] += x * w[at + k];
    }
    const f = idf[r] * scale[r];
    for (let k = 0; k < H; k++) out[r * H + k] = f * acc[k];
  }
  return out;
}

/** Multiplies the entries of `out` for `heads` (all heads when null) by their head's weight scale. */
function scaleHeads(model: CompiledLinear, out: Float64Array, heads: Int32Array | null): void {
  if (heads === null) for (let h = 0; h < out.length; h++) out[h] *= model.scale[h];
  else for (let k = 0; k < heads.length; k++) out[heads[k]] *= model.scale[heads[k]];
}

/** Raw head logits without bias / keyword term: the sparse dot products, all heads in one pass. */
export function linearDots(model: CompiledLinear, f: LinearFeatures, out?: Float64Array): Float64Array {
  const dots = out ?? new Float64Array(model.heads.length);
  dots.fill(0);
  const { rows, entries } = model;
  for (let k = 0; k < f.idx.length; k++) {
    const b = f.idx[k];
    const v = f.val[k];
    for (let j = rows[2 * b], end = rows[2 * b + 2]; j < end; j++) {
      const e = entries[j];
      dots[e & 0xffff] += v * (e >> 16);
    }
  }
  scaleHeads(model, dots, null);
  return dots;
}

/**
 * The same numbers as linearDots(model, linearFeatures(paper)) without building the feature vector: the word
 * blocks go through a reused scratch table and the character block through the per-word cache. `part` limits
 * the work to the primary heads or to all the others (their entries of `out` are then left as they were /
 * zero); 'all' by default.
 */
export function linearScores(
  model: CompiledLinear,
  paper: { title: string; abstract: string },
  out: Float64Array,
  segments?: PaperSegments,
  part: 'all' | 'main' | 'primary' = 'all',
): Float64Array {
  const spec = model.spec;
  const mask = (1 << spec.bits) - 1;
  const [body, title] = scratchBlocks;
  let distinct = distinctCount;
  if (
    segments === undefined ||
    segments !== keptSegments ||
    spec !== keptSpec ||
    wordCacheGeneration() !== keptWordGeneration ||
    spareRecordGeneration() !== keptSpareGeneration
  ) {
    forgetKept();
    distinct = wordBlocks(segments ?? segmentsOf(paper), mask, body, title);
    keptScales[0] = logCountScale(body, spec.blockWeights.body);
    keptScales[1] = logCountScale(title, spec.blockWeights.title);
    const mean = meanDense(spec);
    // a 'mean' block is read per word below, through the word cache
    denseLive = mean === undefined && denseBlock(distinct, spec.dense);
    keptMeanFactor = mean === undefined ? 0 : meanFactor(distinct, mean);
    keptSegments = segments;
    keptSpec = spec;
    keptWordGeneration = wordCacheGeneration();
    keptSpareGeneration = spareRecordGeneration();
  }
  const { rows, entries, live } = model;
  const which = part === 'all' ? null : part === 'main' ? model.mainHeads : model.primaryHeads;
  if (part === 'primary') for (const h of model.primaryHeads) out[h] = 0;
  else out.fill(0);
  // The word blocks' buckets in three passes, the weights added in the blocks' order as a single pass would: half
  // the buckets have weights, unpredictably, and a branch mispredicted on one of them (or on its row's length)
  // would throw away the table reads under way for the next ones; so first the live entries without a branch,
  // then their rows' bounds (and the first weight of each, to start its read) with no branch on what is read, then
  // the weights.
  const lo = part === 'primary' ? 1 : 0;
  const hi = part === 'main' ? 1 : 2;
  const last = entries.length - 1;
  let touched = 0;
  for (let bi = 0; bi < 2; bi++) {
    const b = scratchBlocks[bi];
    const scale = keptScales[bi];
    const { bucket, counts, size } = b;
    if (spanAt.length < size) {
      spanAt = new Int32Array(2 * size);
      spanFrom = new Int32Array(2 * size);
      spanEnd = new Int32Array(2 * size);
    }
    let n = 0;
    for (let k = 0; k < size; k++) {
      const i = bucket[k];
      spanAt[n] = k;
      n += (live[i >>> 5] >>> (i & 31)) & 1;
    }
    for (let m = 0; m < n; m++) {
      const i = bucket[spanAt[m]];
      const from = rows[2 * i + lo];
      spanFrom[m] = from;
      spanEnd[m] = rows[2 * i + hi];
      touched ^= entries[Math.min(from, last)];
    }
    for (let m = 0; m < n; m++) {
      const v = counts[spanAt[m]] * scale;
      for (let j = spanFrom[m], end = spanEnd[m]; j < end; j++) {
        const e = entries[j];
        out[e & 0xffff] += v * (e >> 16);
      }
    }
  }
  _touchedWeights = touched;
  if (distinct === 0) {
    scaleHeads(model, out, which);
    return out;
  }
  const H = model.heads.length;
  if (vecPool.model !== model) resetVecPool(model);
  const { order, pos } = vecPool;
  // the row positions of the heads asked for (main heads first in a row)
  const M = model.mainHeads.length;
  const kFrom = part === 'primary' ? M : 0;
  const kTo = part === 'main' ? M : H;
  // From here on the heads asked for are summed in row order, acc[k] for head order[k] (the same additions, in the
  // same order per head, as into `out`): a word's cached row then adds without an indirection per head.
  if (rowAcc.length !== H) rowAcc = new Float64Array(H);
  const acc = rowAcc;
  for (let k = kFrom; k < kTo; k++) acc[k] = out[order[k]];
  // the 'l2' dense block (features 2^bits + d, dimension by dimension), through the heads' dense weights
  if (denseLive) {
    const dims = denseAcc.length;
    const weights = model.denseWeights as Float64Array;
    // two heads at a time (each its own sum, in dimension order), sharing the loads of the block
    let k = kFrom;
    for (; k + 2 <= kTo; k += 2) {
      let s0 = acc[k];
      let s1 = acc[k + 1];
      for (let d = 0, at = k * dims; d < dims; d++) {
        const x = denseAcc[d];
        s0 += x * weights[at + d];
        s1 += x * weights[at + dims + d];
      }
      acc[k] = s0;
      acc[k + 1] = s1;
    }
    if (k < kTo) {
      let s = acc[k];
      for (let d = 0, at = k * dims; d < dims; d++) s += denseAcc[d] * weights[at + d];
      acc[k] = s;
    }
  }
  const perDoc = spec.blockWeights.chars / Math.sqrt(distinct);
  // a 'mean' dense block: each word with a vector adds its row of model.denseRows, times its title factor and the
  // paper's factor (vector rows were resolved by meanFactor)
  const dense = keptMeanFactor > 0 ? meanDense(spec) : undefined;
  const denseRows = model.denseRows as Float32Array;
  const titleFactor = dense === undefined ? 0 : keptMeanFactor * dense.title;
  const p = wordPack;
  reserveRows(distinct, H);
  if (wordRow.length < distinct) wordRow = new Int32Array(2 * distinct);
  // each word's character-block row first (computed on first use), then the sums
  for (let i = 0; i < distinct; i++) {
    const o = distinctRecords[i] * STRIDE;
    if (p[o + VEC_GEN] !== vecPool.gen) {
      const at = vecRow(H);
      const vec = vecPool.data;
      const count = charGrams(distinctTokens[i], spec);
      const g = gramScratch;
      const v = 1 / Math.sqrt(count);
      for (let k = 0; k < count; k++) {
        const b = g[k] & mask;
        if ((live[b >>> 5] & (1 << (b & 31))) === 0) continue;
        for (let j = rows[2 * b], end = rows[2 * b + 2]; j < end; j++) {
          const e = entries[j];
          vec[at + pos[e & 0xffff]] += v * (e >> 16);
        }
      }
      p[o + VEC_AT] = at;
      p[o + VEC_GEN] = vecPool.gen;
    }
    wordRow[i] = p[o + VEC_AT];
  }
  const vec = vecPool.data;
  if (dense === undefined) {
    // four words per pass over the heads, each acc[k] still adding them in word order: a quarter of the loads and
    // stores of acc
    let i = 0;
    for (; i + 3 < distinct; i += 4) {
      const a = wordRow[i];
      const b = wordRow[i + 1];
      const c = wordRow[i + 2];
      const d = wordRow[i + 3];
      for (let k = kFrom; k < kTo; k++)
        acc[k] = acc[k] + perDoc * vec[a + k] + perDoc * vec[b + k] + perDoc * vec[c + k] + perDoc * vec[d + k];
    }
    for (; i < distinct; i++) for (let k = kFrom, at = wordRow[i]; k < kTo; k++) acc[k] += perDoc * vec[at + k];
  } else
    for (let i = 0; i < distinct; i++) {
      const o = distinctRecords[i] * STRIDE;
      const at = wordRow[i];
      const r = p[o + VECTOR_ROW];
      if (r >= 0) {
        const c = p[o + TITLE_STAMP] === paperStamp ? titleFactor : keptMeanFactor;
        for (let k = kFrom, dAt = r * H; k < kTo; k++) acc[k] += perDoc * vec[at + k] + c * denseRows[dAt + k];
      } else for (let k = kFrom; k < kTo; k++) acc[k] += perDoc * vec[at + k];
    }
  for (let k = kFrom; k < kTo; k++) out[order[k]] = acc[k];
  scaleHeads(model, out, which);
  return out;
}

export const plattProbability = (z: number, platt: { a: number; b: number } | undefined): number =>
  1 / (1 + Math.exp(-(platt ? platt.a * z + platt.b : z)));

/**
 * Maps a calibrated probability onto the shared score scale, piecewise-linearly, so that the head's own
 * threshold lands on the classifier's global threshold: learned and keyword-scored topics are then returned by
 * the same rule (score >= threshold) and ordered on one scale.
 */
export function toSharedScale(p: number, headThreshold: number, globalThreshold: number): number {
  if (p < headThreshold) return (globalThreshold * p) / headThreshold;
  return globalThreshold + ((1 - globalThreshold) * (p - headThreshold)) / Math.max(1e-9, 1 - headThreshold);
}
