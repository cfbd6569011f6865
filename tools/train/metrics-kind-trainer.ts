// Multinomial logistic regression for the learned kind correction of libs/metrics (kind-model.ts): a deterministic
// AdaGrad trainer (fixed example order, no randomness) and the examples read from the labelled dev abstracts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Claim } from '@paperwire/contracts';
import { CLAIM_KINDS } from '@paperwire/contracts';

import {
  KindContext,
  type KindModelFile,
  crossesCategory,
  type KindWeights,
  extractClaims,
  kindFeatures,
  kindProbabilities,
} from '@paperwire/metrics';
import { DEV_SETS, HELD_OUT_SETS, type LabelRow, match, sameValue } from '../eval/metrics-score';

/** The labelled dev sets the correction is trained and cross-validated on (folds = sets). Never a held-out set. */
export { DEV_SETS };
for (const s of DEV_SETS) if (HELD_OUT_SETS.includes(s)) throw new Error(`${s} is held out`);

/**
 * The dev sets drawn and labelled after metrics-1.19.0 (dev-15..18, brief ext24; dev-19..20, session 14; dev-21..22,
 * session 15, untuned claims from 1.20.0's rules; dev-23..24, session 15, from 1.21.0's; dev-25, session 20, from 1.23.0's; dev-26, session 21, from 1.24.0's; dev-27, session 22, from 1.25.0's; dev-28, session 23, from 1.27.0's; dev-29, session 24, from 1.28.0's; dev-30, session 25, from 1.29.0's; dev-31, session 26, from 1.30.0's; dev-32, session 26, from 1.31.0's; dev-33, session 26, from 1.32.0's; dev-34, session 26, from 1.33.0's; dev-35, session 27, from 1.34.0's; dev-36, session 27, from 1.35.0's; dev-37, session 27, from 1.36.0's): their untuned claims are the rules of their day (extractClaimsByRules), i.e. what the corrections see at run time. The shipped kind model (1.19.0's) is trained on
 * the sets before them (KIND_MODEL_SETS); retrained with them it gained too little to ship (libs/metrics/README.md).
 */
export const CURRENT_RULES_SETS: readonly string[] = [
  'dev-15.jsonl',
  'dev-16.jsonl',
  'dev-17.jsonl',
  'dev-18.jsonl',
  'dev-19.jsonl',
  'dev-20.jsonl',
  'dev-21.jsonl',
  'dev-22.jsonl',
  'dev-23.jsonl',
  'dev-24.jsonl',
  'dev-25.jsonl',
  'dev-26.jsonl',
  'dev-27.jsonl',
  'dev-28.jsonl',
  'dev-29.jsonl',
  'dev-30.jsonl',
  'dev-31.jsonl',
  'dev-32.jsonl',
  'dev-33.jsonl',
  'dev-34.jsonl',
  'dev-35.jsonl',
  'dev-36.jsonl',
  'dev-37.jsonl',
];
export const KIND_MODEL_SETS: readonly string[] = DEV_SETS.filter((s) => !CURRENT_RULES_SETS.includes(s));

/** The untuned extractor's claims on the dev sets (tools/train/untuned-claims.ts writes it). */
export const TRAIN_CLAIMS_FILE = ['data', 'metrics', 'kind-train-claims.jsonl.gz'];
export interface UntunedRow {
  set: string;
  id: string;
  /** the EXTRACTOR_VERSION that emitted the claims: the one before the set was tuned on */
  version: string;
  claims: Claim[];
}

/** The untuned extractor's claims (kind-train-claims.jsonl.gz under `root`) by set and id. */
export function readUntuned(root: string): Map<string, UntunedRow> {
  const untuned = new Map<string, UntunedRow>();
  for (const line of gunzipSync(readFileSync(join(root, ...TRAIN_CLAIMS_FILE)))
    .toString('utf8')
    .split('\n'))
    if (line.trim()) {
      const r = JSON.parse(line) as UntunedRow;
      untuned.set(`${r.set}\u0000${r.id}`, r);
    }
  return untuned;
}

/** One claim the rules emitted that matches a gold claim: its features, the rules' kind and the gold kind. */
export interface KindExample {
  set: string;
  id: string;
  features: string[];
  /** the first stage's features: the claim's own fields */
  fields: string[];
  rules: string;
  /** the gold kind; for a claim that matches no gold claim (unmatched), the rules' own ("keep") */
  gold: string;
  /** false: the claim matches no gold claim (only with kindExamples' `unmatched`; never scored for kind accuracy) */
  matched: boolean;
}

/**
 * The examples of one label set: every emitted claim matched to a gold claim (the scorer's matcher); with `unmatched`
 * also every other emitted claim, with the rules' kind as its target (keep it).
 */
