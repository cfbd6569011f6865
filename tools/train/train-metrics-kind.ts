// npm run train:metrics — the learned kind correction of libs/metrics (issue #18), data/metrics/kind-model.json.gz.
// Trained on the labelled DEV abstracts only (data/metrics/labels/dev*.jsonl), with the claims the extractor emitted
// on each set before it was tuned on it (data/metrics/kind-train-claims.jsonl.gz, tools/train/untuned-claims.ts);
// the margin is chosen by leave-one-set-out cross-validation, then the model is trained on all the dev sets.
// Deterministic: the same inputs give the same file, byte for byte. The held-out sets are never read.
// Usage: node tools/run.js tools/train/train-metrics-kind [--cv] [--all-sets]   (--cv: also the grid of training
// options; --all-sets: the CV on every dev set, dev-15..18 included, and 1.19.0's model on those four; writes nothing)
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLAIM_KINDS } from '@paperwire/contracts';
import { EXTRACTOR_VERSION, KIND_MODEL_FILE, compileKindModel, correctKinds } from '@paperwire/metrics';
import { emptyScore, figures, readLabelRows, scoreRow } from '../eval/metrics-score';
import {
  DEFAULT_TRAIN,
  CURRENT_RULES_SETS,
  DEV_SETS,
  GATES,
  KIND_MODEL_SETS,
  type KindExample,
  type Candidate,
  CROSS_MARGINS,
  chooseCandidate,
  MAX_FULL_SHARE,
  NEVER,
  type OofPrediction,
  TRAIN_CLAIMS_FILE,
  chooseGate,
  chooseMargin,
  decide,
  fullShare,
  kindAccuracy,
  kindExamples,
  outOfFold,
  readUntuned,
  trainKindModel,
  trainWeights,
} from './metrics-kind-trainer';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The sets trained and cross-validated on: 1.19.0's (the model file), or with --all-sets every dev set. */
const ALL_SETS = process.argv.includes('--all-sets');
const TRAIN_SETS: readonly string[] = ALL_SETS ? DEV_SETS : KIND_MODEL_SETS;

/** The out-of-fold table: per set and pooled, rules-only vs corrected kind accuracy at `margin`. */
export function oofTable(
  oof: readonly OofPrediction[],
  margin: number,
  gate: number,
  crossMargin: number = margin,
): string[] {
  const lines = [
    '| set | matched claims | rules kind acc | corrected | changed: right→wrong / wrong→right |',
    '|---|---|---|---|---|',
  ];
  for (const set of [...TRAIN_SETS, 'pooled']) {
    const o = (set === 'pooled' ? oof : oof.filter((x) => x.e.set === set)).filter((x) => x.e.matched);
    let good = 0;
    let bad = 0;
    for (const x of o) {
      const d = decide(x, margin, gate, crossMargin);
      if (d === x.e.rules) continue;
      if (d === x.e.gold) good++;
      else if (x.e.rules === x.e.gold) bad++;
    }
    lines.push(
      `| ${set} | ${o.length} | ${kindAccuracy(o, null).toFixed(3)} | ${kindAccuracy(o, margin, gate, crossMargin).toFixed(3)} | ${bad} / ${good} |`,
    );
  }
  return lines;
}

type Score = ReturnType<typeof emptyScore>;

/** Out-of-fold scores of the whole correction at each cross-category margin: per set and pooled, before / after. */
export interface PipelineScores {
  sets: string[];
  before: Map<string, Score>;
  after: Map<number, Map<string, Score>>;
}

/**
 * The whole correction out of fold, on every claim the untuned extractor emitted (matched or not): each dev set's
 * claims corrected by models trained on the other sets, scored as eval:metrics scores (claims F1 is unchanged by a
 * kind; result F1 moves with the category a changed kind brings), once per cross-category margin.
 */
