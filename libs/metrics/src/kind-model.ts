// A learned correction of the rules' kind (issue #18): multinomial logistic regression over sparse features of a
// claim the rules emitted (their own kind, unit, category, metric; the words around the value, position-tagged;
// the cue-word classes of kind.ts; the sentence's verbs; the value's shape; its place in a list). The rules' kind is
// kept unless the model prefers another one by a margin chosen by cross-validation on the dev sets
// (tools/train/train-metrics-kind.ts builds the model file and picks the margin).
// Cost: one bounded window per claim (≤ 160 characters each side, inside its sentence): linear in the text.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CLAIM_KINDS, type Claim, type ClaimKind } from '@paperwire/contracts';
import { SCOPE_NOUNS, SIZE_NOUNS } from './lexicon';
import {
  AFTER_IMPROVE,
  AFTER_REDUCE,
  AFTER_SHARE_OF_DATA,
  AFTER_SHARE_OF_LEVEL,
  AFTER_SPEED,
  BEFORE_IMPROVE,
  BEFORE_REDUCE,
  BEFORE_RETAIN,
  BEFORE_SPEED,
  RESULT_VERB_RE,
  improvementOf,
} from './kind';
import { metricDirection } from './metric-table';
import { KIND_DECIDED } from './rivals';

/** One multinomial logistic regression: a bias and a weight per class for each feature name. */
export interface KindWeights {
  bias: number[];
  /** feature → one weight per class */
  weights: Record<string, number[]>;
}

/** The learned model as data/metrics/kind-model.json.gz stores it. */
export interface KindModelFile extends KindWeights {
  version: string;
  /** the kinds, in the order of each weight vector */
  classes: ClaimKind[];
  /** the model's kind replaces the rules' when p(model's kind) − p(rules' kind) ≥ margin */
  margin: number;
  /**
   * A change that moves the claim between setup (scope, size) and result (the other kinds) needs p(model's) − p(rules')
   * ≥ crossMargin instead (chosen by cross-validation; above 1: never). Absent: `margin`.
   */
  crossMargin?: number;
  /**
   * The first stage: a model over the claim's own fields only (no window is read). Where it gives the rules' kind at
   * least `gate`, the rules' kind is kept and the full model is not run.
   */
  first: KindWeights;
  gate: number;
}

