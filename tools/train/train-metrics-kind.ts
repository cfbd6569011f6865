// npm run train:metrics — the learned kind correction of libs/metrics (issue #18), data/metrics/kind-model.json.gz.
// Trained on the labelled DEV abstracts only (data/metrics/labels/dev*.jsonl), with the claims the extractor emitted
// on each set before it was tuned on it (data/metrics/kind-train-claims.jsonl.gz, tools/train/untuned-claims.ts);
// the margin is chosen by leave-one-set-out cross-validation, then the model is trained on all the dev sets.
// Deterministic: the same inputs give the same file, byte for byte. The held-out sets are never read.
// Usage: node tools/run.js tools/train/train-metrics-kind [--cv]   (--cv: also the grid of training options)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CLAIM_KINDS } from '@paperwire/contracts';
import { EXTRACTOR_VERSION, KIND_MODEL_FILE, compileKindModel, correctKinds } from '@paperwire/metrics';
import { emptyScore, figures, readLabelRows, scoreRow } from '../eval/metrics-score';
import {
  DEFAULT_TRAIN,
  DEV_SETS,
  GATES,
  type KindExample,
  MAX_FULL_SHARE,
  type OofPrediction,
  TRAIN_CLAIMS_FILE,
  type UntunedRow,
  chooseGate,
  chooseMargin,
  decide,
  fullShare,
  kindAccuracy,
  kindExamples,
  outOfFold,
  trainKindModel,
  trainWeights,
} from './metrics-kind-trainer';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The out-of-fold table: per set and pooled, rules-only vs corrected kind accuracy at `margin`. */
export function oofTable(oof: readonly OofPrediction[], margin: number, gate: number): string[] {
  const lines = [
    '| set | matched claims | rules kind acc | corrected | changed: right→wrong / wrong→right |',
    '|---|---|---|---|---|',
  ];
  for (const set of [...DEV_SETS, 'pooled']) {
    const o = set === 'pooled' ? oof : oof.filter((x) => x.e.set === set);
    let good = 0;
    let bad = 0;
    for (const x of o) {
      const d = decide(x, margin, gate);
      if (d === x.e.rules) continue;
      if (d === x.e.gold) good++;
      else if (x.e.rules === x.e.gold) bad++;
    }
    lines.push(
      `| ${set} | ${o.length} | ${kindAccuracy(o, null).toFixed(3)} | ${kindAccuracy(o, margin, gate).toFixed(3)} | ${bad} / ${good} |`,
    );
  }
  return lines;
}

