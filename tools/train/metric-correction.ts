// Experiment (brief ext23, issue #18): a learned correction of a result claim's METRIC over the rules, measured by
// leave-one-dev-set-out cross-validation on the untuned extractor's dev claims (kind-train-claims.jsonl.gz), as the
// kind correction of metrics-1.19.0 is. Candidates per claim: null, the rules' metric, and every table metric named
// in the claim's sentence; a linear ranker (softmax over the candidates, deterministic AdaGrad) scores them, and the
// rules' metric is replaced only when the best candidate beats it by a margin. The held-out sets are never read.
// Usage: node tools/run.js tools/train/metric-correction
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Claim } from '@paperwire/contracts';
import {
  EXTRACTOR_VERSION,
  canonicalMetric,
  correctKinds,
  definedOtherwise,
  extractClaimsByRules,
} from '@paperwire/metrics';
import {
  type MetricCandidate,
  MetricContext,
  type MetricModelFile,
  correctMetrics,
  correctsMetric,
  metricCandidates,
  STRUCTURE,
} from './metric-model';
import {
  DEV_SETS,
  emptyScore,
  figures,
  type LabelRow,
  match,
  readLabelRows,
  sameValue,
  scoreRow,
} from '../eval/metrics-score';
import {
  CURRENT_RULES_SETS,
  contentOrder,
  DEFAULT_TRAIN,
  featureIndex,
  indexed,
  readUntuned,
  type TrainOptions,
} from './metrics-kind-trainer';

const ROOT = resolve(__dirname, '..', '..', '..');

/** One training example: a matched claim's candidates and the index of the gold metric among them. */
export interface MetricExample {
  set: string;
  id: string;
  cands: MetricCandidate[];
  rulesIdx: number;
  goldIdx: number;
}

const goldMetricOf = (m: string | null | undefined): string | null => (m ? (canonicalMetric(m) ?? m) : null);

export function metricExamples(
  set: string,
  rows: readonly LabelRow[],
  claimsOf: (r: LabelRow) => Claim[],
): MetricExample[] {
  const out: MetricExample[] = [];
  for (const row of rows) {
    const pred = claimsOf(row);
    definedOtherwise(row.text);
    const ctx = new MetricContext(row.text);
    const pairs = match(row.claims, pred, (g, p) => sameValue(g.value, p.value));
    for (const [g, p] of pairs) {
      if (!correctsMetric(p)) continue;
      const i = pred.indexOf(p);
      const cands = metricCandidates(row.text, pred, i, ctx);
      const gm = goldMetricOf(g.metric);
      const goldIdx = cands.findIndex((c) => c.name === gm);
      const rulesIdx = cands.findIndex((c) => c.name === p.metric);
      if (goldIdx < 0) continue;
      out.push({ set, id: row.id, cands, rulesIdx, goldIdx });
    }
  }
  return out;
}

/** Trains the ranker: one weight per feature, softmax over a claim's candidates. Deterministic. */
export function trainRanker(
  examples: readonly MetricExample[],
  opts: TrainOptions = DEFAULT_TRAIN,
): Record<string, number> {
  const { names, index } = featureIndex(
    examples.map((e) => e.cands.flatMap((c) => c.features)),
    opts.minCount,
  );
  const W = new Float64Array(names.length);
  const G = new Float64Array(names.length).fill(1e-8);
  const data = contentOrder(
    examples,
    (e, k) => `${e.id}\u0000${k}\u0000${e.cands.map((c) => c.features.join(' ')).join('|')}`,
  ).map((e) => ({ xs: e.cands.map((c) => indexed(c.features, index)), y: e.goldIdx }));
  for (let epoch = 0; epoch < opts.epochs; epoch++)
    for (const d of data) {
      const z = d.xs.map((x) => x.reduce((s, j) => s + W[j], 0));
      const max = Math.max(...z);
      const ez = z.map((v) => Math.exp(v - max));
      const sum = ez.reduce((a, b) => a + b, 0);
      const grad = new Map<number, number>();
      d.xs.forEach((x, k) => {
        const g = ez[k] / sum - (k === d.y ? 1 : 0);
        for (const j of x) grad.set(j, (grad.get(j) ?? 0) + g);
      });
      for (const [j, g0] of [...grad.entries()].sort((a, b) => a[0] - b[0])) {
        const g = g0 + opts.l2 * W[j];
        G[j] += g * g;
        W[j] -= (opts.rate * g) / Math.sqrt(G[j]);
      }
    }
  const w: Record<string, number> = {};
  names.forEach((f, j) => {
    const v = Math.round(W[j] * 1e4) / 1e4;
    if (v !== 0) w[f] = v;
  });
  return w;
}

/** The model file: the ranker trained on all the examples, with the margin the caller chose. */
export function trainMetricModel(
  examples: readonly MetricExample[],
  margin: number,
  opts: TrainOptions = DEFAULT_TRAIN,
): MetricModelFile {
  return { version: `metric-model for ${EXTRACTOR_VERSION}`, margin, weights: trainRanker(examples, opts) };
}

