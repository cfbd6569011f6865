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
//
// Heads: `topic` (multi-label, Platt-calibrated, own threshold), `primary` (which of the returned topics is the
// paper's main one; a softmax over the topics, read through the keyword logit like the topic heads) and
// `contribution` (multiclass by arg-max). The file stores weights sparsely (pruned,
// int16-quantised, bucket ids delta-encoded) and gzip'd; `compileLinear` unpacks them into one CSR table
// (bucket -> heads) so scoring a paper is one pass over its features.
import { contentSegments, termCount, termGeneration, termString, type TokenRun } from './text';

export type LinearHeadKind = 'topic' | 'primary' | 'contribution';

export interface LinearFeatureSpec {
  bits: number;
  charMin: number;
  charMax: number;
  /** weight of each L2-normalised block */
  blockWeights: { body: number; title: number; chars: number };
  /** 'word-mean': the character block is the mean of per-word subword vectors (see the header) */
  chars: 'word-mean';
}

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

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const NS_BODY_UNI = 0x1b873593;
const NS_BODY_BI = 0x2f7a1c3d;
const NS_TITLE_UNI = 0x3c6ef372;
const NS_TITLE_BI = 0x4e8a2b11;
const NS_CHAR = 0x5bd1e995;

const pair = (a: number, b: number, ns: number): number => fmix((Math.imul(a, 0x9e3779b1) ^ b ^ ns) >>> 0);

// Per distinct word, one cached record: its hash, its character-gram hashes and (for the model last used) its
// character-block contribution to every head. Most words of a paper were seen before, so a token costs one Map
// lookup. Bounded: cleared when full.
const CACHE_LIMIT = 50_000;

interface WordRecord {
  word: string;
  hash: number;
  /** hashed unigram features of the body and title blocks */
  bodyUni: number;
  titleUni: number;
  /** the paper this word was last counted distinct in */
  stamp: number;
  grams: Uint32Array | undefined;
  gramSpec: LinearFeatureSpec | undefined;
  /** where its character-block vector is in the pool of `vecModel` (valid for the pool's `epoch` it was made in) */
  vecAt: number;
  vecEpoch: number;
  vecModel: CompiledLinear | undefined;
}

const words = new Map<string, WordRecord>();

function wordRecord(w: string): WordRecord {
  let r = words.get(w);
  if (r === undefined) {
    const hash = fnv(w);
    r = {
      word: w,
      hash,
      bodyUni: fmix((hash ^ NS_BODY_UNI) >>> 0),
      titleUni: fmix((hash ^ NS_TITLE_UNI) >>> 0),
      stamp: 0,
      grams: undefined,
      gramSpec: undefined,
      vecAt: -1,
      vecEpoch: -1,
      vecModel: undefined,
    };
    words.set(w, r);
  }
  return r;
}

function charGrams(r: WordRecord, spec: LinearFeatureSpec): Uint32Array {
  if (r.grams !== undefined && r.gramSpec === spec) return r.grams;
  const s = `<${r.word}>`;
  const out: number[] = [];
  for (let n = spec.charMin; n <= spec.charMax; n++) {
    for (let i = 0; i + n <= s.length; i++) out.push(fmix((fnv(s.slice(i, i + n)) ^ NS_CHAR) >>> 0));
  }
  r.grams = Uint32Array.from(out);
  r.gramSpec = spec;
  return r.grams;
}

/** A paper's features: bucket ids and values (a bucket may repeat across blocks). */
export interface LinearFeatures {
  idx: Int32Array;
  val: Float32Array;
}

/** Copies of a pair of (bucket, value) arrays at twice their length. */
function doubled(idx: Int32Array, val: Float64Array): [Int32Array, Float64Array] {
  const i2 = new Int32Array(idx.length * 2);
  const v2 = new Float64Array(val.length * 2);
  i2.set(idx);
  v2.set(val);
  return [i2, v2];
}

/**
 * One block's counts by bucket. A paper touches a few hundred of the 2^bits buckets, so they are kept in a small
 * open-addressing table (in cache) rather than an array of every bucket.
 */
class Block {
  /** the buckets touched, first-touched first, and their counts (then weights, see logCountScale) */
  buckets: Int32Array = new Int32Array(256);
  counts: Float64Array = new Float64Array(256);
  n = 0;
  private bits = 10;
  /** per slot: position + 1 in `buckets`, valid when the slot's stamp is the block's */
  private pos = new Int32Array(1 << this.bits);
  private stamps = new Int32Array(1 << this.bits);
  private stamp = 1;

