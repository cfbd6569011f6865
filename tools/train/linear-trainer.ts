// Trains the learned linear model (libs/classification/src/linear.ts) from the committed labelled data:
//   data/classification/labels/train.jsonl.gz (the team's labelled corpus), dev.jsonl and heldout-2.jsonl
//   (heldout-2 is a dev set: it leaked into the keyword rules). heldout.jsonl and heldout-3.jsonl are never
//   read except to make sure none of their papers is trained on.
// Everything is chosen by 5-fold cross-validation on the training data only: Platt scaling per topic on
// out-of-fold logits, per-topic thresholds (global one for topics with few positives), the primary-topic rule
// and whether the learned contribution heads beat the cue phrases. Deterministic (fixed folds and seeds).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CONTRIBUTION_TYPES } from '@paperwire/contracts';
import {
  type ClassifierModel,
  type FtrlOptions,
  type HeadSpec,
  type LinearHeadFile,
  type LinearModelFile,
  type TopicDefinition,
  type TrainExample,
  DEFAULT_FEATURES,
  DEFAULT_FTRL,
  bestThreshold,
  createClassifier,
  createKeywordLogits,
  fitPlatt,
  headLogit,
  linearFeatures,
  packHead,
  trainHeads,
} from '@paperwire/classification';

export interface LabelledPaper {
  id: string;
  source?: string;
  title: string;
  abstract: string;
  topics: string[];
  primary: string | null;
  contribution: string;
}

const MODEL_SERIES = 'lin-2';
/** a topic gets a learned head only with at least this many labelled positives */
export const MIN_POSITIVES = 8;
/** below this many positives a topic uses the global cross-validated threshold */
const OWN_THRESHOLD_POSITIVES = 15;
const FOLDS = 5;
const PRUNE = 2e-4;