const SENTENCE_END_RE = /[.!?](?=\s+[A-Z(\\$]|\s*$)/g;
const WINDOW_CHARS = 160;
// (4 words: cross-validated as well as 6, 8 or 12 — pooled out-of-fold kind accuracy 0.867 / 0.865 / 0.872 / 0.865 — at
// a lower cost)
const WINDOW_WORDS = 4;

// the verbs of a sentence that say what a number is (stems)
const SENTENCE_VERBS = new Set([
  'improv',
  'outperform',
  'surpass',
  'exceed',
  'beat',
  'boost',
  'gain',
  'increas',
  'rais',
  'reduc',
  'decreas',
  'lower',
  'cut',
  'drop',
  'declin',
  'degrad',
  'shrink',
  'sav',
  'accelerat',
  'speed',
  'retain',
  'preserv',
  'maintain',
  'recover',
  'achiev',
  'attain',
  'reach',
  'obtain',
  'scor',
  'yield',
  'deliv',
  'report',
  'match',
  'use',
  'us',
  'requir',
  'contain',
  'compris',
  'consist',
  'includ',
  'collect',
  'construct',
  'span',
  'cover',
  'evaluat',
  'train',
  'fine-tun',
  'compar',
  'show',
  'demonstrat',
  'find',
  'found',
  'observ',
  'correlat',
  'account',
]);

// the words that may stem to one of SENTENCE_VERBS (a cheap first pass; stem() decides)
const VERB_CANDIDATE_RE = new RegExp(
  `\\b(?:${[...SENTENCE_VERBS].sort((a, b) => b.length - a.length).join('|')})[A-Za-z'-]*`,
  'gi',
);

/** A crude stem: lower case, plural and verb endings off ("improves", "improved", "improving" → "improv"). */
export function stem(word: string): string {
  const w = word.toLowerCase();
  return w.slice(0, stemLength(w, 0, w.length));
}

/** The length of the stem of the lower-case word s[start, end) (stem() above, without building a string). */
function stemLength(s: string, start: number, end: number): number {
  let n = end - start;
  const at = (k: number): number => s.charCodeAt(start + k) | 32; // ASCII lower case
  if (n > 5 && at(n - 3) === 105 && at(n - 2) === 110 && at(n - 1) === 103)
    n -= 3; // -ing
  else if (n > 4 && at(n - 2) === 101 && at(n - 1) === 100)
    n -= 2; // -ed
  else if (n > 4 && at(n - 2) === 101 && at(n - 1) === 115)
    n -= 2; // -es
  else if (n > 3 && at(n - 1) === 115 && at(n - 2) !== 115) n -= 1; // -s, not -ss
  if (n > 4 && at(n - 1) === 101) n -= 1; // -e
  return n;
}

// A word of the window: [start, end) in the text. Words are a letter then letters, ' and -; a digit
// then digits, dots and commas; or one of a few signs. A word's value is its lower case; a number's is <dec> when it
// has a dot, else <int>.
const isLetter = (ch: number): boolean => (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122);
const isDigit = (ch: number): boolean => ch >= 48 && ch <= 57;
const SIGNS = new Set([...'%×()[]+=<>~:;,/$−–-'].map((ch) => ch.charCodeAt(0)));

/** The words of text[from, to): their bounds, as [start, end, start, end, …] (the first `limit` words only). */
function scanWords(text: string, from: number, to: number, limit: number, out: number[]): number[] {
  out.length = 0;
  let p = from;
  while (p < to && out.length < 2 * limit) {
    const ch = text.charCodeAt(p);
    let q = p + 1;
    if (isLetter(ch)) {
      while (q < to) {
        const d = text.charCodeAt(q);
        if (isLetter(d) || d === 39 || d === 45) q++;
        else break;
      }
    } else if (isDigit(ch)) {
      while (q < to) {
        const d = text.charCodeAt(q);
        if (isDigit(d) || d === 46 || d === 44) q++;
        else break;
      }
    } else if (!SIGNS.has(ch)) {
      p++;
      continue;
    }
    out.push(p, q);
    p = q;
  }
  return out;
}

/** The value of the word text[start, end) (see above). */
export function wordValue(text: string, start: number, end: number): string {
  if (isDigit(text.charCodeAt(start))) return text.slice(start, end).includes('.') ? '<dec>' : '<int>';
  return text.slice(start, end).toLowerCase();
}

// FNV-1a over UTF-16 code units: a feature's key is the hash of its name, computed as family then value
const FNV_OFFSET = 0x811c9dc5 | 0;
const fnvChar = (h: number, ch: number): number => Math.imul(h ^ ch, 0x01000193);
function fnvString(h: number, s: string): number {
  for (let k = 0; k < s.length; k++) h = fnvChar(h, s.charCodeAt(k));
  return h;
}
/** Hashes wordValue(text, start, end), or its stem, on from h. */
function fnvWord(h: number, text: string, start: number, end: number, stemmed: boolean): number {
  const ch = text.charCodeAt(start);
  if (isDigit(ch)) {
    for (let k = start; k < end; k++) if (text.charCodeAt(k) === 46) return fnvString(h, '<dec>');
    return fnvString(h, '<int>');
  }
  if (!isLetter(ch)) return fnvChar(h, ch); // one sign
  const stop = stemmed ? start + stemLength(text, start, end) : end;
  for (let k = start; k < stop; k++) {
    const d = text.charCodeAt(k);
    h = fnvChar(h, d >= 65 && d <= 90 ? d + 32 : d);
  }
  return h;
}
/** The key of a feature name (never 0: 0 marks an empty slot). */
export const featureKey = (name: string): number => fnvString(FNV_OFFSET, name) || 1;

/** A feature family: a feature's name is the family's name and a value ("L1:" + "by"). */
interface Family {
  name: string;
  /** the hash of the name, which the value's characters continue */
  key: number;
}
const fam = (name: string): Family => ({ name, key: fnvString(FNV_OFFSET, name) });
const perKind = (prefix: string): Map<string, Family> =>
  new Map(CLAIM_KINDS.map((k) => [k, fam(`${prefix}=${k}|`)]));
const F = {
  bias: fam('bias'),
  k: fam('k='),
  u: fam('u='),
  c: fam('c='),
  sh: fam('sh='),
  m: fam('m='),
  mdir: fam('mdir='),
  imp: fam('imp='),
  bl: fam('bl='),
  cmp: fam('cmp='),
  ds: fam('ds='),
  q: fam('q='),
  rng: fam('rng='),
  ut: fam('ut='),
  pc: fam('pc='),
  lb: fam('LB:'),
  rb: fam('RB:'),
  l21: fam('L21:'),
  r12: fam('R12:'),
  rn: [fam('rn='), fam('rn2=')],
  cue: fam('cue='),
  inparen: fam('inparen'),
  parenAfter: fam('paren-after'),
  signed: fam('signed'),
  sv: fam('SV:'),
  pos: fam('pos='),
  pk: fam('pk='),
  pu: fam('pu='),
  nk: fam('nk='),
  nu: fam('nu='),
  sent: fam('sent='),
  unknownKind: fam('k?|'),
};
const KU = perKind('ku');
const KC = perKind('kc');
const KSH = perKind('ksh');
const KM = perKind('km');
const L_AT = [fam('L1:'), fam('L2:'), fam('L3:')];
const R_AT = [fam('R1:'), fam('R2:'), fam('R3:')];

/**
 * What the features of one text share: its sentence ends (found once) and each sentence's verbs. Sentence bounds are
 * clipped to WINDOW_CHARS around a value.
 */
export class KindContext {
  private sentenceEnds: number[] | null = null;
  private readonly verbs = new Map<string, string[]>();
  constructor(readonly text: string) {}

  /** The sentence ends of the text (read once, on first use). */
  get ends(): number[] {
    if (!this.sentenceEnds) {
      this.sentenceEnds = [];
      SENTENCE_END_RE.lastIndex = 0;
      for (let m = SENTENCE_END_RE.exec(this.text); m; m = SENTENCE_END_RE.exec(this.text))
        this.sentenceEnds.push(m.index);
    }
    return this.sentenceEnds;
  }

  /** The sentence around [start, end): after the last end before start, up to the first end at or after end. */
  sentence(start: number, end: number): [number, number] {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    // ends[lo - 1] < start <= ends[lo]
    const from = Math.max(0, start - WINDOW_CHARS);
    const s = lo > 0 && ends[lo - 1] + 1 > from ? ends[lo - 1] + 1 : from;
    let k = lo;
    while (k < ends.length && ends[k] < end) k++;
    const to = Math.min(this.text.length, end + WINDOW_CHARS);
    return [s, k < ends.length && ends[k] < to ? ends[k] : to];
  }

  /** The verbs of text[s, e) (kept by both bounds: a sentence clipped to a window differs from claim to claim). */
  sentenceVerbs(s: number, e: number): string[] {
    const key = `${s}:${e}`;
    let out = this.verbs.get(key);
    if (!out) {
      out = [];
      VERB_CANDIDATE_RE.lastIndex = 0;
      const sentence = this.text.slice(s, e);
      for (let m = VERB_CANDIDATE_RE.exec(sentence); m; m = VERB_CANDIDATE_RE.exec(sentence)) {
        const st = stem(m[0]);
        if (SENTENCE_VERBS.has(st) && !out.includes(st)) out.push(st);
      }
      this.verbs.set(key, out);
    }
    return out;
  }
}

// metricDirection by metric name, cached (the metric names are the table's few hundred)
const directions = new Map<string, string>();
function directionOf(metric: string): string {
  let d = directions.get(metric);
  if (d === undefined) {
    d = metricDirection(metric) ?? 'none';
    if (directions.size < 10_000) directions.set(metric, d);
  }
  return d;
}

function shape(c: Claim): string {
  const v = Math.abs(c.value);
  if (c.unit === '%' || c.unit === 'pp')
    return v < 1 ? 'pct<1' : v < 10 ? 'pct<10' : v <= 100 ? 'pct<=100' : 'pct>100';
  if (c.unit === 'x') return v < 2 ? 'x<2' : 'x>=2';
  if (Number.isInteger(c.value)) return v < 10 ? 'int<10' : v < 1000 ? 'int<1000' : 'int>=1000';
  return v < 1 ? 'dec<1' : v <= 100 ? 'dec<=100' : 'dec>100';
}

/**
 * Where features go: the names sink (training, tests) writes their names, the hash sink (the hot path) hashes family
 * and value without building a string and adds the weights it finds.
 */
interface FeatureSink {
  str(f: Family, value: string): void;
  /** the value of the word text[start, end) (wordValue), or its stem */
  word(f: Family, start: number, end: number, stemmed: boolean): void;
  /** wordValue of the first word, "_", wordValue of the second */
  pair(f: Family, s1: number, e1: number, s2: number, e2: number): void;
}

// the word bounds of the current claim's windows (reused: the hot path allocates no arrays for them)
const leftWords: number[] = [];
const rightWords: number[] = [];

/**
 * Emits the sparse features of claims[i] (a claim the rules emitted from ctx.text, claims sorted by start); with
 * `fieldsOnly`, those of the claim's own fields only (the first stage's).
 */
function emitKindFeatures(
  ctx: KindContext,
  claims: readonly Claim[],
  i: number,
  out: FeatureSink,
  fieldsOnly: boolean,
): void {
  const text = ctx.text;
  const c = claims[i];
  const sh = shape(c);
  const kind = c.kind;
  out.str(F.bias, '');
  out.str(F.k, kind);
  out.str(F.u, c.unit);
  out.str(F.c, c.category);
  out.str(KU.get(kind) ?? F.unknownKind, c.unit);
  out.str(KC.get(kind) ?? F.unknownKind, c.category);
  out.str(F.sh, sh);
  out.str(KSH.get(kind) ?? F.unknownKind, sh);
  out.str(F.m, c.metric ?? '-');
  out.str(F.mdir, c.metric ? directionOf(c.metric) : '-');
  out.str(KM.get(kind) ?? F.unknownKind, c.metric ? 'y' : 'n');
  out.str(F.imp, c.improvement === true ? 'true' : c.improvement === false ? 'false' : '-');
  out.str(F.bl, c.baseline ? 'y' : 'n');
  out.str(F.cmp, c.comparedTo ? 'y' : 'n');
  out.str(F.ds, c.dataset ? 'y' : 'n');
  out.str(F.q, c.qualifier ?? '-');
  out.str(F.rng, c.low != null ? 'y' : 'n');
  if (c.unitText) out.str(F.ut, c.unitText.toLowerCase());
  if (fieldsOnly) return;
  const [s, e] = ctx.sentence(c.start, c.end);
  const beforeFrom = Math.max(s, c.start - WINDOW_CHARS);
  const afterTo = Math.min(e, c.end + WINDOW_CHARS);
  const prevChar = text[c.start - 1] ?? '^';
  out.str(F.pc, /\s/.test(prevChar) ? ' ' : prevChar);
  // the last WINDOW_WORDS words before the value (read from its last 80 characters), nearest first; the first after it
  scanWords(text, Math.max(beforeFrom, c.start - 80), c.start, 1 << 30, leftWords);
  const lw = leftWords.length / 2;
  const nl = Math.min(lw, WINDOW_WORDS);
  for (let k = 0; k < nl; k++) {
    const ws = leftWords[2 * (lw - 1 - k)];
    const we = leftWords[2 * (lw - 1 - k) + 1];
    if (k < 3) out.word(L_AT[k], ws, we, false);
    out.word(F.lb, ws, we, true);
  }
  scanWords(text, c.end, afterTo, WINDOW_WORDS, rightWords);
  const nr = rightWords.length / 2;
  for (let k = 0; k < nr; k++) {
    if (k < 3) out.word(R_AT[k], rightWords[2 * k], rightWords[2 * k + 1], false);
    out.word(F.rb, rightWords[2 * k], rightWords[2 * k + 1], true);
  }
  if (nl > 1)
    out.pair(
      F.l21,
      leftWords[2 * (lw - 2)],
      leftWords[2 * (lw - 2) + 1],
      leftWords[2 * (lw - 1)],
      leftWords[2 * (lw - 1) + 1],
    );
  if (nr > 1) out.pair(F.r12, rightWords[0], rightWords[1], rightWords[2], rightWords[3]);
  for (let k = 0; k < Math.min(nr, 2); k++) {
    if (!isLetter(text.charCodeAt(rightWords[2 * k]))) continue;
    const w = text.slice(rightWords[2 * k], rightWords[2 * k + 1]).toLowerCase();
    if (SCOPE_NOUNS.has(w)) out.str(F.rn[k], 'scope');
    if (SIZE_NOUNS.has(w)) out.str(F.rn[k], 'size');
  }
  // the cue-word classes kind.ts reads
  const a = text.slice(c.end, Math.min(afterTo, c.end + 80));
  const b = text.slice(Math.max(beforeFrom, c.start - 100), c.start);
  if (AFTER_IMPROVE.test(a)) out.str(F.cue, 'after-improve');
  if (AFTER_REDUCE.test(a)) out.str(F.cue, 'after-reduce');
  if (AFTER_SPEED.test(a)) out.str(F.cue, 'after-speed');
  if (AFTER_SHARE_OF_LEVEL.test(a)) out.str(F.cue, 'share-of-level');
  if (AFTER_SHARE_OF_DATA.test(a)) out.str(F.cue, 'share-of-data');
  if (RESULT_VERB_RE.test(b)) out.str(F.cue, 'result-verb');
  if (BEFORE_IMPROVE.test(b)) out.str(F.cue, 'before-improve');
  if (BEFORE_REDUCE.test(b)) out.str(F.cue, 'before-reduce');
  if (BEFORE_SPEED.test(b)) out.str(F.cue, 'before-speed');
  if (BEFORE_RETAIN.test(b)) out.str(F.cue, 'before-retain');
  // parentheses: inside one, or followed by one
  const before = text.slice(beforeFrom, c.start);
  if (before.lastIndexOf('(') > before.lastIndexOf(')')) out.str(F.inparen, '');
  if (/^\s*\(/.test(a)) out.str(F.parenAfter, '');
  if (/^\s*[+−-]/.test(text.slice(Math.max(0, c.start - 2), c.start + 1))) out.str(F.signed, '');
  for (const v of ctx.sentenceVerbs(s, e)) out.str(F.sv, v);
  // place in the sentence's list of claims
  let first = i;
  while (first > 0 && claims[first - 1].start >= s) first--;
  let last = i;
  while (last + 1 < claims.length && claims[last + 1].end <= e) last++;
  out.str(F.pos, first === last ? 'only' : i === first ? 'first' : i === last ? 'last' : 'mid');
  if (i > first) {
    const p = claims[i - 1];
    out.str(F.pk, p.kind);
    out.str(F.pu, p.unit === c.unit ? 'same' : 'diff');
  }
  if (i < last) {
    const n = claims[i + 1];
    out.str(F.nk, n.kind);
    out.str(F.nu, n.unit === c.unit ? 'same' : 'diff');
  }
  if (s === 0) out.str(F.sent, 'first');
}

class NameSink implements FeatureSink {
  readonly names: string[] = [];
  constructor(private readonly text: string) {}
  private value(start: number, end: number, stemmed: boolean): string {
    const v = wordValue(this.text, start, end);
    return stemmed ? stem(v) : v;
  }
  str(f: Family, value: string): void {
    this.names.push(f.name + value);
  }
  word(f: Family, start: number, end: number, stemmed: boolean): void {
    this.names.push(f.name + this.value(start, end, stemmed));
  }
  pair(f: Family, s1: number, e1: number, s2: number, e2: number): void {
    this.names.push(`${f.name}${this.value(s1, e1, false)}_${this.value(s2, e2, false)}`);
  }
}

/** The feature names of claims[i] (what the trainer reads and the model file stores). */
export function kindFeatures(
  text: string,
  claims: readonly Claim[],
  i: number,
  ctx: KindContext = new KindContext(text),
  fieldsOnly = false,
): string[] {
  const sink = new NameSink(text);
  emitKindFeatures(ctx, claims, i, sink, fieldsOnly);
  return sink.names;
}

function softmax(z: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if (z[k] > max) max = z[k];
  let sum = 0;
  const p = new Array<number>(z.length);
  for (let k = 0; k < z.length; k++) {
    p[k] = Math.exp(z[k] - max);
    sum += p[k];
  }
  for (let k = 0; k < z.length; k++) p[k] /= sum;
  return p;
}

/** The class probabilities of a list of feature names (the trainer's and the tests' path). */
export function kindProbabilities(model: KindWeights, features: readonly string[]): number[] {
  const z = model.bias.slice();
  for (const name of features) {
    const w = Object.prototype.hasOwnProperty.call(model.weights, name) ? model.weights[name] : undefined;
    if (w) for (let k = 0; k < z.length; k++) z[k] += w[k];
  }
  return softmax(z);
}

/**
 * Weights as the hot path reads them: an open-addressing table from feature keys to their weights (a value that is
 * no feature of the model finds another's weights only when its 32-bit hash equals that one's: about 1 lookup in 10^6).
 */
export interface HashedWeights {
  bias: Float64Array;
  keys: Int32Array;
  table: Float64Array;
  mask: number;
}

/** A model as the hot path reads it. */
export interface LoadedKindModel extends KindModelFile {
  hashed: HashedWeights;
  firstHashed: HashedWeights;
}

function hashWeights(w: KindWeights, K: number): HashedWeights {
  const names = Object.keys(w.weights);
  let cap = 16;
  while (cap < 2 * names.length) cap *= 2;
  const keys = new Int32Array(cap);
  const table = new Float64Array(cap * K);
  for (const name of names) {
    const key = featureKey(name);
    let at = key & (cap - 1);
    while (keys[at] !== 0) {
      if (keys[at] === key) throw new Error(`kind model: features hash alike (${name}); rename a family`);
      at = (at + 1) & (cap - 1);
    }
    keys[at] = key;
    table.set(w.weights[name], at * K);
  }
  return { bias: Float64Array.from(w.bias), keys, table, mask: cap - 1 };
}

export function compileKindModel(file: KindModelFile): LoadedKindModel {
  const K = file.classes.length;
  return { ...file, hashed: hashWeights(file, K), firstHashed: hashWeights(file.first, K) };
}

class HashSink implements FeatureSink {
  readonly z: Float64Array;
  private w: HashedWeights;
  constructor(
    model: LoadedKindModel,
    private readonly text: string,
  ) {
    this.z = new Float64Array(model.classes.length);
    this.w = model.hashed;
  }
  reset(w: HashedWeights): void {
    this.w = w;
    this.z.set(w.bias);
  }
  private add(h: number): void {
    const key = h || 1;
    const { keys, table, mask } = this.w;
    const z = this.z;
    const K = z.length;
    for (let at = key & mask; keys[at] !== 0; at = (at + 1) & mask)
      if (keys[at] === key) {
        const o = at * K;
        for (let k = 0; k < K; k++) z[k] += table[o + k];
        return;
      }
  }
  str(f: Family, value: string): void {
    this.add(fnvString(f.key, value));
  }
  word(f: Family, start: number, end: number, stemmed: boolean): void {
    this.add(fnvWord(f.key, this.text, start, end, stemmed));
  }
  pair(f: Family, s1: number, e1: number, s2: number, e2: number): void {
    this.add(fnvWord(fnvChar(fnvWord(f.key, this.text, s1, e1, false), 95), this.text, s2, e2, false));
  }
}

/** The class probabilities of claims[i], hashing its features straight from the text (the hot path). */
export function claimKindProbabilities(
  model: LoadedKindModel,
  text: string,
  claims: readonly Claim[],
  i: number,
  ctx: KindContext = new KindContext(text),
  sink: HashSink = new HashSink(model, text),
  firstStage = false,
): number[] {
  sink.reset(firstStage ? model.firstHashed : model.hashed);
  emitKindFeatures(ctx, claims, i, sink, firstStage);
  return softmax(sink.z);
}

const SETUP_KINDS: ReadonlySet<string> = new Set(['scope', 'size']);

/** Whether kind b is in the other category (setup vs result) than kind a. */
export const crossesCategory = (a: string, b: string): boolean => SETUP_KINDS.has(a) !== SETUP_KINDS.has(b);

/**
 * The model's kind where p(model's) − p(rules') ≥ margin (≥ crossMargin when it moves the claim between setup and
 * result), else the rules'.
 */
export function decideKind(
  model: KindModelFile,
  rules: ClaimKind,
  p: readonly number[],
  margin: number,
  crossMargin: number = margin,
): ClaimKind {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  const own = model.classes.indexOf(rules);
  const kind = model.classes[best];
  const need = crossesCategory(rules, kind) ? crossMargin : margin;
  return p[best] - (own >= 0 ? p[own] : 0) >= need ? kind : rules;
}

/**
 * The kind the model gives claims[i]: the rules' where the first stage gives it at least `gate`, else the full model's
 * own where p(own) − p(rules') ≥ margin, else the rules'.
 */
function correctedKind(
  model: LoadedKindModel,
  ctx: KindContext,
  sink: HashSink,
  claims: readonly Claim[],
  i: number,
): ClaimKind {
  const rules = claims[i].kind;
  const own = model.classes.indexOf(rules);
  if (own >= 0 && claimKindProbabilities(model, ctx.text, claims, i, ctx, sink, true)[own] >= model.gate)
    return rules;
  return decideKind(
    model,
    rules,
    claimKindProbabilities(model, ctx.text, claims, i, ctx, sink),
    model.margin,
    model.crossMargin ?? model.margin,
  );
}

/** The shipped model, under data/metrics (tools/train/train-metrics-kind.ts writes it). */
export const KIND_MODEL_FILE = ['kind-model.json.gz'];

/** Reads a model file (gzip'd JSON). */
export function loadKindModelFile(path: string): LoadedKindModel {
  return compileKindModel(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as KindModelFile);
}

let shipped: LoadedKindModel | null | undefined;

/** The shipped model, read once (null when data/metrics/kind-model.json.gz is not found above this file). */
export function shippedKindModel(): LoadedKindModel | null {
  if (shipped === undefined) {
    shipped = null;
    for (let dir = __dirname; ; dir = dirname(dir)) {
      const path = join(dir, 'data', 'metrics', ...KIND_MODEL_FILE);
      if (existsSync(path)) {
        shipped = loadKindModelFile(path);
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return shipped;
}

/**
 * Gives each claim the model's kind where the model is confident (correctedKind), all decided on the rules' output
 * before any is changed; a changed kind brings its category (scope and size size the setup, the rest are results)
 * and its improvement flag along.
 */
const CATEGORY_COUNT_RE = /\bcategories$/i;

export function correctKinds(
  text: string,
  claims: Claim[],
  model: LoadedKindModel | null = shippedKindModel(),
): void {
  if (!model || !claims.length) return;
  const ctx = new KindContext(text);
  const sink = new HashSink(model, text);
  const kinds = claims.map((_, i) => correctedKind(model, ctx, sink, claims, i));
  claims.forEach((c, i) => {
    const kind = kinds[i];
    if (kind === c.kind) return;
    // metrics-1.27.0: a kind a rule decided from the words around the value (a share of a gap closed, a change and the
    // level it reaches) is not the correction's to change
    if (KIND_DECIDED.has(c)) return;
    // metrics-1.24.0: a count of categories is `size` whatever is categorised (GUIDE, dev-23 adjudication); the
    // correction, trained on sets labelled before that rule was written, does not make it `scope` (types and classes
    // of what an evaluation compares stay as it reads them: "three shift types", "nine disease types")
    if (c.kind === 'size' && kind === 'scope' && c.unit === 'count' && CATEGORY_COUNT_RE.test(c.text)) return;
    const explicitBetter =
      c.improvement === true && (c.kind === 'relative_improvement' || c.kind === 'speedup');
    c.kind = kind;
    c.category = SETUP_KINDS.has(kind) ? 'setup' : 'result';
    c.improvement = improvementOf(kind, explicitBetter, c.metric, c.value, c.baseline);
  });
}