  add(h: number, mask: number): void {
    const i = h & mask;
    const m = (1 << this.bits) - 1;
    let slot = i & m;
    while (this.stamps[slot] === this.stamp) {
      const p = this.pos[slot] - 1;
      if (this.buckets[p] === i) {
        this.counts[p] += 1;
        return;
      }
      slot = (slot + 1) & m;
    }
    if (this.n === this.buckets.length) [this.buckets, this.counts] = doubled(this.buckets, this.counts);
    this.buckets[this.n] = i;
    this.counts[this.n++] = 1;
    this.stamps[slot] = this.stamp;
    this.pos[slot] = this.n;
    if (this.n * 2 > 1 << this.bits) this.rehash();
  }

  private rehash(): void {
    this.bits++;
    this.pos = new Int32Array(1 << this.bits);
    this.stamps = new Int32Array(1 << this.bits);
    this.stamp = 1;
    const m = (1 << this.bits) - 1;
    for (let p = 0; p < this.n; p++) {
      let slot = this.buckets[p] & m;
      while (this.stamps[slot] === this.stamp) slot = (slot + 1) & m;
      this.stamps[slot] = this.stamp;
      this.pos[slot] = p + 1;
    }
  }

  clear(): void {
    this.n = 0;
    this.stamp = (this.stamp + 1) | 0 || 1;
    if (this.stamp === 1) this.stamps.fill(0);
  }
}

/** Reusable scratch space (JS is single-threaded, so one pair is enough): the body and title blocks. */
const scratchBlocks = [new Block(), new Block()];
const blocks = (): Block[] => scratchBlocks;

const add = (block: Block, h: number, mask: number): void => block.add(h, mask);

/** Content tokens per sentence of title and abstract (as `contentSegments`); pass them in when already built. */
export interface PaperSegments {
  title: string[][];
  abstract: string[][];
}

const segmentsOf = (paper: { title: string; abstract: string }): PaperSegments => ({
  title: contentSegments(paper.title),
  abstract: contentSegments(paper.abstract),
});

let paperStamp = 0;
let wordsCleared = 0;
const distinctWords: WordRecord[] = [];

/** Counts the word features of one sentence, recs[from, to), into the blocks (the title block too for a title). */
function addSentence(
  recs: readonly WordRecord[],
  from: number,
  to: number,
  isTitle: boolean,
  mask: number,
  body: Block,
  title: Block,
): void {
  let prev = 0;
  for (let i = from; i < to; i++) {
    const rec = recs[i];
    const h = rec.hash;
    add(body, rec.bodyUni, mask);
    if (i > from) add(body, pair(prev, h, NS_BODY_BI), mask);
    if (isTitle) {
      add(title, rec.titleUni, mask);
      if (i > from) add(title, pair(prev, h, NS_TITLE_BI), mask);
    }
    if (rec.stamp !== paperStamp) {
      rec.stamp = paperStamp;
      distinctWords.push(rec);
    }
    prev = h;
  }
}

/** Starts a paper's word blocks: a new stamp, no distinct words yet. */
function beginWords(): void {
  // The cache is only ever cleared between papers, so a paper's words keep one record each.
  if (words.size >= CACHE_LIMIT) {
    words.clear();
    wordsCleared++;
  }
  paperStamp = (paperStamp + 1) | 0 || 1;
  distinctWords.length = 0;
}

function addSegments(segments: string[][], isTitle: boolean, mask: number, body: Block, title: Block): void {
  for (const tokens of segments)
    addSentence(tokens.map(wordRecord), 0, tokens.length, isTitle, mask, body, title);
}

/**
 * Fills the two word blocks (body, title); returns the distinct words in first-seen order (a shared array,
 * valid until the next call).
 */
function wordBlocks(seg: PaperSegments, mask: number, body: Block, title: Block): WordRecord[] {
  beginWords();
  addSegments(seg.title, true, mask, body, title);
  addSegments(seg.abstract, false, mask, body, title);
  return distinctWords;
}

// The word record of each term id (text.ts), for the generation of ids it was filled in.
// Dropped with the ids, and with the word cache (so it never holds more records than that cache would).
let recordsGeneration = -1;
let recordsCleared = -1;
let recordsById: (WordRecord | undefined)[] = [];
const runRecords: WordRecord[] = [];

