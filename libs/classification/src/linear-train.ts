// Training of the learned linear heads (see linear.ts): FTRL-Proximal logistic regression (per-coordinate
// adaptive steps, L1 + L2, so most of the 2^bits weights stay exactly zero), all heads in one pass over the
// data, deterministic (seeded shuffles). Used by tools/train/train-classifier; no I/O here.
import {
  type LinearFeatureSpec,
  type LinearFeatures,
  type LinearHeadFile,
  type LinearHeadKind,
  featureCount,
} from './linear';

export interface FtrlOptions {
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  epochs: number;
  seed: number;
}

export const DEFAULT_FTRL: FtrlOptions = { alpha: 0.5, beta: 1, l1: 0.5, l2: 0.5, epochs: 5, seed: 7 };

export interface HeadSpec {
  kind: LinearHeadKind;
  label: string;
  /** target per example: 1, 0, or -1 = not used for this head */
  y: Int8Array;
  /** index into each example's keyword logits, or -1 */
  keyword: number;
  /** weight of a positive example's loss */
  positiveWeight: number;
  /**
   * Heads sharing a group name are one softmax over the group (multinomial: exactly one of them is the target
   * of an example, y = 1 for it and 0 for the others; -1 = example not used); no group = a logistic head.
   */
  softmaxGroup?: string;
}

export interface TrainExample {
  f: LinearFeatures;
  /** keyword-model logit per topic (same order as the topics the caller uses) */
  keyword: Float64Array;
  /** weight of the example's loss (importance weight; 1 when absent) */
  weight?: number;
}

export interface TrainedHeads {
  bits: number;
  heads: { bias: number; keywordWeight: number; weights: Float32Array }[];
}

/** Seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sig = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Head indices of each softmax group, in head order. */
export function softmaxGroups(heads: { softmaxGroup?: string }[]): number[][] {
  const by = new Map<string, number[]>();
  heads.forEach((h, i) => {
    if (h.softmaxGroup === undefined) return;
    const g = by.get(h.softmaxGroup);
    if (g) g.push(i);
    else by.set(h.softmaxGroup, [i]);
  });
  return [...by.values()];
}

/** out[h] = softmax of logits over `members` (numerically stable). */
export function softmaxInPlace(logits: ArrayLike<number>, members: number[], out: Float64Array): void {
  let max = -Infinity;
  for (const h of members) max = Math.max(max, logits[h]);
  let sum = 0;
  for (const h of members) sum += out[h] = Math.exp(logits[h] - max);
  for (const h of members) out[h] /= sum;
}

/**
 * NB feature scaling (NBSVM, Wang & Manning 2012) of the topic heads, from the examples in `rows` only: for each
 * head of kind 'topic' and each hashed bucket b, the log-count ratio
 *   r_b = log( (p_b / |p|_1) / (q_b / |q|_1) ),  p = alpha + sum over positive rows of 1{b active}, q the same over
 * negative rows (y = 0; rows with y = -1 left out), |.|_1 summed over the 2^bits hashed buckets.
 * Layout [feature][head] as trainHeads' `scale`; 1 for every other head and for the dense features (unscaled).
 * `kinds` names the heads scaled (default the topic heads; a 'primary' head's positives are the papers whose primary
 * topic it is, its negatives the other papers its softmax is trained on).
 */
export function nbRatios(
  examples: TrainExample[],
  rows: number[],
  heads: HeadSpec[],
  space: number | Pick<LinearFeatureSpec, 'bits' | 'dense'>,
  alpha = 1,
  kinds: readonly LinearHeadKind[] = ['topic'],
): Float32Array {
  const bits = typeof space === 'number' ? space : space.bits;
  const H = heads.length;
  const hashed = 1 << bits;
  const B = typeof space === 'number' ? hashed : featureCount(space);
  const out = new Float32Array(B * H).fill(1);
  const topics = heads.flatMap((h, i) => (kinds.includes(h.kind) ? [i] : []));
  if (topics.length === 0) return out;
  const T = topics.length;
  const pos = new Float64Array(hashed * T);
  const neg = new Float64Array(hashed * T);
  const seen = new Int32Array(hashed).fill(-1);
  const active: number[] = [];
  for (const r of rows) {
    const { idx } = examples[r].f;
    active.length = 0;
    for (let k = 0; k < idx.length; k++) {
      const b = idx[k];
      if (b >= hashed || seen[b] === r) continue;
      seen[b] = r;
      active.push(b);
    }
    for (let t = 0; t < T; t++) {
      const y = heads[topics[t]].y[r];
      if (y < 0) continue;
      const counts = y === 1 ? pos : neg;
      for (const b of active) counts[b * T + t] += 1;
    }
  }
  for (let t = 0; t < T; t++) {
    let p1 = 0;
    let q1 = 0;
    for (let b = 0; b < hashed; b++) {
      p1 += alpha + pos[b * T + t];
      q1 += alpha + neg[b * T + t];
    }
    const h = topics[t];
    for (let b = 0; b < hashed; b++)
      out[b * H + h] = Math.log((alpha + pos[b * T + t]) / p1) - Math.log((alpha + neg[b * T + t]) / q1);
  }
  return out;
}

