// Agreement between two labellings of the same abstracts (data/metrics/labels): labeller B scored against
// labeller A exactly as eval:metrics scores the extractor (metrics-score.ts), and the list of disagreements.
import {
  type Figures,
  type LabelRow,
  type ScoredClaim,
  emptyScore,
  figures,
  match,
  sameValue,
  scoreRow,
} from './metrics-score';
import { canonicalMetric } from '@paperwire/metrics';

export type { LabelRow };

/** Pairs the rows of two labellings by id; both must hold the same abstracts with the same text. */
export function pairRows(a: LabelRow[], b: LabelRow[]): Array<[LabelRow, LabelRow]> {
  const byId = new Map(b.map((r) => [r.id, r]));
  if (byId.size !== b.length) throw new Error('labelling B has a repeated id');
  if (a.length !== b.length) throw new Error(`A has ${a.length} abstracts, B ${b.length}`);
  return a.map((ra) => {
    const rb = byId.get(ra.id);
    if (!rb) throw new Error(`${ra.id} is in A but not in B`);
    if (rb.text !== ra.text) throw new Error(`${ra.id}: the texts of A and B differ`);
    return [ra, rb];
  });
}

/** Scores `pred` against `gold` over all paired rows with the scorer of eval:metrics. */
export function scoreWay(
  pairs: Array<[LabelRow, LabelRow]>,
  way: 'B vs A' | 'A vs B',
): Figures & { n: number; resultMetricN: number; resultN: number } {
  const s = emptyScore();
  for (const [a, b] of pairs) {
    if (way === 'B vs A') scoreRow(s, a.id, a.claims, b.claims);
    else scoreRow(s, a.id, b.claims, a.claims);
  }
  return { ...figures(s), n: s.claims.tp, resultMetricN: s.result.metricN, resultN: s.result.tp };
}

export type Field = 'category' | 'kind' | 'unit' | 'metric' | 'low';
export interface Disagreement {
  id: string;
  /** only-A / only-B: a claim one labeller has and the other has not; value: both label the span, with
   * different values; field: matched claims (same span and value) that differ in `field` */
  type: 'only-A' | 'only-B' | 'value' | Field;
  a?: ScoredClaim;
  b?: ScoredClaim;
}

const metricOf = (c: ScoredClaim): string | null =>
  c.metric ? (canonicalMetric(c.metric) ?? c.metric) : null;
const fieldOf = (c: ScoredClaim, f: Field): string | null =>
  f === 'metric' ? metricOf(c) : f === 'low' ? (c.low == null ? null : String(c.low)) : c[f];
const FIELDS: Field[] = ['category', 'kind', 'unit', 'metric', 'low'];

/** Every disagreement of one abstract: claims matched as eval:metrics matches them (overlap and value),
 * their differing fields, then unmatched claims (a value disagreement when an A and a B claim overlap). */
export function disagreements(id: string, a: ScoredClaim[], b: ScoredClaim[]): Disagreement[] {
  const out: Disagreement[] = [];
  const pairs = match(a, b, (x, y) => sameValue(x.value, y.value));
  for (const [x, y] of pairs)
    for (const f of FIELDS) if (fieldOf(x, f) !== fieldOf(y, f)) out.push({ id, type: f, a: x, b: y });
  const onlyA = a.filter((x) => !pairs.some(([p]) => p === x));
  const onlyB = b.filter((y) => !pairs.some(([, q]) => q === y));
  const valuePairs = match(onlyA, onlyB, () => true);
  for (const [x, y] of valuePairs) out.push({ id, type: 'value', a: x, b: y });
  for (const x of onlyA) if (!valuePairs.some(([p]) => p === x)) out.push({ id, type: 'only-A', a: x });
  for (const y of onlyB) if (!valuePairs.some(([, q]) => q === y)) out.push({ id, type: 'only-B', b: y });
  return out;
}

/** "setup/scope" or "result/relative_improvement" (category and kind in one word). */
const ck = (c: ScoredClaim): string => `${c.category}/${c.kind}`;

/** How often each disagreement type occurs, and for field disagreements which values were swapped
 * (e.g. kind "relative_improvement → other"), most frequent first. */
export function tally(
  ds: Disagreement[],
): Array<{ type: string; count: number; examples: Array<[string, number]> }> {
  const byType = new Map<string, Map<string, number>>();
  for (const d of ds) {
    const key =
      d.type === 'only-A'
        ? ck(d.a!)
        : d.type === 'only-B'
          ? ck(d.b!)
          : d.type === 'value'
            ? `${d.a!.unit} → ${d.b!.unit}`
            : `${fieldOf(d.a!, d.type)} → ${fieldOf(d.b!, d.type)}`;
    const m = byType.get(d.type) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    byType.set(d.type, m);
  }
  return [...byType.entries()]
    .map(([type, m]) => ({
      type,
      count: [...m.values()].reduce((x, y) => x + y, 0),
      examples: [...m.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])),
    }))
    .sort((x, y) => y.count - x.count || x.type.localeCompare(y.type));
}

const show = (c: ScoredClaim): string =>
  `"${c.text}" ${c.low == null ? '' : `${c.low}–`}${c.value} ${c.unit} ${ck(c)} ${metricOf(c) ?? '—'}`;

/** One line per disagreement: `id  type  A: … | B: …`. */
export function formatDisagreement(d: Disagreement): string {
  return `${d.id}  ${d.type}  A: ${d.a ? show(d.a) : '(none)'} | B: ${d.b ? show(d.b) : '(none)'}`;
}