/** The untuned extractor's claims (kind-train-claims.jsonl.gz) by set and id. */
export function readUntuned(root: string = ROOT): Map<string, UntunedRow> {
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

/**
 * The whole correction out of fold, on every claim the untuned extractor emitted (matched or not): each dev set's
 * claims corrected by models trained on the other sets, scored as eval:metrics scores (claims F1 is unchanged by a
 * kind; result F1 moves with the category a changed kind brings).
 */
export function pipelineTable(examples: readonly KindExample[], margin: number, gate: number): string[] {
  const untuned = readUntuned();
  const lines = [
    '| set | result F1 rules | corrected | kind acc rules | corrected |',
    '|---|---|---|---|---|',
  ];
  const pooledBefore = emptyScore();
  const pooledAfter = emptyScore();
  for (const set of DEV_SETS) {
    const rest = examples.filter((e) => e.set !== set);
    const full = trainWeights(rest, DEFAULT_TRAIN, 'features');
    const model = compileKindModel({
      version: 'fold',
      classes: [...CLAIM_KINDS],
      margin,
      gate,
      bias: full.bias,
      weights: full.weights,
      first: trainWeights(rest, DEFAULT_TRAIN, 'fields'),
    });
    const before = emptyScore();
    const after = emptyScore();
    for (const row of readLabelRows(join(ROOT, 'data', 'metrics', 'labels', set))) {
      const claims = untuned.get(`${set}\u0000${row.id}`)?.claims ?? [];
      const corrected = claims.map((c) => ({ ...c }));
      correctKinds(row.text, corrected, model);
      for (const [s, cs] of [
        [before, claims],
        [after, corrected],
        [pooledBefore, claims],
        [pooledAfter, corrected],
      ] as const)
        scoreRow(s, row.id, row.claims, cs);
    }
    lines.push(row(set, before, after));
  }
  lines.push(row('pooled', pooledBefore, pooledAfter));
  return lines;
}

function row(
  set: string,
  before: ReturnType<typeof emptyScore>,
  after: ReturnType<typeof emptyScore>,
): string {
  const b = figures(before);
  const a = figures(after);
  return `| ${set} | ${b.resultF1.toFixed(3)} | ${a.resultF1.toFixed(3)} | ${b.kindAcc.toFixed(3)} | ${a.kindAcc.toFixed(3)} |`;
}

export function readExamples(root: string = ROOT): KindExample[] {
  const untuned = readUntuned(root);
  const examples: KindExample[] = [];
  for (const set of DEV_SETS)
    examples.push(
      ...kindExamples(set, readLabelRows(join(root, 'data', 'metrics', 'labels', set)), (row) => {
        const r = untuned.get(`${set}\u0000${row.id}`);
        if (!r)
          throw new Error(
            `${set} ${row.id}: not in ${TRAIN_CLAIMS_FILE.join('/')}; run tools/train/untuned-claims`,
          );
        return r.claims;
      }),
    );
  return examples;
}

function main(): void {
  const examples = readExamples();
  console.log(`${examples.length} matched claims (untuned extractor) from ${DEV_SETS.length} dev sets`);
  if (process.argv.includes('--cv'))
    for (const l2 of [0, 1e-5, 1e-4, 1e-3])
      for (const epochs of [10, 30]) {
        const oof = outOfFold(examples, { ...DEFAULT_TRAIN, l2, epochs });
        const m = chooseMargin(oof);
        console.log(
          `l2=${l2} epochs=${epochs}: rules ${kindAccuracy(oof, null).toFixed(4)} argmax ${kindAccuracy(oof, 0).toFixed(4)} margin ${m} → ${kindAccuracy(oof, m).toFixed(4)}`,
        );
      }
  const oof = outOfFold(examples, DEFAULT_TRAIN);
  const margin = chooseMargin(oof);
  console.log(
    `\ntraining options ${JSON.stringify(DEFAULT_TRAIN)}; margin ${margin} (best pooled out-of-fold kind accuracy)`,
  );
  console.log(`first-stage gate (full model on at most ${MAX_FULL_SHARE} of the claims):`);
  for (const g of GATES)
    console.log(
      `  gate ${g}: full model on ${fullShare(oof, g).toFixed(3)} of the claims, kind accuracy ${kindAccuracy(oof, margin, g).toFixed(4)}`,
    );
  const gate = chooseGate(oof, margin);
  console.log(`gate ${gate}; without a gate ${kindAccuracy(oof, margin).toFixed(4)}\n`);
  for (const l of oofTable(oof, margin, gate)) console.log(l);
  console.log(
    '\nthe whole correction out of fold, every emitted claim (a changed kind brings its category):',
  );
  for (const l of pipelineTable(examples, margin, gate)) console.log(l);
  const model = trainKindModel(examples, margin, gate, DEFAULT_TRAIN, `kind-model for ${EXTRACTOR_VERSION}`);
  const file = join(ROOT, 'data', 'metrics', ...KIND_MODEL_FILE);
  writeFileSync(file, gzipSync(JSON.stringify(model), { level: 9 }));
  console.log(
    `\n${Object.keys(model.weights).length} + ${Object.keys(model.first.weights).length} features → data/metrics/${KIND_MODEL_FILE.join('/')}`,
  );
}

main();