/**
 * Trains every head on the examples in `rows` (indices into `examples`); `space` is the feature spec (or just its
 * hash bits, for a spec without a dense block). With `scale` (layout [feature][head], e.g. nbRatios) head h is
 * trained on x_b * scale[b][h] and the scale is folded into the returned weights (w_b * scale[b][h]), so the result
 * scores raw features x as the scaled model scores x ⊙ scale (headLogit, packHead and run time unchanged).
 */
export function trainHeads(
  examples: TrainExample[],
  rows: number[],
  heads: HeadSpec[],
  space: number | Pick<LinearFeatureSpec, 'bits' | 'dense'>,
  opts: FtrlOptions = DEFAULT_FTRL,
  scale?: Float32Array,
): TrainedHeads {
  const bits = typeof space === 'number' ? space : space.bits;
  const H = heads.length;
  const B = typeof space === 'number' ? 1 << bits : featureCount(space);
  if (scale !== undefined && scale.length !== B * H)
    throw new Error(`trainHeads: scale has ${scale.length} entries, not ${B} features x ${H} heads`);
  // Layout [bucket][head]: a feature's weights for all heads are contiguous.
  const z = new Float32Array(B * H);
  const n = new Float32Array(B * H);
  // bias and keyword weight: plain per-head FTRL coordinates, no L1
  const zb = new Float64Array(H);
  const nb = new Float64Array(H);
  const zk = new Float64Array(H);
  const nk = new Float64Array(H);
  const { alpha, beta, l1, l2 } = opts;
  const w = (zi: number, ni: number): number =>
    zi <= l1 && zi >= -l1 ? 0 : -(zi - (zi > 0 ? l1 : -l1)) / ((beta + Math.sqrt(ni)) / alpha + l2);
  const wPlain = (zi: number, ni: number): number => -zi / ((beta + Math.sqrt(ni)) / alpha);
  const dots = new Float64Array(H);
  const grads = new Float64Array(H);
  const logits = new Float64Array(H);
  const probs = new Float64Array(H);
  const groups = softmaxGroups(heads);
  const inGroup = new Uint8Array(H);
  for (const members of groups) for (const h of members) inGroup[h] = 1;
  const kwOf = (h: number, ex: TrainExample): number =>
    heads[h].keyword >= 0 ? ex.keyword[heads[h].keyword] : 0;
  const order = rows.slice();
  const rand = rng(opts.seed);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const r of order) {
      const ex = examples[r];
      const { idx, val } = ex.f;
      dots.fill(0);
      for (let k = 0; k < idx.length; k++) {
        const base = idx[k] * H;
        const v = val[k];
        if (scale === undefined)
          for (let h = 0; h < H; h++) {
            const zi = z[base + h];
            if (zi <= l1 && zi >= -l1) continue;
            dots[h] += v * w(zi, n[base + h]);
          }
        else
          for (let h = 0; h < H; h++) {
            const zi = z[base + h];
            if (zi <= l1 && zi >= -l1) continue;
            dots[h] += v * scale[base + h] * w(zi, n[base + h]);
          }
      }
      const exWeight = ex.weight ?? 1;
      for (let h = 0; h < H; h++)
        logits[h] = dots[h] + wPlain(zb[h], nb[h]) + wPlain(zk[h], nk[h]) * kwOf(h, ex);
      for (const members of groups) softmaxInPlace(logits, members, probs);
      for (let h = 0; h < H; h++) {
        const y = heads[h].y[r];
        if (y < 0) {
          grads[h] = 0;
          continue;
        }
        const kwx = kwOf(h, ex);
        const wb = wPlain(zb[h], nb[h]);
        const wk = wPlain(zk[h], nk[h]);
        const p = inGroup[h] ? probs[h] : sig(logits[h]);
        const g = (p - y) * (y === 1 ? heads[h].positiveWeight : 1) * exWeight;
        grads[h] = g;
        // bias
        let s = (Math.sqrt(nb[h] + g * g) - Math.sqrt(nb[h])) / alpha;
        zb[h] += g - s * wb;
        nb[h] += g * g;
        if (kwx !== 0) {
          const gk = g * kwx;
          s = (Math.sqrt(nk[h] + gk * gk) - Math.sqrt(nk[h])) / alpha;
          zk[h] += gk - s * wk;
          nk[h] += gk * gk;
        }
      }
      for (let k = 0; k < idx.length; k++) {
        const base = idx[k] * H;
        const v = val[k];
        for (let h = 0; h < H; h++) {
          const g = scale === undefined ? grads[h] * v : grads[h] * v * scale[base + h];
          if (g === 0) continue;
          const i = base + h;
          const ni = n[i];
          const wi = w(z[i], ni);
          const s = (Math.sqrt(ni + g * g) - Math.sqrt(ni)) / alpha;
          z[i] += g - s * wi;
          n[i] = ni + g * g;
        }
      }
    }
  }
  const out: TrainedHeads['heads'] = [];
  for (let h = 0; h < H; h++) {
    const weights = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const i = b * H + h;
      weights[b] = scale === undefined ? w(z[i], n[i]) : w(z[i], n[i]) * scale[i];
    }
    out.push({ bias: wPlain(zb[h], nb[h]), keywordWeight: wPlain(zk[h], nk[h]), weights });
  }
  return { bits, heads: out };
}