function addRun(run: TokenRun, isTitle: boolean, mask: number, body: Block, title: Block): void {
  if (recordsGeneration !== termGeneration() || recordsCleared !== wordsCleared) {
    recordsGeneration = termGeneration();
    recordsCleared = wordsCleared;
    recordsById = [];
  }
  while (recordsById.length < termCount()) recordsById.push(undefined);
  const recs = runRecords;
  recs.length = 0;
  for (let i = 0; i < run.length; i++) {
    const id = run.ids[i];
    recs.push(recordsById[id] ?? (recordsById[id] = wordRecord(termString(id))));
  }
  let from = 0;
  for (let s = 0; s < run.segments; s++) {
    addSentence(recs, from, run.ends[s], isTitle, mask, body, title);
    from = run.ends[s];
  }
}

/** Log-count weights of a block, L2-normalised and scaled, appended to (idx, val) from `o`; clears the block. */
/**
 * Turns a block's counts into log-count weights in place and returns the factor that L2-normalises them to
 * `weight` (0 for an empty block).
 */
function logCountScale(b: Block, weight: number): number {
  let norm = 0;
  for (let k = 0; k < b.n; k++) {
    const c = b.counts[k];
    const v = c === 1 ? 1 : 1 + Math.log(c);
    // kept at float32 precision, as the features have always been
    b.counts[k] = Math.fround(v);
    norm += v * v;
  }
  return norm > 0 ? weight / Math.sqrt(norm) : 0;
}

function flush(b: Block, weight: number, idx: Int32Array, val: Float32Array, o: number): number {
  const scale = logCountScale(b, weight);
  for (let k = 0; k < b.n; k++) {
    idx[o] = b.buckets[k];
    val[o++] = b.counts[k] * scale;
  }
  b.clear();
  return o;
}

/** Every feature of a paper as an explicit sparse vector (what training reads). */
export function linearFeatures(
  paper: { title: string; abstract: string },
  spec: LinearFeatureSpec = DEFAULT_FEATURES,
  segments?: PaperSegments,
): LinearFeatures {
  const mask = (1 << spec.bits) - 1;
  const [body, title] = blocks();
  const distinct = wordBlocks(segments ?? segmentsOf(paper), mask, body, title);
  let nChars = 0;
  for (const w of distinct) nChars += charGrams(w, spec).length;
  const n = body.n + title.n + nChars;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let o = flush(body, spec.blockWeights.body, idx, val, 0);
  o = flush(title, spec.blockWeights.title, idx, val, o);
  const perDoc = distinct.length > 0 ? spec.blockWeights.chars / Math.sqrt(distinct.length) : 0;
  for (const w of distinct) {
    const g = charGrams(w, spec);
    const v = perDoc / Math.sqrt(g.length);
    for (let k = 0; k < g.length; k++) {
      idx[o] = g[k] & mask;
      val[o++] = v;
    }
  }
  return { idx, val };
}

// ---- compiled model ----

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
   * CSR, by bucket b: rows[2b] is where b's entries start, rows[2b + 1] where its primary heads' entries start
   * (they come last in each row), rows[2b + 2] where they end: the three numbers a paper's bucket needs are
   * next to each other in memory.
   */
  rows: Int32Array;
  /**
   * One entry per weight, q * 65536 + head: the file's int16 weight q as it is (a head's weight is
   * q * scale[head]; sums run over q and are scaled once per head at the end, a dot product being linear) and
   * the head index, in one 4-byte word read together.
   */
  entries: Int32Array;
  /** head indices of the primary heads / of all other heads */
  primaryHeads: Int32Array;
  mainHeads: Int32Array;
  /** position of each head in a word's cached character-block vector: the main heads first, then the primary */
  vecPos: Int32Array;
  /** the head at each position of that vector */
  vecOrder: Int32Array;
  scale: Float64Array;
  /** head index of each topic slug / contribution type */
  topicHead: Map<string, number>;
  primaryHead: Map<string, number>;
  contributionHeads: number[];
  primaryRule: LinearModelFile['primaryRule'];
  fallbackScore: number | undefined;
}

