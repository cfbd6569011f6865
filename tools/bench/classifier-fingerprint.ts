// Golden fingerprint of the topic classifier's outputs (libs/classification), so a performance change can
// prove it changed nothing: sha256 of the canonical JSON of every result over a fixed set of abstracts.
//   results  classify() with the default taxonomy: topics (scores, evidence), primary, contribution and
//            arXiv category, over the bench corpus (with and without source categories), the shipped public
//            arXiv abstracts (categories withheld) and the labelled sets; plus the same papers through a
//            taxonomy whose topics carry example papers (the example-similarity path).
//   features the building blocks the training and eval scripts use: each paper's n-gram views (in insertion
//            order, which fixes the order of float sums) and every topic's evidence features, unrounded.
// Any change of output, down to the last bit of an unrounded feature, changes a hash.
// Usage: node tools/run.js tools/bench/classifier-fingerprint [--records N]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClassifyInput,
  type TopicDefinition,
  buildDocument,
  compileTopic,
  createClassifier,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadShippedCorpora,
  tfidfVector,
  topicEvidence,
  topicSimilarity,
} from '@paperwire/classification';
import { loadBaseTexts, recordAt } from './corpus';

const ROOT = findRepoRoot(__dirname);
const DATA = join(ROOT, 'data', 'classification');
const recordsArg = process.argv.indexOf('--records');
const RECORDS = recordsArg > 0 ? Number(process.argv[recordsArg + 1]) : 2000;

function readJsonl(path: string): { title: string; abstract: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { title: string; abstract: string });
}

/** The fixed input set: every paper once without categories (the naive Bayes runs), bench records also with. */
function papers(): ClassifyInput[] {
  const base = loadBaseTexts(ROOT);
  const corpus = { records: RECORDS, duplicateRate: 0.05, versionRate: 0.05 };
  const out: ClassifyInput[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const r = recordAt(i, base, corpus);
    out.push({ title: r.title, abstract: r.abstract, categories: r.categories.split(' ') });
    out.push({ title: r.title, abstract: r.abstract, categories: [] });
  }
  const { tiagoft, gechhai } = loadShippedCorpora(ROOT);
  const csv = [...tiagoft, ...gechhai];
  for (const p of csv) out.push({ title: p.title, abstract: p.abstract, categories: [] });
  for (const set of ['dev', 'heldout', 'heldout-2'])
    for (const p of readJsonl(join(DATA, 'labels', `${set}.jsonl`)))
      out.push({ title: p.title, abstract: p.abstract, categories: [] });
  return out;
}

/** The default taxonomy with three example papers (fixed picks from the inputs) given to every topic. */
function withExamples(topics: TopicDefinition[], inputs: ClassifyInput[]): TopicDefinition[] {
  return topics.map((t, i) => ({
    ...t,
    examples: [0, 1, 2].map((k) => {
      const p = inputs[(i * 97 + k * 31) % inputs.length];
      return { title: p.title, abstract: p.abstract };
    }),
  }));
}

function sha256(chunks: Iterable<string>): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c + '\n');
  return h.digest('hex');
}

function main(): void {
  const inputs = papers();
  const model = loadDefaultModel();
  const taxonomy = loadDefaultTaxonomy();
  const classifiers = [
    createClassifier(taxonomy, model),
    createClassifier(withExamples(taxonomy, inputs), model),
  ];
  const results = sha256(
    classifiers.flatMap((c) =>
      inputs.map((p) => {
        const r = c.classify(p);
        return JSON.stringify([
          r.topics,
          r.primaryTopic,
          r.contribution,
          r.arxivCategory ?? '(given)',
          r.version,
        ]);
      }),
    ),
  );

  const profiles = taxonomy.map((t) => compileTopic(t, model));
  const features = sha256(
    inputs.map((p) => {
      const doc = buildDocument(p);
      const vector = tfidfVector(doc.terms, model.idf, model.defaultIdf);
      const evidence = profiles.map((t) => {
        const ev = topicEvidence(doc, t, topicSimilarity(vector, t), p);
        return [ev.features, ev.exampleSimilarity, ev.evidence];
      });
      return JSON.stringify([[...doc.title], [...doc.abstract], [...doc.terms], evidence]);
    }),
  );

  const out = (s: string): void => void process.stdout.write(s + '\n');
  out(`classifier fingerprint: ${inputs.length} papers x ${classifiers.length} taxonomies`);
  out(`results  ${results}`);
  out(`features ${features}`);
}

main();