/** Logit of head h for one example. */
export function headLogit(model: TrainedHeads, h: number, ex: TrainExample, keyword: number): number {
  const head = model.heads[h];
  let s = head.bias + (keyword >= 0 ? head.keywordWeight * ex.keyword[keyword] : 0);
  const { idx, val } = ex.f;
  for (let k = 0; k < idx.length; k++) s += val[k] * head.weights[idx[k]];
  return s;
}

/**
 * Platt scaling: p = sigmoid(a z + b) fitted by Newton's method on (logit, label) pairs, with Platt's priors;
 * `ws` weights the pairs (importance weights), 1 each when absent.
 */
export function fitPlatt(zs: number[], ys: number[], ws?: number[]): { a: number; b: number } {
  const wt = (i: number): number => (ws ? ws[i] : 1);
  let pos = 0;
  let neg = 0;
  ys.forEach((y, i) => (y === 1 ? (pos += wt(i)) : (neg += wt(i))));
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = ys.map((y) => (y === 1 ? hi : lo));
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-6;
    let hAB = 0;
    let hBB = 1e-6;
    for (let i = 0; i < zs.length; i++) {
      const p = sig(a * zs[i] + b);
      const d = (p - t[i]) * wt(i);
      const q = p * (1 - p) * wt(i);
      gA += d * zs[i];
      gB += d;
      hAA += q * zs[i] * zs[i];
      hAB += q * zs[i];
      hBB += q;
    }
    const det = hAA * hBB - hAB * hAB;
    if (Math.abs(det) < 1e-12) break;
    const da = (hBB * gA - hAB * gB) / det;
    const db = (hAA * gB - hAB * gA) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** The threshold on p with the best (weighted) F1 over the pairs (grid 0.05..0.95), and that F1. */
export function bestThreshold(ps: number[], ys: number[], ws?: number[]): { threshold: number; f1: number } {
  let best = { threshold: 0.5, f1: -1 };
  for (let t = 0.05; t <= 0.95 + 1e-9; t += 0.025) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i] >= t;
      const w = ws ? ws[i] : 1;
      if (p && ys[i] === 1) tp += w;
      else if (p) fp += w;
      else if (ys[i] === 1) fn += w;
    }
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > best.f1 + 1e-9) best = { threshold: Math.round(t * 1000) / 1000, f1 };
  }
  return best;
}

/** Sparse, quantised form of a head's weights for the model file (|w| < prune dropped, int16). */
export function packHead(
  kind: LinearHeadKind,
  label: string,
  trained: TrainedHeads['heads'][number],
  prune: number,
  positives: number,
): LinearHeadFile {
  const ids: number[] = [];
  let max = 0;
  for (let b = 0; b < trained.weights.length; b++) {
    const v = trained.weights[b];
    if (Math.abs(v) >= prune) {
      ids.push(b);
      max = Math.max(max, Math.abs(v));
    }
  }
  const scale = max > 0 ? max / 32767 : 1;
  const idx: number[] = [];
  const q: number[] = [];
  let prev = 0;
  for (const b of ids) {
    idx.push(b - prev);
    prev = b;
    q.push(Math.round(trained.weights[b] / scale));
  }
  const r = (v: number): number => Math.round(v * 1e6) / 1e6;
  return {
    kind,
    label,
    bias: r(trained.bias),
    keywordWeight: r(trained.keywordWeight),
    idx,
    q,
    scale: Number(scale.toPrecision(8)),
    positives,
  };
}