export function compileLinear(file: LinearModelFile): CompiledLinear {
  if (file.features.chars !== 'word-mean')
    throw new Error(`classification: linear model ${file.version} uses an unknown feature map; retrain it`);
  const buckets = 1 << file.features.bits;
  // Two passes over the delta-encoded ids (count, then place), so no decoded copy of the heads is made.
  const offsets = new Int32Array(buckets + 1);
  for (const h of file.heads) {
    let b = 0;
    for (let i = 0; i < h.idx.length; i++) offsets[(b += h.idx[i]) + 1]++;
  }
  for (let b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
  const fill = offsets.slice(0, buckets);
  const nnz = offsets[buckets];
  const entries = new Int32Array(nnz);
  const put = (hi: number): void => {
    const h = file.heads[hi];
    let b = 0;
    for (let i = 0; i < h.idx.length; i++) entries[fill[(b += h.idx[i])]++] = (h.q[i] << 16) | hi;
  };
  // Within each bucket's row the primary heads come last, so they can be skipped when not needed.
  file.heads.forEach((h, hi) => h.kind !== 'primary' && put(hi));
  const rows = new Int32Array(2 * buckets + 1);
  for (let b = 0; b < buckets; b++) {
    rows[2 * b] = offsets[b];
    rows[2 * b + 1] = fill[b];
  }
  rows[2 * buckets] = nnz;
  file.heads.forEach((h, hi) => h.kind === 'primary' && put(hi));
  const primaryHeads = Int32Array.from(file.heads.flatMap((h, i) => (h.kind === 'primary' ? [i] : [])));
  const mainHeads = Int32Array.from(file.heads.flatMap((h, i) => (h.kind !== 'primary' ? [i] : [])));
  const vecPos = new Int32Array(file.heads.length);
  [...mainHeads, ...primaryHeads].forEach((h, at) => (vecPos[h] = at));
  const topicHead = new Map<string, number>();
  const primaryHead = new Map<string, number>();
  const contributionHeads: number[] = [];
  file.heads.forEach((h, i) => {
    if (h.kind === 'topic') topicHead.set(h.label, i);
    else if (h.kind === 'primary') primaryHead.set(h.label, i);
    else contributionHeads.push(i);
  });
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
    entries,
    primaryHeads,
    mainHeads,
    vecPos,
    vecOrder: Int32Array.from([...mainHeads, ...primaryHeads]),
    scale: Float64Array.from(file.heads.map((h) => h.scale)),
    topicHead,
    primaryHead,
    contributionHeads,
    primaryRule: file.primaryRule,
    fallbackScore: file.fallbackScore,
  };
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
  const [body, title] = blocks();
  const distinct = wordBlocks(segments ?? segmentsOf(paper), (1 << model.spec.bits) - 1, body, title);
  return scoreBlocks(model, body, title, distinct, out, part, false);
}

/**
 * linearScores(model, paper, out, segments, 'main') from the paper's tokens as term ids (paper-terms.ts). It keeps
 * the paper's word features, so that linearPrimaryScores can add the primary heads without reading them again.
 */
export function linearTermScores(
  model: CompiledLinear,
  titleRun: TokenRun,
  abstractRun: TokenRun,
  out: Float64Array,
): Float64Array {
  const mask = (1 << model.spec.bits) - 1;
  const [body, title] = blocks();
  beginWords();
  addRun(titleRun, true, mask, body, title);
  addRun(abstractRun, false, mask, body, title);
  return scoreBlocks(model, body, title, distinctWords, out, 'main', true);
}

// The word features of the last linearTermScores call: bucket and value, body block then title block.
const kept = {
  model: undefined as CompiledLinear | undefined,
  n: 0,
  idx: new Int32Array(512) as Int32Array,
  val: new Float64Array(512) as Float64Array,
};

function keep(b: number, v: number): void {
  if (kept.n === kept.idx.length) [kept.idx, kept.val] = doubled(kept.idx, kept.val);
  kept.idx[kept.n] = b;
  kept.val[kept.n++] = v;
}

/**
 * The primary heads' entries of `out` for the paper of the last linearTermScores call with this model (the same
 * numbers as linearScores(..., 'primary')); valid only right after that call, before any other paper is scored.
 */
export function linearPrimaryScores(model: CompiledLinear, out: Float64Array): Float64Array {
  if (kept.model !== model) throw new Error('classification: linearPrimaryScores without linearTermScores');
  const { rows, entries } = model;
  for (const h of model.primaryHeads) out[h] = 0;
  for (let k = 0; k < kept.n; k++) {
    const b = kept.idx[k];
    const v = kept.val[k];
    for (let j = rows[2 * b + 1], end = rows[2 * b + 2]; j < end; j++) {
      const e = entries[j];
      out[e & 0xffff] += v * (e >> 16);
    }
  }
  addCharBlock(model, distinctWords, out, model.primaryHeads);
  scaleHeads(model, out, model.primaryHeads);
  return out;
}