export function pipelineScores(
  examples: readonly KindExample[],
  margin: number,
  gate: number,
  crossMargins: readonly number[],
): PipelineScores {
  const untuned = readUntuned(ROOT);
  const sets = [...TRAIN_SETS, 'pooled', ...(ALL_SETS ? ['pooled current-rules sets'] : [])];
  const keysOf = (set: string): string[] =>
    ALL_SETS && CURRENT_RULES_SETS.includes(set) ? [set, 'pooled', 'pooled current-rules sets'] : [set, 'pooled'];
  const before = new Map(sets.map((s) => [s, emptyScore()]));
  const after = new Map(crossMargins.map((m) => [m, new Map(sets.map((s) => [s, emptyScore()]))]));
  for (const set of TRAIN_SETS) {
    const rest = examples.filter((e) => e.set !== set);
    const full = trainWeights(rest, DEFAULT_TRAIN, 'features');
    const first = trainWeights(rest, DEFAULT_TRAIN, 'fields');
    const rows = readLabelRows(join(ROOT, 'data', 'metrics', 'labels', set));
    for (const row of rows) {
      const claims = untuned.get(`${set}\u0000${row.id}`)?.claims ?? [];
      for (const k of keysOf(set)) scoreRow(before.get(k) as Score, row.id, row.claims, claims);
    }
    for (const crossMargin of crossMargins) {
      const model = compileKindModel({
        version: 'fold',
        classes: [...CLAIM_KINDS],
        margin,
        crossMargin,
        gate,
        bias: full.bias,
        weights: full.weights,
        first,
      });
      const by = after.get(crossMargin) as Map<string, Score>;
      for (const row of rows) {
        const corrected = (untuned.get(`${set}\u0000${row.id}`)?.claims ?? []).map((c) => ({ ...c }));
        correctKinds(row.text, corrected, model);
        for (const k of keysOf(set)) scoreRow(by.get(k) as Score, row.id, row.claims, corrected);
      }
    }
  }
  return { sets, before, after };
}

/** The per-set table of one cross-category margin. */
export function pipelineTable(s: PipelineScores, crossMargin: number): string[] {
  const lines = [
    '| set | result F1 rules | corrected | kind acc rules | corrected |',
    '|---|---|---|---|---|',
  ];
  for (const set of s.sets) {
    const b = figures(s.before.get(set) as Score);
    const a = figures(s.after.get(crossMargin)?.get(set) as Score);
    lines.push(
      `| ${set} | ${b.resultF1.toFixed(3)} | ${a.resultF1.toFixed(3)} | ${b.kindAcc.toFixed(3)} | ${a.kindAcc.toFixed(3)} |`,
    );
  }
  return lines;
}

/** The dev sets' examples: matched claims, and with `unmatched` every other emitted claim too (target: keep). */
export function readExamples(root: string = ROOT, unmatched = false): KindExample[] {
  const untuned = readUntuned(root);
  const examples: KindExample[] = [];
  for (const set of TRAIN_SETS)
    examples.push(
      ...kindExamples(
        set,
        readLabelRows(join(root, 'data', 'metrics', 'labels', set)),
        (row) => {
          const r = untuned.get(`${set}\u0000${row.id}`);
          if (!r)
            throw new Error(
              `${set} ${row.id}: not in ${TRAIN_CLAIMS_FILE.join('/')}; run tools/train/untuned-claims`,
            );
          return r.claims;
        },
        unmatched,
      ),
    );
  return examples;
}

