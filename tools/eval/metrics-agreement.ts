// Agreement between two labellings of the same abstracts (data/metrics/labels): labeller B scored against
// labeller A exactly as eval:metrics scores the extractor (metrics-score.ts), and the list of disagreements.
// runAgreement is eval-metrics-agreement's command line; a held-out pair gives figures and counts only.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Figures,
  type LabelRow,
  type ScoredClaim,
  emptyScore,
  figures,
  match,
  readLabelRows,
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

const claimCounts = (rows: LabelRow[]): string => {
  const claims = rows.flatMap((r) => r.claims);
  return `${claims.length} claims (${claims.filter((c) => c.category === 'result').length} results)`;
};

/** One labelled pair's report: `summary` (figures both ways and disagreement counts by type: no id, no text, no
 * claim) and `list` (one line per disagreement, with ids and spans; never written for a held-out pair). */
export function agreementReport(
  fileA: string,
  fileB: string,
  rowsA: LabelRow[],
  rowsB: LabelRow[],
  heldOut: boolean,
): { summary: string[]; list: string[] } {
  const pairs = pairRows(rowsA, rowsB);
  const ds = pairs.flatMap(([a, b]) => disagreements(a.id, a.claims, b.claims));
  const summary = [
    `A = \`${fileA}\`: ${claimCounts(rowsA)}; B = \`${fileB}\`: ${claimCounts(rowsB)}; ${pairs.length} ` +
      'abstracts labelled by both. "B vs A" scores B as eval:metrics scores the extractor with A as gold (P = share ' +
      'of B\'s claims that A has); "A vs B" the other way round. Matching: one-to-one, span overlap and same value; ' +
      'unit, kind and metric are compared on matched claims, metric only where either names one; result F1 and ' +
      'result metric on result claims only.' +
      (heldOut
        ? ' A held-out set: only these figures and the counts below are written, never its rows (`--heldout --list` ' +
          'prints the disagreements to the terminal, for adjudication).'
        : ''),
    '',
    '| way | P | R | F1 | result F1 | unit | kind | category | metric | result metric (n) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const way of ['B vs A', 'A vs B'] as const) {
    const f = scoreWay(pairs, way);
    const v = [f.p, f.r, f.f1, f.resultF1, f.unitAcc, f.kindAcc, f.categoryAcc, f.metricAcc].map((x) =>
      x.toFixed(3),
    );
    summary.push(`| ${way} | ${v.join(' | ')} | ${f.resultMetricAcc.toFixed(3)} (${f.resultMetricN}) |`);
  }
  summary.push(
    '',
    `### Disagreements by type (${ds.length})`,
    '',
    'only-A / only-B: a claim one labeller has and the other has not (by category/kind); value: both label the ' +
      'span with different values (by unit); category / kind / unit / metric / low: matched claims that differ ' +
      '(A → B).',
    '',
  );
  for (const t of tally(ds))
    summary.push(`- **${t.type}** ${t.count}: ${t.examples.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  return { summary, list: ds.map(formatDisagreement) };
}

/** The sets labelled twice in `dir` (a `<set>.second.jsonl` beside `<set>.first.jsonl` or `<set>.jsonl`), dev sets
 * first; A is the first labelling when it was kept apart from the adjudicated `<set>.jsonl`. */
export function labelledTwice(
  dir: string,
): Array<{ set: string; fileA: string; fileB: string; heldOut: boolean }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.second.jsonl'))
    .map((fileB) => {
      const set = fileB.slice(0, -'.second.jsonl'.length);
      const fileA = existsSync(join(dir, `${set}.first.jsonl`)) ? `${set}.first.jsonl` : `${set}.jsonl`;
      return { set, fileA, fileB, heldOut: set.startsWith('heldout') };
    })
    .filter((s) => existsSync(join(dir, s.fileA)))
    .sort((x, y) => Number(x.heldOut) - Number(y.heldOut) || x.set.localeCompare(y.set));
}

/**
 * eval-metrics-agreement: `[--set=dev-9] [--a=FILE] [--b=FILE] [--heldout] [--list] [--write]`, files in `dir`.
 * Prints one pair's figures and counts (`--list`: every disagreement too). A held-out pair is scored only with
 * `--heldout`. `--write` regenerates `dir/AGREEMENT.md` with a section per set labelled twice: a dev set with every
 * disagreement, a held-out set with its figures and counts only; a set's `<set>.adjudication.md`, when present, is
 * appended to its section.
 */
export function runAgreement(argv: string[], dir: string, print: (line: string) => void): void {
  const opt = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const set = opt('set') ?? 'dev-9';
  const fileA =
    opt('a') ?? (existsSync(join(dir, `${set}.first.jsonl`)) ? `${set}.first.jsonl` : `${set}.jsonl`);
  const fileB = opt('b') ?? `${set}.second.jsonl`;
  const heldOut = [fileA, fileB].some((f) => f.startsWith('heldout'));
  if (heldOut && !argv.includes('--heldout'))
    throw new Error('held-out sets are scored only with --heldout (figures and counts; rows never written)');
  const read = (f: string): LabelRow[] => readLabelRows(join(dir, f));
  const report = agreementReport(fileA, fileB, read(fileA), read(fileB), heldOut);
  print(report.summary.join('\n'));
  if (argv.includes('--list')) print(['', ...report.list].join('\n'));
  if (!argv.includes('--write')) return;
  const doc = [
    '# Inter-annotator agreement on the claims labels',
    '',
    'Generated by `node tools/run.js tools/eval/eval-metrics-agreement --write`: one section per set labelled twice ' +
      "(`<set>.second.jsonl`). A held-out set's section holds its figures and disagreement counts only, never its rows.",
  ];
  for (const s of labelledTwice(dir)) {
    const r = agreementReport(s.fileA, s.fileB, read(s.fileA), read(s.fileB), s.heldOut);
    doc.push('', `## ${s.set}${s.heldOut ? ' (held-out: figures and counts only)' : ''}`, '', ...r.summary);
    // A hand-written adjudication note (`<set>.adjudication.md`) is kept with its set's section on every rewrite.
    const note = join(dir, `${s.set}.adjudication.md`);
    if (existsSync(note)) doc.push('', readFileSync(note, 'utf8').trimEnd());
    if (!s.heldOut) doc.push('', '### Every disagreement', '', '```', ...r.list, '```');
  }
  writeFileSync(join(dir, 'AGREEMENT.md'), `${doc.join('\n')}\n`);
  print(`\nwrote ${join(dir, 'AGREEMENT.md')}`);
}