export const MARGINS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** A training variant: which sets train each fold, and how many times each current-rules example counts. */
export interface Variant {
  name: string;
  train: 'all' | 'new' | 'old';
  recency: number;
}

/** The training examples of one fold under a variant (the held-out fold `set` never among them). */
export function foldTraining(
  examples: readonly MetricExample[],
  set: string,
  fresh: ReadonlySet<string>,
  v: Variant,
): MetricExample[] {
  const out: MetricExample[] = [];
  for (const e of examples) {
    if (e.set === set) continue;
    const isNew = fresh.has(e.set);
    if ((v.train === 'new' && !isNew) || (v.train === 'old' && isNew)) continue;
    for (let k = 0; k < (isNew ? v.recency : 1); k++) out.push(k ? { ...e, id: `${e.id}#${k}` } : e);
  }
  return out;
}

function main(): void {
  for (const g of Object.keys(STRUCTURE) as (keyof typeof STRUCTURE)[])
    if (process.argv.includes(`--no-${g}`)) STRUCTURE[g] = false;
  console.log('structure features', JSON.stringify(STRUCTURE));
  const untuned = readUntuned(ROOT);
  const claimsOf = (set: string) => (r: LabelRow) =>
    (untuned.get(`${set}\u0000${r.id}`)?.claims ?? []).map((c) => ({ ...c }));
  const rowsBy = new Map(DEV_SETS.map((s) => [s, readLabelRows(join(ROOT, 'data', 'metrics', 'labels', s))]));
  const examples = DEV_SETS.flatMap((s) => metricExamples(s, rowsBy.get(s) as LabelRow[], claimsOf(s)));
  const all = DEV_SETS.flatMap((s) =>
    (rowsBy.get(s) as LabelRow[]).flatMap((r) => claimsOf(s)(r).filter(correctsMetric)),
  );
  let withGold = 0;
  let total = 0;
  for (const s of DEV_SETS)
    for (const row of rowsBy.get(s) as LabelRow[]) {
      const pred = claimsOf(s)(row);
      definedOtherwise(row.text);
      const ctx = new MetricContext(row.text);
      for (const [g, p] of match(row.claims, pred, (g, p) => sameValue(g.value, p.value))) {
        if (!correctsMetric(p)) continue;
        total++;
        const gm = goldMetricOf(g.metric);
        if (metricCandidates(row.text, pred, pred.indexOf(p), ctx).some((c) => c.name === gm)) withGold++;
      }
    }
  console.log(
    `result claims emitted ${all.length}; matched ${total}; gold metric among the candidates ${withGold} (${(withGold / total).toFixed(3)})`,
  );
  const opts = { ...DEFAULT_TRAIN };
  for (const a of process.argv.slice(2)) {
    const [k, v] = a.replace(/^--/, '').split('=');
    if (k in opts) (opts as Record<string, number>)[k] = Number(v);
  }
  console.log('options', JSON.stringify(opts));
  const fresh = new Set(CURRENT_RULES_SETS);
  const arg = (k: string): string | undefined =>
    process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
  const variant: Variant = {
    name: '',
    train: (arg('train') ?? 'all') as Variant['train'],
    recency: Number(arg('recency') ?? 1),
  };
  variant.name = `train=${variant.train} recency=${variant.recency}`;
  console.log(`variant ${variant.name}; current-rules sets: ${[...fresh].join(', ')}`);
  const sets = [...DEV_SETS, 'pooled', 'pooled new'];
  const keysOf = (set: string): string[] =>
    fresh.has(set) ? [set, 'pooled', 'pooled new'] : [set, 'pooled'];
  const before = new Map(sets.map((s) => [s, emptyScore()]));
  const after = new Map(MARGINS.map((m) => [m, new Map(sets.map((s) => [s, emptyScore()]))]));
  const flips = new Map(MARGINS.map((m) => [m, new Map(sets.map((s) => [s, [0, 0]]))]));
  for (const set of DEV_SETS) {
    const w = trainRanker(foldTraining(examples, set, fresh, variant), opts);
    for (const row of rowsBy.get(set) as LabelRow[]) {
      const rules = claimsOf(set)(row);
      for (const k of keysOf(set))
        scoreRow(before.get(k) as ReturnType<typeof emptyScore>, row.id, row.claims, rules);
      for (const m of MARGINS) {
        const cor = claimsOf(set)(row);
        definedOtherwise(row.text);
        correctMetrics(row.text, cor, { version: 'fold', margin: m, weights: w });
        for (const k of keysOf(set))
          scoreRow(after.get(m)?.get(k) as ReturnType<typeof emptyScore>, row.id, row.claims, cor);
        // right→wrong / wrong→right on result pairs
        const gr = row.claims.filter((c) => c.category === 'result');
        const pairs = match(
          gr,
          cor.filter((c) => c.category === 'result'),
          (g, p) => sameValue(g.value, p.value),
        );
        for (const [g, p] of pairs) {
          const r = rules[cor.indexOf(p)];
          if (r.metric === p.metric) continue;
          const gm = goldMetricOf(g.metric);
          for (const k of keysOf(set)) {
            const f = flips.get(m)?.get(k) as number[];
            if (r.metric === gm) f[0]++;
            else if (p.metric === gm) f[1]++;
          }
        }
      }
    }
  }
  console.log(
    '\npooled out of fold by margin: result metric acc (rules → corrected), right→wrong / wrong→right',
  );
  const b = figures(before.get('pooled') as ReturnType<typeof emptyScore>);
  for (const m of MARGINS) {
    const a = figures(after.get(m)?.get('pooled') as ReturnType<typeof emptyScore>);
    const f = flips.get(m)?.get('pooled') as number[];
    const bn = figures(before.get('pooled new') as ReturnType<typeof emptyScore>);
    const an = figures(after.get(m)?.get('pooled new') as ReturnType<typeof emptyScore>);
    console.log(
      `margin ${m.toFixed(1)}: ${b.resultMetricAcc.toFixed(4)} → ${a.resultMetricAcc.toFixed(4)}  ${f[0]} / ${f[1]}  new sets ${bn.resultMetricAcc.toFixed(4)} → ${an.resultMetricAcc.toFixed(4)}  (claims F1 ${b.f1.toFixed(3)} → ${a.f1.toFixed(3)}, kind ${b.kindAcc.toFixed(3)} → ${a.kindAcc.toFixed(3)}, unit ${b.unitAcc.toFixed(3)} → ${a.unitAcc.toFixed(3)}, result F1 ${b.resultF1.toFixed(3)} → ${a.resultF1.toFixed(3)})`,
    );
  }
  // the margin: the best pooled out-of-fold figure among the margins with which the shipped runtime (rules + kind
  // correction + this model trained on every dev set) keeps every dev floor of data/metrics/quality-floors.json
  const floors = (
    JSON.parse(readFileSync(join(ROOT, 'data', 'metrics', 'quality-floors.json'), 'utf8')) as {
      sets: Record<string, Record<string, number>>;
    }
  ).sets;
  const oofAcc = (m: number): number =>
    figures(after.get(m)?.get('pooled') as ReturnType<typeof emptyScore>).resultMetricAcc;
  const byOof = [...MARGINS].sort((a, b) => oofAcc(b) - oofAcc(a) || a - b);
  const w = trainRanker(foldTraining(examples, '', fresh, variant), opts);
  let bestM = NaN;
  for (const m of byOof) {
    const failed: string[] = [];
    for (const set of DEV_SETS) {
      const sc = emptyScore();
      for (const row of rowsBy.get(set) as LabelRow[]) {
        const claims = extractClaimsByRules(row.text);
        correctKinds(row.text, claims);
        correctMetrics(row.text, claims, { version: 'check', margin: m, weights: w });
        scoreRow(sc, row.id, row.claims, claims);
      }
      const f = figures(sc) as unknown as Record<string, number>;
      for (const [k, floor] of Object.entries(floors[set] ?? {}))
        if (!(f[k] >= floor)) failed.push(`${set} ${k} ${f[k].toFixed(3)} < ${floor}`);
    }
    console.log(
      `margin ${m}: out of fold ${oofAcc(m).toFixed(4)}; dev floors ${failed.length ? `fail: ${failed.join(', ')}` : 'hold'}`,
    );
    if (!failed.length) {
      bestM = m;
      break;
    }
  }
  if (Number.isNaN(bestM)) {
    bestM = byOof[0];
    console.log(
      `\nno margin keeps the dev floors; the table below is the best pooled out of fold (${bestM})\n`,
    );
  } else console.log(`\nchosen margin ${bestM} (the best pooled out of fold that keeps the dev floors)\n`);
  console.log('| set | result metric named right: rules | corrected | right→wrong / wrong→right |');
  console.log('|---|---|---|---|');
  for (const s of sets) {
    const bb = figures(before.get(s) as ReturnType<typeof emptyScore>);
    const aa = figures(after.get(bestM)?.get(s) as ReturnType<typeof emptyScore>);
    const f = flips.get(bestM)?.get(s) as number[];
    console.log(
      `| ${s} | ${bb.resultMetricAcc.toFixed(3)} | ${aa.resultMetricAcc.toFixed(3)} | ${f[0]} / ${f[1]} |`,
    );
  }
  const model: MetricModelFile = {
    version: `metric-model for ${EXTRACTOR_VERSION}`,
    margin: bestM,
    weights: w,
  };
  const out = process.argv.find((a) => a.startsWith('--write='))?.slice('--write='.length);
  if (out) {
    writeFileSync(out, gzipSync(JSON.stringify(model), { level: 9 }));
    console.log(`\n${Object.keys(model.weights).length} features → ${out}`);
  }
}

if (require.main === module || /metric-correction\.js$/.test(process.argv[1] ?? '')) main();