function main(): void {
  const all = readExamples(ROOT, true);
  const examples = all.filter((e) => e.matched);
  console.log(
    `${examples.length} matched claims (untuned extractor) from ${TRAIN_SETS.length} dev sets, ${all.length - examples.length} unmatched`,
  );
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
  console.log(`gate ${gate}; without a gate ${kindAccuracy(oof, margin).toFixed(4)}`);

  // the variants (issue #18, after 1.19.0's held-out result F1 loss): the margin for changes between setup and
  // result, and training with the unmatched claims as "keep the rules' kind"; margin and gate as chosen above
  const crossMargins = CROSS_MARGINS(margin);
  const candidates: Candidate[] = [];
  const scoresOf = new Map<string, PipelineScores>();
  const oofOf = new Map<string, OofPrediction[]>();
  let rules = { kindAcc: 0, resultF1: 0 };
  for (const training of ['matched', 'matched+unmatched'] as const) {
    const train = training === 'matched' ? examples : all;
    const o = training === 'matched' ? oof : outOfFold(all, DEFAULT_TRAIN);
    const scores = pipelineScores(train, margin, gate, crossMargins);
    scoresOf.set(training, scores);
    oofOf.set(training, o);
    rules = figures(scores.before.get('pooled') as Score);
    for (const m of crossMargins) {
      const f = figures(scores.after.get(m)?.get('pooled') as Score);
      candidates.push({ training, crossMargin: m, kindAcc: f.kindAcc, resultF1: f.resultF1 });
    }
  }
  console.log(
    `\nvariants out of fold, pooled (kind accuracy on matched claims, result F1 on every emitted claim; rules: kind ${rules.kindAcc.toFixed(4)}, result F1 ${rules.resultF1.toFixed(4)}):`,
  );
  console.log('| training | cross-category margin | kind acc | kind acc (decide) | result F1 |');
  console.log('|---|---|---|---|---|');
  for (const c of candidates)
    console.log(
      `| ${c.training} | ${c.crossMargin === NEVER ? 'never' : c.crossMargin} | ${c.kindAcc.toFixed(4)} | ${kindAccuracy(oofOf.get(c.training) ?? [], margin, gate, c.crossMargin).toFixed(4)} | ${c.resultF1.toFixed(4)} |`,
    );
  const chosen = chooseCandidate(candidates, rules, candidates[0]);
  const crossMargin = chosen.crossMargin;
  console.log(
    `chosen: ${chosen.training}, cross-category margin ${crossMargin === NEVER ? 'never' : crossMargin}\n`,
  );
  for (const l of oofTable(oofOf.get(chosen.training) ?? [], margin, gate, crossMargin)) console.log(l);
  console.log(
    '\nthe whole correction out of fold, every emitted claim (a changed kind brings its category):',
  );
  for (const l of pipelineTable(scoresOf.get(chosen.training) as PipelineScores, crossMargin)) console.log(l);
  const model = trainKindModel(
    chosen.training === 'matched' ? examples : all,
    margin,
    gate,
    DEFAULT_TRAIN,
    `kind-model for ${EXTRACTOR_VERSION}`,
    crossMargin,
  );
  if (ALL_SETS) {
    // 1.19.0's model (trained on the 14 earlier sets) on the four current-rules sets: out of sample for it
    const untuned = readUntuned(ROOT);
    const sc = emptyScore();
    for (const set of CURRENT_RULES_SETS)
      for (const row of readLabelRows(join(ROOT, 'data', 'metrics', 'labels', set))) {
        const claims = (untuned.get(`${set}\u0000${row.id}`)?.claims ?? []).map((c) => ({ ...c }));
        correctKinds(row.text, claims);
        scoreRow(sc, row.id, row.claims, claims);
      }
    const f = figures(sc);
    console.log(
      `\n1.19.0's kind model on ${CURRENT_RULES_SETS.join(', ')}: kind ${f.kindAcc.toFixed(4)}, result F1 ${f.resultF1.toFixed(4)}`,
    );
    return;
  }
  const file = join(ROOT, 'data', 'metrics', ...KIND_MODEL_FILE);
  writeFileSync(file, gzipSync(JSON.stringify(model), { level: 9 }));
  console.log(
    `\n${Object.keys(model.weights).length} + ${Object.keys(model.first.weights).length} features → data/metrics/${KIND_MODEL_FILE.join('/')}`,
  );
}

main();
