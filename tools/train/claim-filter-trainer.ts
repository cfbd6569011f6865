// Briefs ext25 and ext30 (issue #18): a learned keep/drop decision for each claim the rules emit — the examples,
// features, trainer, gate and scorer of the experiment (tools/train/claim-filter.ts prints its tables). Measured, not
// shipped (libs/metrics/README.md, "A learned claim filter").
// Examples: every claim in kind-train-claims.jsonl.gz (what each dev set's rules emitted before it was tuned on; the
// lines of dev-15..24 are 1.19.0's to 1.21.0's rules), label = it matches a gold claim of its row (the eval's `match`). A binary
// logistic regression over the kind model's features (kindFeatures) and a few of the claim's surroundings, trained
// with the kind trainer's deterministic pieces (TrainOptions, featureIndex, indexed, contentOrder).
import { join, resolve } from 'node:path';
import type { Claim } from '@paperwire/contracts';
import { KindContext, kindFeatures, stem } from '@paperwire/metrics';
import {
  type LabelRow,
  emptyScore,
  figures,
  match,
  readLabelRows,
  sameValue,
  scoreRow,
} from '../eval/metrics-score';
import {
  CURRENT_RULES_SETS,
  DEFAULT_TRAIN,
  DEV_SETS,
  type TrainOptions,
  contentOrder,
  featureIndex,
  indexed,
  readUntuned,
} from './metrics-kind-trainer';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The shape of a word: letters as X/x, digits as 9, runs collapsed ("ResNet-50" → "XxXx-9"). */
export function tokenShape(word: string): string {
  let out = '';
  for (const ch of word) {
    const s = /[A-Z]/.test(ch) ? 'X' : /[a-z]/.test(ch) ? 'x' : /[0-9]/.test(ch) ? '9' : ch;
    if (!out.endsWith(s)) out += s;
  }
  return out.slice(0, 8);
}

const PREV_TOKEN_RE = /(\S+)\s*$/;
const NEXT_TOKEN_RE = /^\s*(\S+)/;
const VS_BEFORE_RE = /\b(?:vs\.?|versus|compared (?:to|with)|from|than|over)\s+(?:\S+\s+){0,2}$/i;
const SPAN_WORD_RE = /[A-Za-z][A-Za-z-]+/g;
const TO_AFTER_RE = /^\s*(?:to|→|->)\s/;

/** The filter's features of claims[i]: kindFeatures plus the claim's surroundings (token shapes, span, list, "vs"). */
export function filterFeatures(
  text: string,
  claims: readonly Claim[],
  i: number,
  ctx: KindContext = new KindContext(text),
  fieldsOnly = false,
): string[] {
  const c = claims[i];
  const f = kindFeatures(text, claims, i, ctx, fieldsOnly);
  const before = text.slice(Math.max(0, c.start - 40), c.start);
  const after = text.slice(c.end, Math.min(text.length, c.end + 40));
  const prev = PREV_TOKEN_RE.exec(before)?.[1] ?? '^';
  const next = NEXT_TOKEN_RE.exec(after)?.[1] ?? '$';
  f.push(`ps=${tokenShape(prev)}`, `ns=${tokenShape(next)}`);
  f.push(`own=${tokenShape(text.slice(c.start, c.end))}`);
  const len = c.end - c.start;
  f.push(`len=${len < 4 ? '<4' : len < 8 ? '<8' : len < 16 ? '<16' : '>=16'}`);
  if (VS_BEFORE_RE.test(before)) f.push('vs-before');
  if (TO_AFTER_RE.test(after)) f.push('to-after');
  if (/^\s*,/.test(after) || /,\s*(?:and\s+)?$/.test(before)) f.push('list');
  if (Number.isInteger(c.value) && c.value >= 1900 && c.value <= 2035 && c.unit !== '%') f.push('year-like');
  const n = claims.length;
  f.push(`nclaims=${n < 3 ? n : n < 6 ? '<6' : '>=6'}`);
  f.push(`abspos=${c.start < text.length / 3 ? 'head' : c.start < (2 * text.length) / 3 ? 'mid' : 'tail'}`);
  f.push(`uk=${c.unit}|${c.kind}|${c.metric ? 'm' : '-'}`);
  // the words of the span itself (stemmed): the noun a count counts, a model's name
  for (const w of text.slice(c.start, c.end).match(SPAN_WORD_RE) ?? []) f.push(`sw=${stem(w)}`);
  // the unit with the first word after the value and with the previous token's shape
  const r1 = f.find((x) => x.startsWith('R1:'));
  f.push(`ur1=${c.unit}|${r1 ? r1.slice(3) : '$'}`, `ups=${c.unit}|${tokenShape(prev)}`);
  if (c.end - c.start > 24) f.push('long-span');
  return f;
}