export const normTitle = (t: string): string =>
  (t ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const readJsonl = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export function readLabelSet(dir: string, name: string): LabelledPaper[] {
  const path = join(dir, name);
  const text = name.endsWith('.gz')
    ? gunzipSync(readFileSync(path)).toString('utf8')
    : readFileSync(path, 'utf8');
  return readJsonl<LabelledPaper>(text);
}

/** The training rows: train.jsonl.gz + dev + heldout-2, minus anything in a held-out set, deduplicated. */
export function trainingRows(labelsDir: string): { rows: LabelledPaper[]; excluded: number } {
  const heldTitles = new Set<string>();
  const heldIds = new Set<string>();
  for (const f of ['heldout.jsonl', 'heldout-3.jsonl'])
    for (const r of readLabelSet(labelsDir, f)) {
      heldIds.add(r.id);
      if (r.title) heldTitles.add(normTitle(r.title));
    }
  const rows: LabelledPaper[] = [];
  const seen = new Set<string>();
  let excluded = 0;
  for (const f of ['dev.jsonl', 'heldout-2.jsonl', 'train.jsonl.gz']) {
    for (const r of readLabelSet(labelsDir, f)) {
      const key = r.title ? normTitle(r.title) : `id:${r.id}`;
      if (heldIds.has(r.id) || (r.title && heldTitles.has(key))) {
        excluded++;
        continue;
      }
      if (seen.has(key) || seen.has(`id:${r.id}`)) continue;
      seen.add(key);
      seen.add(`id:${r.id}`);
      rows.push(r);
    }
  }
  return { rows, excluded };
}

function fold(id: string): number {
  return createHash('sha1').update(id).digest()[0] % FOLDS;
}

interface HeadPlan extends HeadSpec {
  topicIndex: number;
  positives: number;
}

export interface LinearTrainingResult {
  file: LinearModelFile;
  log: string[];
}

export function trainLinearModel(
  labelsDir: string,
  taxonomy: TopicDefinition[],
  keywordModel: ClassifierModel,
  opts: FtrlOptions = DEFAULT_FTRL,
): LinearTrainingResult {
  const log: string[] = [];
  const { rows, excluded } = trainingRows(labelsDir);
  log.push(`training rows ${rows.length} (${excluded} dropped: in a held-out set)`);
  const slugs = taxonomy.map((t) => t.slug);
  const kwLogits = createKeywordLogits(taxonomy, keywordModel);
  const keywordClassifier = createClassifier(taxonomy, keywordModel);
  const examples: TrainExample[] = rows.map((r) => ({
    f: linearFeatures(r, DEFAULT_FEATURES),
    keyword: Float64Array.from(kwLogits(r)),
  }));

  // ---- heads ----
  const plans: HeadPlan[] = [];
  slugs.forEach((slug, ti) => {
    const y = Int8Array.from(rows.map((r) => (r.topics.includes(slug) ? 1 : 0)));
    const pos = y.reduce((s, v) => s + v, 0);
    if (pos < MIN_POSITIVES) {
      log.push(`topic ${slug}: ${pos} positives, no learned head (keyword model)`);
      return;
    }
    const pw = Math.min(4, Math.max(1, Math.sqrt((rows.length - pos) / pos) / 2));
    plans.push({
      kind: 'topic',
      label: slug,
      y,
      keyword: ti,
      positiveWeight: pw,
      topicIndex: ti,
      positives: pos,
    });
  });
  for (const p of plans.filter((h) => h.kind === 'topic')) {
    const y = Int8Array.from(rows.map((r) => (r.primary === null ? -1 : r.primary === p.label ? 1 : 0)));
    plans.push({
      kind: 'primary',
      label: p.label,
      y,
      keyword: p.topicIndex,
      positiveWeight: 1,
      topicIndex: p.topicIndex,
      positives: y.reduce((s, v) => s + (v === 1 ? 1 : 0), 0),
    });
  }
  for (const c of CONTRIBUTION_TYPES) {
    const y = Int8Array.from(rows.map((r) => (r.contribution === c ? 1 : 0)));
    plans.push({
      kind: 'contribution',
      label: c,
      y,
      keyword: -1,
      positiveWeight: 1,
      topicIndex: -1,
      positives: y.reduce((s, v) => s + v, 0),
    });
  }

  // ---- cross-validation: out-of-fold logits of every head ----
  const oof = plans.map(() => new Float64Array(rows.length));
  const folds = rows.map((r) => fold(r.id));
  for (let k = 0; k < FOLDS; k++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    folds.forEach((f, i) => (f === k ? testIdx : trainIdx).push(i));
    const m = trainHeads(examples, trainIdx, plans, DEFAULT_FEATURES.bits, opts);
    for (const i of testIdx) plans.forEach((p, h) => (oof[h][i] = headLogit(m, h, examples[i], p.keyword)));
  }

  // ---- calibration and thresholds per topic head ----
  const topicHeads = plans.map((p, h) => ({ p, h })).filter(({ p }) => p.kind === 'topic');
  const platt = new Map<number, { a: number; b: number }>();
  const probs = new Map<number, number[]>();
  for (const { p, h } of topicHeads) {
    const ys = Array.from(p.y);
    const ab = fitPlatt(Array.from(oof[h]), ys);
    platt.set(h, ab);
    probs.set(
      h,
      Array.from(oof[h]).map((z) => 1 / (1 + Math.exp(-(ab.a * z + ab.b)))),
    );
  }
  // global threshold: best micro-F1 over all topic heads' out-of-fold probabilities
  const allP: number[] = [];
  const allY: number[] = [];
  for (const { p, h } of topicHeads) {
    allP.push(...(probs.get(h) as number[]));
    allY.push(...Array.from(p.y));
  }
  const global = bestThreshold(allP, allY);
  log.push(
    `global threshold ${global.threshold} (out-of-fold micro-F1 over learned topics ${global.f1.toFixed(3)})`,
  );
  const thresholds = new Map<number, number>();
  for (const { p, h } of topicHeads) {
    const own = bestThreshold(probs.get(h) as number[], Array.from(p.y));
    const t =
      p.positives >= OWN_THRESHOLD_POSITIVES
        ? Math.min(0.85, Math.max(0.15, own.threshold))
        : global.threshold;
    thresholds.set(h, t);
  }

  // ---- out-of-fold figures: learned vs keyword model on the same rows ----
  const T = keywordModel.calibration.threshold;
  const predictedOof = rows.map((_, i) => {
    const out: { slug: string; p: number; score: number; head: number }[] = [];
    slugs.forEach((slug, ti) => {
      const th = topicHeads.find(({ p }) => p.topicIndex === ti);
      if (th) {
        const pr = (probs.get(th.h) as number[])[i];
        const t = thresholds.get(th.h) as number;
        if (pr >= t) out.push({ slug, p: pr, score: T + ((1 - T) * (pr - t)) / (1 - t), head: th.h });
      } else {
        const s = 1 / (1 + Math.exp(-examples[i].keyword[ti]));
        if (s >= T) out.push({ slug, p: s, score: s, head: -1 });
      }
    });
    return out.sort((a, b) => b.score - a.score);
  });
  const keywordPred = rows.map((r) =>
    keywordClassifier.classify({ title: r.title, abstract: r.abstract, categories: ['x'] }),
  );
  const micro = (preds: string[][]): { p: number; r: number; f: number } => {
    let tp = 0;
    let np = 0;
    let ng = 0;
    rows.forEach((r, i) => {
      np += preds[i].length;
      ng += r.topics.length;
      tp += preds[i].filter((s) => r.topics.includes(s)).length;
    });
    const P = np ? tp / np : 0;
    const R = ng ? tp / ng : 0;
    return { p: P, r: R, f: P + R ? (2 * P * R) / (P + R) : 0 };
  };
  const learnedMicro = micro(predictedOof.map((o) => o.map((x) => x.slug)));
  const keywordMicro = micro(keywordPred.map((c) => c.topics.map((t) => t.slug)));

  // primary rule
  const primaryHeadOf = new Map<string, number>();
  plans.forEach((p, h) => p.kind === 'primary' && primaryHeadOf.set(p.label, h));
  const primaryBy = (rule: 'score' | 'head'): number => {
    let ok = 0;
    rows.forEach((r, i) => {
      const o = predictedOof[i];
      let prim: string | null = o[0]?.slug ?? null;
      if (rule === 'head' && o.length > 1) {
        let best = -Infinity;
        for (const x of o) {
          const ph = x.head >= 0 ? primaryHeadOf.get(x.slug) : undefined;
          if (ph !== undefined && oof[ph][i] > best) {
            best = oof[ph][i];
            prim = x.slug;
          }
        }
      }
      if (prim === r.primary) ok++;
    });
    return ok / rows.length;
  };
  const primaryScore = primaryBy('score');
  const primaryHead = primaryBy('head');
  const primaryRule: 'score' | 'head' = primaryHead > primaryScore ? 'head' : 'score';
  const keywordPrimary =
    rows.filter((r, i) => keywordPred[i].primaryTopic === r.primary).length / rows.length;

  // contribution: learned arg-max vs cue phrases
  const contribHeads = plans.map((p, h) => ({ p, h })).filter(({ p }) => p.kind === 'contribution');
  let learnedContrib = 0;
  let cueContrib = 0;
  rows.forEach((r, i) => {
    let best = -Infinity;
    let label = 'method';
    for (const { p, h } of contribHeads)
      if (oof[h][i] > best) {
        best = oof[h][i];
        label = p.label;
      }
    if (label === r.contribution) learnedContrib++;
    if (keywordPred[i].contribution === r.contribution) cueContrib++;
  });
  const useContribution = learnedContrib > cueContrib;

  const f3 = (x: number): string => x.toFixed(3);
  log.push(
    `cross-validated (${FOLDS}-fold, out-of-fold) on ${rows.length} training papers:`,
    `  topics micro P/R/F1 learned ${f3(learnedMicro.p)} / ${f3(learnedMicro.r)} / ${f3(learnedMicro.f)}  ` +
      `vs keyword model ${f3(keywordMicro.p)} / ${f3(keywordMicro.r)} / ${f3(keywordMicro.f)} (keyword model was fitted on dev, part of these rows)`,
    `  primary accuracy: learned (rule=score) ${f3(primaryScore)}, (rule=head) ${f3(primaryHead)} -> ${primaryRule}; keyword model ${f3(keywordPrimary)}`,
    `  contribution accuracy: learned ${f3(learnedContrib / rows.length)} vs cue phrases ${f3(cueContrib / rows.length)} -> ${useContribution ? 'learned' : 'cue phrases'}`,
  );
  const perTopic: Record<string, { positives: number; threshold: number; f1: number }> = {};
  for (const { p, h } of topicHeads) {
    const ps = probs.get(h) as number[];
    const t = thresholds.get(h) as number;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    ps.forEach((pr, i) => {
      const yes = pr >= t;
      if (yes && p.y[i] === 1) tp++;
      else if (yes) fp++;
      else if (p.y[i] === 1) fn++;
    });
    const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    perTopic[p.label] = { positives: p.positives, threshold: t, f1: Math.round(f1 * 1000) / 1000 };
    log.push(
      `  ${p.label.padEnd(30)} positives ${String(p.positives).padStart(4)}  threshold ${t.toFixed(3)}  F1 ${f3(f1)}`,
    );
  }

  // ---- final fit on all rows ----
  const all = rows.map((_, i) => i);
  const final = trainHeads(examples, all, plans, DEFAULT_FEATURES.bits, opts);
  const heads: LinearHeadFile[] = [];
  plans.forEach((p, h) => {
    if (p.kind === 'contribution' && !useContribution) return;
    const packed = packHead(p.kind, p.label, final.heads[h], PRUNE, p.positives);
    if (p.kind === 'topic') {
      const ab = platt.get(h) as { a: number; b: number };
      packed.platt = { a: Math.round(ab.a * 1e6) / 1e6, b: Math.round(ab.b * 1e6) / 1e6 };
      packed.threshold = thresholds.get(h);
    }
    heads.push(packed);
  });
  const training = {
    rows: rows.length,
    folds: FOLDS,
    ftrl: opts,
    minPositives: MIN_POSITIVES,
    cv: {
      topicsMicro: { p: +f3(learnedMicro.p), r: +f3(learnedMicro.r), f1: +f3(learnedMicro.f) },
      keywordTopicsMicro: { p: +f3(keywordMicro.p), r: +f3(keywordMicro.r), f1: +f3(keywordMicro.f) },
      primaryAccuracy: +f3(Math.max(primaryScore, primaryHead)),
      keywordPrimaryAccuracy: +f3(keywordPrimary),
      contributionAccuracy: +f3(learnedContrib / rows.length),
      cueContributionAccuracy: +f3(cueContrib / rows.length),
      perTopic,
    },
  };
  const body = {
    provenance:
      'tools/train/train-classifier.ts (linear-trainer.ts): FTRL-Proximal one-vs-rest logistic heads over hashed ' +
      'word 1-2-grams (title+abstract, title) and character 3-5-grams, trained on data/classification/labels/' +
      'train.jsonl.gz + dev.jsonl + heldout-2.jsonl; Platt scaling and thresholds from 5-fold cross-validation ' +
      'on those rows only (heldout.jsonl and heldout-3.jsonl never used)',
    features: DEFAULT_FEATURES,
    heads,
    primaryRule,
    training,
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 10);
  const file: LinearModelFile = { version: `${MODEL_SERIES}.${hash}`, ...body };
  const nnz = heads.reduce((s, h) => s + h.idx.length, 0);
  log.push(`final model ${file.version}: ${heads.length} heads, ${nnz} non-zero weights`);
  return { file, log };
}

export function writeLinearModel(path: string, file: LinearModelFile): number {
  const gz = gzipSync(Buffer.from(JSON.stringify(file) + '\n', 'utf8'), { level: 9 });
  writeFileSync(path, gz);
  return gz.length;
}
