// Output parity of the topic classifier (libs/classification) across a code change, paper by paper: `--write`
// dumps every output of the current build, `--check` compares the current build's outputs with such a dump and
// counts the papers that differ, per set. A performance change must report 0 differences everywhere.
//   sets      the classify stage's documents of the bench (tools/bench/corpus, with their source categories, and
//             again without, so the naive Bayes category runs), the shipped public arXiv abstracts, and every
//             labelled set (dev, heldout*, random, train) as eval:classifier reads them (no categories)
//   outputs   classify() with the default taxonomy: topics (slug, score, evidence), primary, contribution, arXiv
//             category, version; on dev and heldout-3 also the default taxonomy with example papers given to
//             every topic (the example-similarity path) and the keyword logits the training script reads
// Numbers are compared exactly, except that a difference of at most 1e-9 is counted apart (float rounding).
// Usage: node tools/run.js tools/bench/classifier-parity --write FILE | --check FILE [--records N (5000)]
import { join } from 'node:path';
import {
  type ClassifyInput,
  type TopicDefinition,
  createClassifier,
  createKeywordLogits,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadShippedCorpora,
} from '@paperwire/classification';
import { readLabelSet } from '../train/linear-trainer';
import { classifyStagePapers, loadBaseTexts } from './corpus';
import { argOf, runParity, type Dump, type Verdict } from './parity-dump';

const ROOT = findRepoRoot(__dirname);
const LABELS = join(ROOT, 'data', 'classification', 'labels');
const RECORDS = Number(argOf('records') ?? 5000);
const LABEL_SETS = ['dev', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'heldout-5', 'random'];

const bare = (papers: { title: string; abstract: string }[]): ClassifyInput[] =>
  papers.map((p) => ({ title: p.title, abstract: p.abstract, categories: [] }));

function inputSets(): [string, ClassifyInput[]][] {
  const pipeline = classifyStagePapers(loadBaseTexts(ROOT), RECORDS);
  const { tiagoft, gechhai } = loadShippedCorpora(ROOT);
  return [
    ['pipeline', pipeline],
    ['pipeline-no-categories', bare(pipeline)],
    ['shipped', bare([...tiagoft, ...gechhai])],
    ...LABEL_SETS.map((s): [string, ClassifyInput[]] => [s, bare(readLabelSet(LABELS, `${s}.jsonl`))]),
    ['train', bare(readLabelSet(LABELS, 'train.jsonl.gz'))],
  ];
}

/** The default taxonomy with three example papers (fixed picks from `pool`) given to every topic. */
function withExamples(topics: TopicDefinition[], pool: ClassifyInput[]): TopicDefinition[] {
  return topics.map((t, i) => ({
    ...t,
    examples: [0, 1, 2].map((k) => {
      const p = pool[(i * 97 + k * 31) % pool.length];
      return { title: p.title, abstract: p.abstract };
    }),
  }));
}

function outputs(): Dump {
  const model = loadDefaultModel();
  const taxonomy = loadDefaultTaxonomy();
  const classifier = createClassifier(taxonomy, model);
  const run = (c: ReturnType<typeof createClassifier>, papers: ClassifyInput[]): unknown[] =>
    papers.map((p) => {
      const r = c.classify(p);
      return [r.topics, r.primaryTopic, r.contribution, r.arxivCategory ?? null, r.version];
    });
  const dump: Dump = {};
  const sets = inputSets();
  for (const [name, papers] of sets) dump[name] = run(classifier, papers);
  const shipped = sets.find(([n]) => n === 'shipped')![1];
  const withEx = createClassifier(withExamples(taxonomy, shipped), model);
  const logits = createKeywordLogits(taxonomy, model);
  for (const [name, papers] of sets.filter(([n]) => n === 'dev' || n === 'heldout-3')) {
    dump[`${name}/examples`] = run(withEx, papers);
    dump[`${name}/keyword-logits`] = papers.map((p) => logits(p));
  }
  return dump;
}

/** 'same', 'close' (numbers within 1e-9, nothing else differs) or 'differs'. */
function compare(a: unknown, b: unknown): Verdict {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || (Number.isNaN(a) && Number.isNaN(b)) ? 'same' : Math.abs(a - b) <= 1e-9 ? 'close' : 'differs';
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? 'same' : 'differs';
  if (Array.isArray(a) !== Array.isArray(b)) return 'differs';
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return 'differs';
  let worst: 'same' | 'close' = 'same';
  for (const k of ka) {
    const c = compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    if (c === 'differs') return c;
    if (c === 'close') worst = c;
  }
  return worst;
}

void runParity('classifier-parity', outputs, compare);
