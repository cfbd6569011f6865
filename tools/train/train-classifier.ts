// Trains the shipped classifier model from data the project ships, deterministically:
//  - idf of unigrams/bigrams over the public arXiv abstracts in data/classification/corpus (+ dev-set texts);
//  - the arXiv-category naive Bayes on the training split of that corpus (held-out split never seen);
//  - the topic-score calibration (one logistic regression over topic-agnostic features) and its threshold on
//    data/classification/labels/dev.jsonl against the default taxonomy (the held-out labels are never read);
//  - the weight of example-paper similarity, by leave-one-out over dev positives.
// Then the learned linear model (linear-trainer.ts), by default with the dense word-vector block over
// data/classification/word-vectors.bin.gz (tools/train/trim-word-vectors.ts; --dense-weight 0 leaves it out;
// --dense-norm mean makes it a weighted mean instead of L2-normalised, libs/classification/README.md).
// Usage: node tools/run.js tools/train/train-classifier   (writes data/classification/model.json)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_FEATURES,
  type DenseNorm,
  type DenseSpec,
  WORD_VECTORS_FILE,
  loadWordVectorsFile,
} from '@paperwire/classification';
import {
  DEFAULT_DENSE,
  DEFAULT_LINEAR_TRAIN,
  type LinearTrainOptions,
  type SelfTraining,
  acceptanceTest,
  heldOutKeys,
  normTitle,
  readLabelSet,
  trainingRows,
  trainLinearModel,
  writeLinearModel,
} from './linear-trainer';
import { MIRRORS, mirrorTexts } from './mirror-listings';
import {
  type ClassifierModel,
  type ContributionModel,
  type CorpusPaper,
  FEATURE_NAMES,
  buildDocument,
  compileTopic,
  findRepoRoot,
  isHeldOut,
  loadDefaultTaxonomy,
  loadShippedCorpora,
  nonMlSplit,
  sigmoid,
  tfidfVector,
  topicEvidence,
  topicSimilarity,
  trainArxivCategory,
  trainLogistic,
} from '@paperwire/classification';

const ROOT = findRepoRoot(__dirname);
const DATA = join(ROOT, 'data', 'classification');
const MODEL_SERIES = 'clf-2';

function usable(shipped: { tiagoft: CorpusPaper[]; gechhai: CorpusPaper[] }): CorpusPaper[] {
  return [...shipped.tiagoft, ...shipped.gechhai].filter((p) => p.title && p.abstract && p.categories.length > 0);
}

function computeIdf(texts: { title: string; abstract: string }[]): {
  idf: Record<string, number>;
  defaultIdf: number;
} {
  const df = new Map<string, number>();
  for (const t of texts)
    for (const term of buildDocument(t).terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = texts.length;
  const idfOf = (d: number): number => Math.round((Math.log((n + 1) / (d + 1)) + 1) * 1000) / 1000;
  const idf: Record<string, number> = {};
  for (const term of [...df.keys()].sort()) {
    const d = df.get(term) as number;
    if (d >= 2) idf[term] = idfOf(d);
  }
  return { idf, defaultIdf: idfOf(1) };
}

function microF1(pred: boolean[], gold: boolean[]): number {
  let tp = 0;
  let p = 0;
  let g = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i]) p++;
    if (gold[i]) g++;
    if (pred[i] && gold[i]) tp++;
  }
  return tp === 0 ? 0 : (2 * tp) / (p + g);
}