export function kindExamples(
  set: string,
  rows: readonly LabelRow[],
  claimsOf: (row: LabelRow) => Claim[] = (row) => extractClaims(row.text),
  unmatched = false,
): KindExample[] {
  const out: KindExample[] = [];
  for (const row of rows) {
    const pred = claimsOf(row);
    const pairs = match(row.claims, pred, (g, p) => sameValue(g.value, p.value));
    const goldOf = new Map(pairs.map(([g, p]) => [p, g]));
    const ctx = new KindContext(row.text);
    pred.forEach((p, i) => {
      const g = goldOf.get(p);
      if (g || unmatched)
        out.push({
          set,
          id: row.id,
          features: kindFeatures(row.text, pred, i, ctx),
          fields: kindFeatures(row.text, pred, i, ctx, true),
          rules: p.kind,
          gold: g ? g.kind : p.kind,
          matched: !!g,
        });
    });
  }
  return out;
}

export interface TrainOptions {
  /** L2 strength per example update */
  l2: number;
  epochs: number;
  /** AdaGrad step */
  rate: number;
  /** features seen in fewer training examples are dropped */
  minCount: number;
}

export const DEFAULT_TRAIN: TrainOptions = { l2: 1e-4, epochs: 10, rate: 0.2, minCount: 2 };

/** A fixed, content-derived order of training items (so a model does not depend on the file order): sorted by the
 * sha1 of each item's `content` (its id, its index and its features). */
export function contentOrder<T>(items: readonly T[], content: (item: T, k: number) => string): T[] {
  const keyed = items.map((item, k) => ({
    item,
    key: createHash('sha1').update(content(item, k)).digest('hex'),
  }));
  return keyed.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0)).map((x) => x.item);
}

/** The features seen in at least `minCount` examples (each example counted once per feature), sorted, indexed. */
export function featureIndex(
  examples: Iterable<Iterable<string>>,
  minCount: number,
): { names: string[]; index: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const names = [...counts.keys()].filter((f) => (counts.get(f) ?? 0) >= minCount).sort();
  return { names, index: new Map(names.map((f, j) => [f, j])) };
}

/** An example's features as sorted indices of `index` (unknown ones dropped, duplicates once). */
export const indexed = (features: readonly string[], index: Map<string, number>): number[] =>
  [...new Set(features)]
    .map((f) => index.get(f))
    .filter((j): j is number => j !== undefined)
    .sort((p, q) => p - q);

/** Trains one logistic regression on `features` (or the first stage's `fields`). Deterministic. */
export function trainWeights(
  examples: readonly KindExample[],
  opts: TrainOptions = DEFAULT_TRAIN,
  which: 'features' | 'fields' = 'features',
): KindWeights {
  const classes: readonly string[] = CLAIM_KINDS;
  const K = classes.length;
  const { names, index } = featureIndex(
    examples.map((e) => e[which]),
    opts.minCount,
  );
  const W = new Float64Array(names.length * K);
  const G = new Float64Array(names.length * K).fill(1e-8);
  const b = new Float64Array(K);
  const gb = new Float64Array(K).fill(1e-8);
  const data = contentOrder(examples, (e, k) => `${e.id}\u0000${k}\u0000${e.features.join(' ')}`)
    .map((e) => ({ x: indexed(e[which], index), y: classes.indexOf(e.gold) }))
    .filter((d) => d.y >= 0);
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const d of data) {
      for (let k = 0; k < K; k++) {
        let s = b[k];
        for (const j of d.x) s += W[j * K + k];
        z[k] = s;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (z[k] > max) max = z[k];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      for (let k = 0; k < K; k++) {
        const g = z[k] / sum - (k === d.y ? 1 : 0);
        gb[k] += g * g;
        b[k] -= (opts.rate * g) / Math.sqrt(gb[k]);
        for (const j of d.x) {
          const at = j * K + k;
          const gw = g + opts.l2 * W[at];
          G[at] += gw * gw;
          W[at] -= (opts.rate * gw) / Math.sqrt(G[at]);
        }
      }
    }
  }
  const round = (v: number): number => Math.round(v * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  names.forEach((f, j) => {
    const w = Array.from(W.subarray(j * K, j * K + K), round);
    if (w.some((v) => v !== 0)) weights[f] = w;
  });
  return { bias: Array.from(b, round), weights };
}

/** The model file: both stages trained on all the examples, with the margin and gate the caller chose. */
export function trainKindModel(
  examples: readonly KindExample[],
  margin: number,
  gate: number,
  opts: TrainOptions = DEFAULT_TRAIN,
  version = 'kind-model',
  crossMargin: number = margin,
): KindModelFile {
  const full = trainWeights(examples, opts, 'features');
  return {
    version,
    classes: [...CLAIM_KINDS],
    margin,
    // stored only when it differs from margin (absent = margin: 1.19.0's files read the same)
    ...(crossMargin === margin ? {} : { crossMargin }),
    gate,
    bias: full.bias,
    weights: full.weights,
    first: trainWeights(examples, opts, 'fields'),
  };
}

/** An example's class probabilities out of fold: the full model's (p) and the first stage's (p1). */
export interface OofPrediction {
  e: KindExample;
  p: number[];
  p1: number[];
}