/** One emitted claim: its features and whether it matches a gold claim of its row. */
export interface FilterExample {
  set: string;
  id: string;
  /** the claim's index among its row's emitted claims */
  index: number;
  features: string[];
  /** the cheap first stage's features: the claim's own fields and the filter's own (no sentence window) */
  fields: string[];
  right: boolean;
}

export interface Row {
  set: string;
  row: LabelRow;
  claims: Claim[];
}

export function readRows(root: string = ROOT, sets: readonly string[] = DEV_SETS): Row[] {
  const untuned = readUntuned(root);
  const rows: Row[] = [];
  for (const set of sets)
    for (const row of readLabelRows(join(root, 'data', 'metrics', 'labels', set))) {
      const r = untuned.get(`${set}\u0000${row.id}`);
      if (!r) throw new Error(`${set} ${row.id}: no untuned claims`);
      rows.push({ set, row, claims: r.claims });
    }
  return rows;
}

export function filterExamples(rows: readonly Row[]): FilterExample[] {
  const out: FilterExample[] = [];
  for (const { set, row, claims } of rows) {
    const pairs = match(row.claims, claims, (g, p) => sameValue(g.value, p.value));
    const right = new Set(pairs.map(([, p]) => p));
    const ctx = new KindContext(row.text);
    claims.forEach((p, i) =>
      out.push({
        set,
        id: row.id,
        index: i,
        features: filterFeatures(row.text, claims, i, ctx),
        fields: filterFeatures(row.text, claims, i, ctx, true),
        right: right.has(p),
      }),
    );
  }
  return out;
}

/** A binary logistic regression: p(false) = σ(bias + Σ weights). */
export interface BinaryWeights {
  bias: number;
  weights: Record<string, number>;
}

/** Trains p(false) by AdaGrad (the kind trainer's step, order and vocabulary), deterministic; `weightOf` scales an example's gradient. */
export function trainBinary(
  examples: readonly FilterExample[],
  opts: TrainOptions = DEFAULT_TRAIN,
  weightOf: (e: FilterExample) => number = () => 1,
): BinaryWeights {
  const { names, index } = featureIndex(
    examples.map((e) => e.features),
    opts.minCount,
  );
  const W = new Float64Array(names.length);
  const G = new Float64Array(names.length).fill(1e-8);
  let b = 0;
  let gb = 1e-8;
  const data = contentOrder(examples, (e, k) => `${e.id}\u0000${k}\u0000${e.features.join(' ')}`).map(
    (e) => ({
      x: indexed(e.features, index),
      y: e.right ? 0 : 1,
      w: weightOf(e),
    }),
  );
  for (let epoch = 0; epoch < opts.epochs; epoch++)
    for (const d of data) {
      let s = b;
      for (const j of d.x) s += W[j];
      const g = d.w * (1 / (1 + Math.exp(-s)) - d.y);
      gb += g * g;
      b -= (opts.rate * g) / Math.sqrt(gb);
      for (const j of d.x) {
        const gw = g + opts.l2 * W[j];
        G[j] += gw * gw;
        W[j] -= (opts.rate * gw) / Math.sqrt(G[j]);
      }
    }
  const round = (v: number): number => Math.round(v * 1e4) / 1e4;
  const weights: Record<string, number> = {};
  names.forEach((f, j) => {
    const w = round(W[j]);
    if (w !== 0) weights[f] = w;
  });
  return { bias: round(b), weights };
}

export function pFalse(m: BinaryWeights, features: readonly string[]): number {
  let s = m.bias;
  for (const f of new Set(features))
    if (Object.prototype.hasOwnProperty.call(m.weights, f)) s += m.weights[f];
  return 1 / (1 + Math.exp(-s));
}

/** Leave-one-set-out p(false) of every example, keyed set\0id\0index. */
export function outOfFold(
  examples: readonly FilterExample[],
  opts: TrainOptions,
  weightOf: (e: FilterExample) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const set of new Set(examples.map((e) => e.set))) {
    const m = trainBinary(
      examples.filter((e) => e.set !== set),
      opts,
      weightOf,
    );
    for (const e of examples)
      if (e.set === set) out.set(`${e.set}\u0000${e.id}\u0000${e.index}`, pFalse(m, e.features));
  }
  return out;
}

type Score = ReturnType<typeof emptyScore>;
export interface Scored {
  pooled: Score;
  current: Score;
  dropped: number;
  droppedRight: number;
}

