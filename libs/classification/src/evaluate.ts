// Figures of a classifier on a labelled set (used by tools/eval/eval-classifier and the quality-gate spec).
import type { Classification } from '@paperwire/contracts';

export interface LabelledRow {
  id: string;
  title: string;
  abstract: string;
  topics: string[];
  primary: string | null;
  contribution: string;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface SetFigures {
  papers: number;
  withTopic: number;
  micro: { p: number; r: number; f1: number };
  macroF1: number;
  macroTopics: number;
  /** primary topic right, null (no topic) counting as a class */
  primaryAccuracy: number;
  /** primary right among papers whose label has a topic */
  primaryAccuracyWithTopic: number;
  exactSet: number;
  contributionAccuracy: number;
  perTopic: Map<string, Counts>;
  contributionErrors: Map<string, number>;
  /** papers whose topic set or primary differ (for verbose output) */
  errors: { row: LabelledRow; result: Classification }[];
}

export const prf = (c: Counts): { p: number; r: number; f1: number } => {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

export function evaluateSet(rows: LabelledRow[], classify: (r: LabelledRow) => Classification): SetFigures {
  const perTopic = new Map<string, Counts>();
  const get = (slug: string): Counts => {
    let c = perTopic.get(slug);
    if (!c) perTopic.set(slug, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  let primaryOk = 0;
  let primaryLabelledOk = 0;
  let withTopic = 0;
  let exact = 0;
  let contributionOk = 0;
  const contributionErrors = new Map<string, number>();
  const errors: SetFigures['errors'] = [];
  for (const row of rows) {
    const result = classify(row);
    const pred = new Set(result.topics.map((t) => t.slug));
    const gold = new Set(row.topics);
    for (const s of pred) {
      if (gold.has(s)) get(s).tp++;
      else get(s).fp++;
    }
    for (const s of gold) if (!pred.has(s)) get(s).fn++;
    if (result.primaryTopic === row.primary) primaryOk++;
    if (row.primary !== null) {
      withTopic++;
      if (result.primaryTopic === row.primary) primaryLabelledOk++;
    }
    const same = pred.size === gold.size && [...gold].every((s) => pred.has(s));
    if (same) exact++;
    if (result.contribution === row.contribution) contributionOk++;
    else {
      const k = `${row.contribution} -> ${result.contribution}`;
      contributionErrors.set(k, (contributionErrors.get(k) ?? 0) + 1);
    }
    if (!same || result.primaryTopic !== row.primary) errors.push({ row, result });
  }
  const total = [...perTopic.values()].reduce(
    (a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  const goldTopics = [...perTopic.values()].filter((c) => c.tp + c.fn > 0);
  const n = rows.length;
  return {
    papers: n,
    withTopic,
    micro: prf(total),
    macroF1: goldTopics.reduce((s, c) => s + prf(c).f1, 0) / Math.max(1, goldTopics.length),
    macroTopics: goldTopics.length,
    primaryAccuracy: n ? primaryOk / n : 0,
    primaryAccuracyWithTopic: withTopic ? primaryLabelledOk / withTopic : 0,
    exactSet: n ? exact / n : 0,
    contributionAccuracy: n ? contributionOk / n : 0,
    perTopic,
    contributionErrors,
    errors,
  };
}

/** Quality floors (data/classification/quality-floors.json): set name -> metric -> minimum, and the non-ML ceiling. */
export interface QualityFloors {
  sets: Record<string, Partial<Record<'microF1' | 'primaryAccuracy' | 'contributionAccuracy', number>>>;
  /** most share of the held-out non-ML papers (`nonMlSplit(...).heldOut` of the shipped snapshot) given any topic */
  nonMl: { maxShareWithTopic: number; reason: string };
}

/** How many papers get at least one topic (the non-ML gate: none of them should). */
export function countWithTopic(
  papers: { title: string; abstract: string }[],
  classify: (p: { title: string; abstract: string }) => Classification,
): { papers: number; withTopic: number } {
  let withTopic = 0;
  for (const p of papers) if (classify(p).topics.length > 0) withTopic++;
  return { papers: papers.length, withTopic };
}

/** The non-ML ceiling the held-out non-ML papers' share with a topic rises above, as a readable line (empty = passes). */
export function nonMlFailures(f: { papers: number; withTopic: number }, floors: QualityFloors): string[] {
  const max = floors.nonMl?.maxShareWithTopic;
  if (typeof max !== 'number') return ['nonMl: no ceiling (nonMl.maxShareWithTopic) in quality-floors.json'];
  if (f.papers === 0) return ['nonMl: no held-out non-ML papers to measure'];
  const share = f.withTopic / f.papers;
  return share > max + 1e-9
    ? [
        `nonMl: ${(100 * share).toFixed(1)}% (${f.withTopic}/${f.papers}) of non-ML papers given a topic > ceiling ${(100 * max).toFixed(1)}%`,
      ]
    : [];
}

/** The floors a set's figures fall below, as readable lines (empty = passes). */
export function floorFailures(set: string, f: SetFigures, floors: QualityFloors): string[] {
  const want = floors.sets[set];
  if (!want) return [];
  const got: Record<string, number> = {
    microF1: f.micro.f1,
    primaryAccuracy: f.primaryAccuracy,
    contributionAccuracy: f.contributionAccuracy,
  };
  const out: string[] = [];
  for (const [metric, min] of Object.entries(want)) {
    if (min !== undefined && got[metric] + 1e-9 < min)
      out.push(`${set}: ${metric} ${got[metric].toFixed(3)} < floor ${min.toFixed(3)}`);
  }
  return out;
}

/** Cohen's kappa of two label sequences over the same items (1 = perfect, 0 = chance agreement). */
export function cohenKappa(a: string[], b: string[]): number {
  const n = a.length;
  if (n === 0) return 0;
  let agree = 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [k, v] of ca) pe += (v / n) * ((cb.get(k) ?? 0) / n);
  return pe >= 1 ? 1 : (po - pe) / (1 - pe);
}