/** Leave-one-set-out predictions: each set scored by models trained on the other sets. */
export function outOfFold(
  examples: readonly KindExample[],
  opts: TrainOptions = DEFAULT_TRAIN,
): OofPrediction[] {
  const sets = [...new Set(examples.map((e) => e.set))];
  const out: OofPrediction[] = [];
  for (const set of sets) {
    const rest = examples.filter((e) => e.set !== set);
    const full = trainWeights(rest, opts, 'features');
    const first = trainWeights(rest, opts, 'fields');
    for (const e of examples.filter((x) => x.set === set))
      out.push({ e, p: kindProbabilities(full, e.features), p1: kindProbabilities(first, e.fields) });
  }
  return out;
}

const CLASSES: readonly string[] = CLAIM_KINDS;

/** Whether the first stage keeps the rules' kind (p1 of it ≥ gate): then the full model is not run. */
export const gated = (o: OofPrediction, gate: number): boolean => {
  const own = CLASSES.indexOf(o.e.rules);
  return own >= 0 && o.p1[own] >= gate;
};

/**
 * The kind kept, as correctedKind decides: the rules' when gated, else the model's when p(model's) − p(rules') ≥
 * margin (≥ crossMargin when the change moves the claim between setup and result).
 */
export function decide(o: OofPrediction, margin: number, gate = Infinity, crossMargin = margin): string {
  if (gated(o, gate)) return o.e.rules;
  let best = 0;
  for (let k = 1; k < o.p.length; k++) if (o.p[k] > o.p[best]) best = k;
  const own = CLASSES.indexOf(o.e.rules);
  const need = crossesCategory(o.e.rules, CLASSES[best]) ? crossMargin : margin;
  return o.p[best] - (own >= 0 ? o.p[own] : 0) >= need ? CLASSES[best] : o.e.rules;
}

/** Kind accuracy of the rules (margin null) or of the corrected kinds. */
export function kindAccuracy(
  oof: readonly OofPrediction[],
  margin: number | null,
  gate = Infinity,
  crossMargin: number | null = margin,
): number {
  let ok = 0;
  let n = 0;
  for (const o of oof) {
    if (!o.e.matched) continue;
    n++;
    if ((margin === null ? o.e.rules : decide(o, margin, gate, crossMargin ?? margin)) === o.e.gold) ok++;
  }
  return ok / (n || 1);
}

/**
 * The cross-category margins tried: the within-category margin itself (ext21's 1.19.0), larger ones,
 * and NEVER (category-preserving: a margin no probability difference reaches).
 */
export const NEVER = 2;
export const CROSS_MARGINS = (margin: number): number[] => [
  ...new Set([margin, ...MARGINS.filter((m) => m > margin), NEVER]),
];

/** The margins tried; the first best one (lowest) is kept. */
export const MARGINS = Array.from({ length: 20 }, (_, k) => k / 20);

export function chooseMargin(oof: readonly OofPrediction[]): number {
  let best = MARGINS[0];
  for (const m of MARGINS) if (kindAccuracy(oof, m) > kindAccuracy(oof, best) + 1e-12) best = m;
  return best;
}

/** The gates tried; the full model may run on at most MAX_FULL_SHARE of the claims (the cost budget). */
export const GATES = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
export const MAX_FULL_SHARE = 0.35;

/** The share of claims the full model runs on at `gate`. */
export const fullShare = (oof: readonly OofPrediction[], gate: number): number =>
  oof.filter((o) => !gated(o, gate)).length / (oof.length || 1);

/** The gate of best out-of-fold accuracy among those within the cost budget (ties: the cheaper). */
export function chooseGate(oof: readonly OofPrediction[], margin: number): number {
  let best = GATES[0];
  for (const g of GATES)
    if (
      fullShare(oof, g) <= MAX_FULL_SHARE &&
      kindAccuracy(oof, margin, g) > kindAccuracy(oof, margin, best) + 1e-12
    )
      best = g;
  return best;
}

/** One candidate: a training set (matched claims, or with the unmatched ones as "keep") and a cross-category margin. */
export interface Candidate {
  training: 'matched' | 'matched+unmatched';
  crossMargin: number;
  kindAcc: number;
  resultF1: number;
}

/**
 * The candidate kept: the best pooled out-of-fold kind accuracy among those whose pooled result F1 is at least
 * 1.19.0's (matched claims, cross margin = margin) and whose kind and result F1 are at least the rules'; ties: the
 * higher result F1, then the earlier candidate.
 */
export function chooseCandidate(
  candidates: readonly Candidate[],
  rules: { kindAcc: number; resultF1: number },
  ext21: Candidate,
): Candidate {
  const floor = Math.max(ext21.resultF1, rules.resultF1);
  let best = ext21;
  for (const c of candidates) {
    if (c.resultF1 < floor - 1e-12 || c.kindAcc < rules.kindAcc - 1e-12) continue;
    if (
      c.kindAcc > best.kindAcc + 1e-12 ||
      (Math.abs(c.kindAcc - best.kindAcc) <= 1e-12 && c.resultF1 > best.resultF1 + 1e-12)
    )
      best = c;
  }
  return best;
}