function scoreBlocks(
  model: CompiledLinear,
  body: Block,
  title: Block,
  distinct: WordRecord[],
  out: Float64Array,
  part: 'all' | 'main' | 'primary',
  keepFeatures: boolean,
): Float64Array {
  const spec = model.spec;
  const { rows, entries } = model;
  const which = part === 'all' ? null : part === 'main' ? model.mainHeads : model.primaryHeads;
  if (part === 'primary') for (const h of model.primaryHeads) out[h] = 0;
  else out.fill(0);
  kept.model = keepFeatures ? model : undefined;
  kept.n = 0;
  for (let k = 0; k < 2; k++) {
    const b = k === 0 ? body : title;
    const scale = logCountScale(b, k === 0 ? spec.blockWeights.body : spec.blockWeights.title);
    for (let k = 0; k < b.n; k++) {
      const i = b.buckets[k];
      const v = b.counts[k] * scale;
      if (keepFeatures) keep(i, v);
      const from = part === 'primary' ? rows[2 * i + 1] : rows[2 * i];
      const end = part === 'main' ? rows[2 * i + 1] : rows[2 * i + 2];
      for (let j = from; j < end; j++) {
        const e = entries[j];
        out[e & 0xffff] += v * (e >> 16);
      }
    }
    b.clear();
  }
  addCharBlock(model, distinct, out, which);
  scaleHeads(model, out, which);
  return out;
}

// Per model, the distinct words' character-block vectors (one float per head, the main heads first), side by side
// in one array: a paper reads one of its words' vectors without going through an object of its own. Bounded: when
// it holds POOL_WORDS words it starts again from the beginning (a new epoch), and the vectors are made anew.
const POOL_WORDS = 2 * CACHE_LIMIT;
interface VecPool {
  data: Float32Array;
  used: number;
  epoch: number;
}
const pools = new WeakMap<CompiledLinear, VecPool>();

/** The offset of a word's vector in the model's pool, made when the word has none there. */
function vecOf(model: CompiledLinear, pool: VecPool, w: WordRecord): number {
  if (w.vecModel === model && w.vecEpoch === pool.epoch) return w.vecAt;
  const H = model.heads.length;
  if (pool.used + H > pool.data.length) {
    if (pool.used >= POOL_WORDS * H) {
      pool.epoch++;
      pool.used = 0;
    } else {
      const data = new Float32Array(Math.min(POOL_WORDS * H, pool.data.length * 2));
      data.set(pool.data);
      pool.data = data;
    }
  }
  const at = pool.used;
  pool.used += H;
  const vec = pool.data.fill(0, at, at + H);
  const { rows, entries, vecPos } = model;
  const spec = model.spec;
  const mask = (1 << spec.bits) - 1;
  const g = charGrams(w, spec);
  const v = 1 / Math.sqrt(g.length);
  for (let k = 0; k < g.length; k++) {
    const b = g[k] & mask;
    for (let j = rows[2 * b], end = rows[2 * b + 2]; j < end; j++) {
      const e = entries[j];
      vec[at + vecPos[e & 0xffff]] += v * (e >> 16);
    }
  }
  w.vecAt = at;
  w.vecEpoch = pool.epoch;
  w.vecModel = model;
  return at;
}

/** Adds the character block (the mean of the distinct words' cached per-head vectors) to `out`'s `heads`. */
function addCharBlock(
  model: CompiledLinear,
  distinct: WordRecord[],
  out: Float64Array,
  which: Int32Array | null,
): void {
  if (distinct.length === 0) return;
  let pool = pools.get(model);
  if (pool === undefined)
    pools.set(model, (pool = { data: new Float32Array(1024 * model.heads.length), used: 0, epoch: 0 }));
  const H = model.heads.length;
  const M = model.mainHeads.length;
  // the positions of `which` in each word's vector: the main heads are [0, M), the primary ones [M, H)
  const [from, to] = which === null ? [0, H] : which === model.mainHeads ? [0, M] : [M, H];
  const order = model.vecOrder;
  const perDoc = model.spec.blockWeights.chars / Math.sqrt(distinct.length);
  for (const w of distinct) {
    const at = vecOf(model, pool, w);
    const vec = pool.data;
    for (let k = from; k < to; k++) out[order[k]] += perDoc * vec[at + k];
  }
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