/** The rows scored with the claims of p(false) ≥ threshold dropped (threshold > 1: none dropped). */
export function scoreAt(rows: readonly Row[], p: Map<string, number>, threshold: number): Scored {
  const s: Scored = { pooled: emptyScore(), current: emptyScore(), dropped: 0, droppedRight: 0 };
  const all = emptyScore();
  for (const { set, row, claims } of rows) {
    const kept = claims.filter((_, i) => (p.get(`${set}\u0000${row.id}\u0000${i}`) ?? 0) < threshold);
    s.dropped += claims.length - kept.length;
    scoreRow(all, row.id, row.claims, claims);
    scoreRow(s.pooled, row.id, row.claims, kept);
    if (CURRENT_RULES_SETS.includes(set)) scoreRow(s.current, row.id, row.claims, kept);
  }
  s.droppedRight = all.claims.tp - s.pooled.claims.tp;
  return s;
}

export const THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/** The first threshold of best pooled out-of-fold claims F1 (the one chosen), with its scores. */
export function chooseThreshold(rows: readonly Row[], oof: Map<string, number>): { t: number; s: Scored } {
  let best = { t: 2, s: scoreAt(rows, oof, 2) };
  for (const t of THRESHOLDS) {
    const s = scoreAt(rows, oof, t);
    if (figures(s.pooled).f1 > figures(best.s.pooled).f1 + 1e-12) best = { t, s };
  }
  return best;
}

/** The gates tried for a gated variant, lowest first, and the share of claims its full model may run on (the cost). */
export const GATES = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
export const MAX_FULL_SHARE = 0.3;
/** How much lower than the rules' the pooled result F1 of a chosen (variant, threshold) may be. */
export const RESULT_F1_SLACK = 0.002;

/** A variant's out-of-fold p(false), keyed set\0id\0index: a cheap model's alone, or gated (`full` set). */
export interface Variant {
  name: string;
  /** the cheap model's p(false) (a gated variant's gate input; a cheap variant's decision) */
  cheap: Map<string, number>;
  /** the full model's, for a gated variant */
  full?: Map<string, number>;
}

const setOf = (key: string): string => key.slice(0, key.indexOf('\u0000'));

/** The lowest gate with which the full model runs on ≤ MAX_FULL_SHARE of the claims of `sets` (none: 2, never). */
export function chooseGate(cheap: Map<string, number>, sets: readonly string[]): number {
  for (const g of GATES) {
    let n = 0;
    let run = 0;
    for (const [key, p] of cheap)
      if (sets.includes(setOf(key))) {
        n++;
        if (p >= g) run++;
      }
    if (run <= MAX_FULL_SHARE * n) return g;
  }
  return 2;
}

/** A variant's p(false) per claim: the cheap model's, or the full model's where the gate lets it run (else 0). */
export function decisionP(v: Variant, gate: number): Map<string, number> {
  if (!v.full) return v.cheap;
  const out = new Map<string, number>();
  for (const [key, p1] of v.cheap) out.set(key, p1 >= gate ? (v.full.get(key) ?? 0) : 0);
  return out;
}

/**
 * The (variant, threshold) of best pooled claims F1 on `rows` among those whose pooled result F1 is at least the
 * rules' − RESULT_F1_SLACK (ties: the first); null when none is.
 */
export function chooseVariant(
  rows: readonly Row[],
  ps: readonly Map<string, number>[],
): { k: number; t: number; s: Scored } | null {
  const rules = figures(scoreAt(rows, new Map(), 2).pooled);
  let best: { k: number; t: number; s: Scored; f1: number } | null = null;
  for (let k = 0; k < ps.length; k++)
    for (const t of THRESHOLDS) {
      const s = scoreAt(rows, ps[k], t);
      const f = figures(s.pooled);
      if (f.resultF1 < rules.resultF1 - RESULT_F1_SLACK - 1e-12) continue;
      if (!best || f.f1 > best.f1 + 1e-12) best = { k, t, s, f1: f.f1 };
    }
  return best && { k: best.k, t: best.t, s: best.s };
}

/** The feature groups of an ablation: kindFeatures' (no prefix below) and the filter's own. */
export const OWN_PREFIXES = [
  'ps=',
  'ns=',
  'own=',
  'len=',
  'vs-before',
  'to-after',
  'list',
  'year-like',
  'nclaims=',
  'abspos=',
  'uk=',
  'sw=',
  'long-span',
  'ur1=',
  'ups=',
];
export const isOwn = (f: string): boolean => OWN_PREFIXES.some((p) => f.startsWith(p));