function main(): void {
  // parsed once: the idf and the arXiv category read it, and --negatives-from-corpus the snapshot's non-ML papers
  const shipped = loadShippedCorpora(ROOT);
  const corpus = usable(shipped);
  const dev = readLabelSet(join(DATA, 'labels'), 'dev.jsonl');
  const { idf, defaultIdf } = computeIdf([...corpus, ...dev]);

  const train = corpus.filter((p) => !isHeldOut(p.title));
  const arxiv = trainArxivCategory(
    train.map((p) => ({ terms: buildDocument(p).terms, category: p.categories[0] })),
    { minDf: 2, alpha: 0.1 },
  );

  const contributionFile = JSON.parse(
    readFileSync(join(DATA, 'contribution-cues.json'), 'utf8'),
  ) as ContributionModel;
  const contribution: ContributionModel = {
    cues: contributionFile.cues,
    titleBoost: contributionFile.titleBoost,
    minScore: contributionFile.minScore,
  };

  // Features of every (dev paper, default topic) pair with a provisional model (no calibration yet).
  const draft: ClassifierModel = {
    version: 'draft',
    provenance: '',
    idf,
    defaultIdf,
    calibration: {
      features: [...FEATURE_NAMES],
      weights: [],
      bias: 0,
      threshold: 0.5,
      example: { weight: 0, offset: 0 },
    },
    contribution,
    arxiv,
  };
  const taxonomy = loadDefaultTaxonomy();
  const profiles = taxonomy.map((t) => compileTopic(t, draft));
  // The same topics as a user would write them (name, description, three keywords, no shipped data), so the
  // calibration also learns to score topics that carry little keyword data.
  const bare = taxonomy.map((t) =>
    compileTopic(
      { slug: t.slug, name: t.name, description: t.description, keywords: (t.keywords ?? []).slice(0, 3) },
      draft,
    ),
  );
  const docs = dev.map((p) => {
    const doc = buildDocument(p);
    return { paper: p, doc, vector: tfidfVector(doc.terms, idf, defaultIdf) };
  });
  const x: number[][] = [];
  const y: number[] = [];
  for (const set of [profiles, bare]) {
    for (const d of docs) {
      for (const prof of set) {
        x.push(topicEvidence(d.doc, prof, topicSimilarity(d.vector, prof), null).features);
        y.push(d.paper.topics.includes(prof.slug) ? 1 : 0);
      }
    }
  }
  const fit = trainLogistic(x, y, { iterations: 4000, learningRate: 0.5, l2: 0.001, positiveWeight: 2 });
  const z = x.map((f) => fit.bias + f.reduce((s, v, j) => s + v * fit.weights[j], 0));

  let threshold = 0.5;
  let bestF1 = -1;
  for (let t = 0.2; t <= 0.8 + 1e-9; t += 0.025) {
    const n = docs.length * profiles.length;
    const f1 = microF1(
      z.slice(0, n).map((v) => sigmoid(v) >= t),
      y.slice(0, n).map((v) => v === 1),
    );
    if (f1 > bestF1 + 1e-9) {
      bestF1 = f1;
      threshold = Math.round(t * 1000) / 1000;
    }
  }

  // Leave-one-out: each dev paper against a topic's other dev positives (up to 5) as its examples, on top of
  // the user-style (bare) topic. Similarity is centred on its mean over non-members and the bias is not refit,
  // so examples only move a topic's score by how much closer the paper is than an unrelated paper would be.
  const nPairs = docs.length * profiles.length;
  const pairs: { sim: number; y: number; z: number }[] = [];
  profiles.forEach((prof, ti) => {
    const positives = docs.filter((d) => d.paper.topics.includes(prof.slug));
    if (positives.length < 3) return;
    docs.forEach((d, di) => {
      const examples = positives.filter((p) => p !== d).slice(0, 5);
      const withExamples = compileTopic(
        {
          ...taxonomy[ti],
          keywords: (taxonomy[ti].keywords ?? []).slice(0, 3),
          weakKeywords: [],
          examples: examples.map((e) => e.paper),
        },
        draft,
      );
      const ev = topicEvidence(d.doc, withExamples, topicSimilarity(d.vector, withExamples), null);
      pairs.push({
        sim: ev.exampleSimilarity ?? 0,
        y: d.paper.topics.includes(prof.slug) ? 1 : 0,
        z: z[nPairs + di * profiles.length + ti],
      });
    });
  });
  const negatives = pairs.filter((p) => p.y === 0);
  const offset = negatives.reduce((s, p) => s + p.sim, 0) / Math.max(1, negatives.length);
  const exFit = trainLogistic(
    pairs.map((p) => [p.sim - offset]),
    pairs.map((p) => p.y),
    { iterations: 3000, learningRate: 1, l2: 0.0001, offset: pairs.map((p) => p.z), fitBias: false },
  );
  const example = { weight: round(exFit.weights[0]), offset: round(offset) };
  const exX = pairs;

  const body: Omit<ClassifierModel, 'version'> = {
    provenance:
      'tools/train/train-classifier.ts: idf and arXiv naive Bayes from data/classification/corpus (train split by ' +
      'isHeldOut(title)), calibration from data/classification/labels/dev.jsonl with data/taxonomy/default-topics.json ' +
      '+ data/classification/topic-keywords.json, contribution cues from data/classification/contribution-cues.json',
    idf,
    defaultIdf,
    calibration: {
      features: [...FEATURE_NAMES],
      weights: fit.weights.map(round),
      bias: round(fit.bias),
      threshold,
      example,
    },
    contribution,
    arxiv,
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 10);
  const model: ClassifierModel = { version: `${MODEL_SERIES}.${hash}`, ...body };
  writeFileSync(join(DATA, 'model.json'), JSON.stringify(model) + '\n');
  process.stdout.write(
    [
      `model ${model.version} written to data/classification/model.json`,
      `corpus ${corpus.length} abstracts (arXiv NB train ${train.length}, ${arxiv.classes.length} classes, ${arxiv.vocabularySize} terms)`,
      `idf terms ${Object.keys(idf).length}`,
      `calibration ${FEATURE_NAMES.map((n, i) => `${n}=${body.calibration.weights[i]}`).join(' ')} bias=${body.calibration.bias}`,
      `threshold ${threshold} (dev micro-F1 in-sample ${bestF1.toFixed(3)})`,
      `example similarity weight ${example.weight} offset ${example.offset} (${exX.length} leave-one-out pairs)`,
    ].join('\n') + '\n',
  );

  // The learned linear model, with the keyword model above as one of its inputs.
  const num = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const str = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const opts: LinearTrainOptions = {
    ftrl: {
      alpha: num('--alpha', DEFAULT_LINEAR_TRAIN.ftrl.alpha),
      beta: DEFAULT_LINEAR_TRAIN.ftrl.beta,
      l1: num('--l1', DEFAULT_LINEAR_TRAIN.ftrl.l1),
      l2: num('--l2', DEFAULT_LINEAR_TRAIN.ftrl.l2),
      epochs: num('--epochs', DEFAULT_LINEAR_TRAIN.ftrl.epochs),
      seed: DEFAULT_LINEAR_TRAIN.ftrl.seed,
    },
    features: {
      ...DEFAULT_FEATURES,
      blockWeights: {
        body: num('--body-weight', DEFAULT_FEATURES.blockWeights.body),
        title: num('--title-weight', DEFAULT_FEATURES.blockWeights.title),
        chars: num('--chars-weight', DEFAULT_FEATURES.blockWeights.chars),
      },
      dense: denseSpec(
        num('--dense-weight', DEFAULT_DENSE.weight),
        num('--dense-title', DEFAULT_DENSE.title),
        str('--word-vectors'),
        denseNorm(str('--dense-norm') ?? DEFAULT_DENSE.norm),
      ),
    },
    reweight: process.argv.includes('--reweight'),
    positivePower: num('--positive-power', DEFAULT_LINEAR_TRAIN.positivePower),
    maxPositiveWeight: num('--max-positive-weight', DEFAULT_LINEAR_TRAIN.maxPositiveWeight),
    primaryHeads: process.argv.includes('--primary-ovr') ? 'ovr' : DEFAULT_LINEAR_TRAIN.primaryHeads,
    dumpOof: str('--dump-oof'),
    compareIds: str('--compare-ids'),
    streamWeight: num('--stream-weight', DEFAULT_LINEAR_TRAIN.streamWeight),
    calibration: (() => {
      const c = str('--calibration');
      if (c === undefined) return DEFAULT_LINEAR_TRAIN.calibration;
      if (c !== 'all' && c !== 'stream') throw new Error('--calibration: all | stream');
      return c;
    })(),
    calibrationOtherWeight: num('--calibration-other-weight', DEFAULT_LINEAR_TRAIN.calibrationOtherWeight),
    streamOwnThreshold: num('--stream-own-threshold', DEFAULT_LINEAR_TRAIN.streamOwnThreshold),
    fallback: process.argv.includes('--fallback')
      ? true
      : process.argv.includes('--no-fallback')
        ? false
        : DEFAULT_LINEAR_TRAIN.fallback,
    // --nb-scale [alpha]: NB-scaled topic-head features (NBSVM), smoothing alpha (default 1); off by default
    ...(process.argv.includes('--nb-scale')
      ? {
          nbScale: {
            alpha: /^[0-9.]+$/.test(str('--nb-scale') ?? '') ? Number(str('--nb-scale')) : 1,
            // --nb-scale-primary: the primary-topic softmax heads too (ratios from their own labels)
            ...(process.argv.includes('--nb-scale-primary') ? { primary: true } : {}),
          },
        }
      : {}),
  };
  // --negatives-from-corpus: the shipped 2007 arXiv snapshot's papers outside every ML archive (physics, mathematics),
  // training split only (nonMlSplit: the held-out rest measures how often such papers get a topic, eval:classifier's
  // non-ML ceiling), as certain negatives; acceptance-set titles left out.
  if (process.argv.includes('--negatives-from-corpus')) {
    const isAcceptance = acceptanceTest(str('--shared') ?? join(ROOT, '..', 'shared'));
    opts.negatives = nonMlSplit(shipped.gechhai)
      .train.filter((p) => !isAcceptance(p.title))
      .map((p) => ({ id: `negative:${p.id}`, source: 'gechhai', title: p.title, abstract: p.abstract, topics: [], primary: null, contribution: '' }));
  }
  // --self-train N: self-training on N unlabelled listings of the word vectors' mirror (selfTrainingPool), pseudo rows
  // kept per topic at --self-train-share (default 0.35) of their expected positives, weight --self-train-weight (0.3)
  if (str('--self-train') !== undefined)
    opts.selfTrain = {
      ...selfTrainingPool(Number(str('--self-train')), str('--mirror-root') ?? '/work/.mirror', str('--shared') ?? join(ROOT, '..', 'shared')),
      share: num('--self-train-share', 0.35),
      weight: num('--self-train-weight', 0.3),
    };
  const t0 = Date.now();
  const { file, log } = trainLinearModel(join(DATA, 'labels'), taxonomy, model, opts);
  const outArg = process.argv.indexOf('--out');
  const out = process.argv.includes('--dry-run')
    ? null
    : outArg > 0
      ? process.argv[outArg + 1]
      : join(DATA, 'linear-model.json.gz');
  const bytes = out ? writeLinearModel(out, file) : 0;
  process.stdout.write(
    [
      ...log,
      out ? `written to ${out} (${(bytes / 1024).toFixed(0)} KiB)` : '(dry run: not written)',
      `trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    ].join('\n') + '\n',
  );
}

/**
 * The dense word-vector block (weight 0: none), its vectors read from `file` (default: the shipped file). An 'l2'
 * block leaves `norm` out of the spec, as the lin-7 models before the 'mean' form did (the model id hashes it).
 */
function denseSpec(
  weight: number,
  title: number,
  file: string | undefined,
  norm: DenseNorm,
): DenseSpec | undefined {
  if (!(weight > 0)) return undefined;
  const v = loadWordVectorsFile(file ?? join(ROOT, 'data', ...WORD_VECTORS_FILE));
  return { vectors: v.id, dims: v.dims, weight, title, ...(norm === 'mean' ? { norm } : {}) };
}

function denseNorm(s: string): DenseNorm {
  if (s !== 'l2' && s !== 'mean') throw new Error('--dense-norm: l2 | mean');
  return s;
}

/**
 * The self-training pool: the per-day arXiv listings of the first mirror the word vectors are trained on
 * (mirror-listings.ts, pinned commit; cs.* / stat.ML / eess.* papers), minus every held-out and acceptance-set paper
 * and every training row (by arXiv id or normalised title); the n whose arXiv id hashes lowest (sha1), so the draw is
 * fixed by the listings alone.
 */
function selfTrainingPool(n: number, mirrorRoot: string, shared: string): Pick<SelfTraining, 'pool' | 'source'> {
  if (!(Number.isInteger(n) && n > 0)) throw new Error('--self-train: a number of pool papers');
  const labels = join(DATA, 'labels');
  const { heldIds, heldTitles } = heldOutKeys(labels);
  const mirror = MIRRORS[0];
  const [listings] = mirrorTexts([mirror], mirrorRoot, heldIds, heldTitles, acceptanceTest(shared));
  const { rows } = trainingRows(labels);
  const ids = new Set(rows.map((r) => r.id));
  const titles = new Set(rows.map((r) => normTitle(r.title)));
  const sha = (id: string): string => createHash('sha1').update(id).digest('hex');
  const pool = listings
    .filter((l) => !ids.has(`arxiv:${l.id}`) && !titles.has(normTitle(l.title)))
    .map((l) => ({ key: sha(l.id as string), l }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n)
    .map(({ l }) => ({ id: `arxiv:${l.id}`, source: 'pool', title: l.title, abstract: l.abstract, topics: [], primary: null, contribution: '' }));
  process.stdout.write(`self-training pool: ${pool.length} of ${listings.length} listings (training rows left out)\n`);
  return { pool, source: `${mirror.repo}@${mirror.commit}` };
}

const round = (v: number): number => Math.round(v * 10000) / 10000;

main();
