// Quality of the topic classifier (libs/classification) on the hand-labelled sets in
// data/classification/labels (dev: used for calibration; heldout and heldout-2: never used for tuning) and of the
// arXiv-category model on the held-out split of the shipped public arXiv abstracts.
// Usage: node tools/run.js tools/eval/eval-classifier [--verbose]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Classification } from '@paperwire/contracts';
import {
  type CorpusPaper,
  buildDocument,
  createArxivPredictor,
  createClassifier,
  findRepoRoot,
  isHeldOut,
  loadDefaultModel,
  loadDefaultTaxonomy,
  parseGechhaiCsv,
  parseTiagoftCsv,
} from '@paperwire/classification';

const ROOT = findRepoRoot(__dirname);
const DATA = join(ROOT, 'data', 'classification');
const verbose = process.argv.includes('--verbose');
// --verbose-dev prints the per-paper errors of the dev set only (what tuning may look at).
const verboseDev = process.argv.includes('--verbose-dev');

interface Labelled {
  id: string;
  source: string;
  title: string;
  abstract: string;
  topics: string[];
  primary: string | null;
  contribution: string;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

const f1 = (c: Counts): { p: number; r: number; f: number } => {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
};
const pct = (n: number, d: number): string => `${d ? ((100 * n) / d).toFixed(1) : '0.0'}% (${n}/${d})`;
const out = (s = ''): void => void process.stdout.write(s + '\n');

function evaluateSet(
  name: string,
  rows: Labelled[],
  classify: (r: Labelled) => Classification,
  verbose: boolean,
): void {
  const perTopic = new Map<string, Counts>();
  const get = (slug: string): Counts => {
    let c = perTopic.get(slug);
    if (!c) perTopic.set(slug, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  let primaryOk = 0;
  let primaryLabelledOk = 0;
  let labelled = 0;
  let exactSet = 0;
  let contributionOk = 0;
  const contributionConfusion = new Map<string, number>();
  if (verbose) out(`-- ${name}: papers whose topic set or primary topic differ from the labels`);
  for (const r of rows) {
    const res = classify(r);
    const pred = new Set(res.topics.map((t) => t.slug));
    const gold = new Set(r.topics);
    for (const s of pred) {
      if (gold.has(s)) get(s).tp++;
      else get(s).fp++;
    }
    for (const s of gold) if (!pred.has(s)) get(s).fn++;
    if (res.primaryTopic === r.primary) primaryOk++;
    if (r.primary !== null) {
      labelled++;
      if (res.primaryTopic === r.primary) primaryLabelledOk++;
    }
    if (pred.size === gold.size && [...gold].every((s) => pred.has(s))) exactSet++;
    if (res.contribution === r.contribution) contributionOk++;
    else {
      const k = `${r.contribution} -> ${res.contribution}`;
      contributionConfusion.set(k, (contributionConfusion.get(k) ?? 0) + 1);
    }
    if (
      verbose &&
      (res.primaryTopic !== r.primary || pred.size !== gold.size || ![...gold].every((s) => pred.has(s)))
    ) {
      out(`  ${r.id} ${r.title.slice(0, 70)}`);
      out(`    gold [${[...gold].join(', ')}] primary=${r.primary}`);
      out(`    pred ${res.topics.map((t) => `${t.slug}:${t.score}`).join(', ')} primary=${res.primaryTopic}`);
    }
  }
  const micro = f1(
    [...perTopic.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), {
      tp: 0,
      fp: 0,
      fn: 0,
    }),
  );
  const goldTopics = [...perTopic.entries()].filter(([, c]) => c.tp + c.fn > 0);
  const macro = goldTopics.reduce((s, [, c]) => s + f1(c).f, 0) / Math.max(1, goldTopics.length);
  out(`== ${name}: ${rows.length} papers (${labelled} with at least one topic)`);
  out(`micro   P=${micro.p.toFixed(3)} R=${micro.r.toFixed(3)} F1=${micro.f.toFixed(3)}`);
  out(`macro   F1=${macro.toFixed(3)} over ${goldTopics.length} topics present in the gold labels`);
  out(`primary-topic accuracy ${pct(primaryOk, rows.length)} (null = no topic counts as a class)`);
  out(`primary-topic accuracy on papers with a topic ${pct(primaryLabelledOk, labelled)}`);
  out(`exact topic-set match ${pct(exactSet, rows.length)}`);
  out(`contribution-type accuracy ${pct(contributionOk, rows.length)}`);
  if (contributionConfusion.size > 0) {
    const top = [...contributionConfusion.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    out(
      `  most common contribution errors (gold -> predicted): ${top.map(([k, v]) => `${k} x${v}`).join('; ')}`,
    );
  }
  out(`per topic (P / R / F1, tp fp fn):`);
  for (const [slug, c] of [...perTopic.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const m = f1(c);
    out(
      `  ${slug.padEnd(30)} ${m.p.toFixed(2)} / ${m.r.toFixed(2)} / ${m.f.toFixed(2)}   ${c.tp} ${c.fp} ${c.fn}`,
    );
  }
  out();
}

function evaluateArxiv(): void {
  const model = loadDefaultModel();
  const predictor = createArxivPredictor(model.arxiv);
  const tiagoft = parseTiagoftCsv(
    readFileSync(join(DATA, 'corpus', 'tiagoft_arxiv_ml_abstracts_multilabel_1000.csv'), 'utf8'),
  );
  const gechhai = parseGechhaiCsv(
    readFileSync(join(DATA, 'corpus', 'gechhai_arxiv_metadata_snapshot_first2000.csv'), 'utf8'),
  );
  const report = (name: string, papers: CorpusPaper[]): void => {
    const test = papers.filter((p) => p.title && p.abstract && p.categories.length > 0 && isHeldOut(p.title));
    const train = papers.filter(
      (p) => p.title && p.abstract && p.categories.length > 0 && !isHeldOut(p.title),
    );
    const freq = new Map<string, number>();
    for (const p of train) freq.set(p.categories[0], (freq.get(p.categories[0]) ?? 0) + 1);
    const majority = [...freq.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    let primary = 0;
    let any = 0;
    let archive = 0;
    let base = 0;
    for (const p of test) {
      const pred = predictor.predict(buildDocument(p).terms)?.category ?? '';
      if (pred === p.categories[0]) primary++;
      if (p.categories.includes(pred)) any++;
      if (pred.split('.')[0] === p.categories[0].split('.')[0]) archive++;
      if (majority === p.categories[0]) base++;
    }
    out(`${name}: held-out ${test.length} papers`);
    out(
      `  top-1 = primary category ${pct(primary, test.length)}; top-1 among the paper's categories ${pct(any, test.length)}`,
    );
    out(
      `  same archive (e.g. cs, math, astro-ph) ${pct(archive, test.length)}; majority-class baseline (${majority}) ${pct(base, test.length)}`,
    );
  };
  out(
    `== arXiv category (naive Bayes, ${model.arxiv.classes.length} classes; split by isHeldOut(title), 20%)`,
  );
  report('tiagoft ML abstracts (multi-label, cs.CV/cs.LG/stat.ML...)', tiagoft);
  report('gechhai arXiv metadata 0704.* (all archives)', gechhai);
  report('both', [...tiagoft, ...gechhai]);
  out();
}

function main(): void {
  const classifier = createClassifier(loadDefaultTaxonomy());
  out(`classifier ${classifier.version}, threshold ${classifier.threshold}`);
  out();
  const classify = (r: Labelled): Classification =>
    classifier.classify({ title: r.title, abstract: r.abstract, categories: [] });
  evaluateSet(
    'dev (used to fit the calibration)',
    readJsonl<Labelled>(join(DATA, 'labels', 'dev.jsonl')),
    classify,
    verbose || verboseDev,
  );
  evaluateSet(
    'heldout (never used for tuning)',
    readJsonl<Labelled>(join(DATA, 'labels', 'heldout.jsonl')),
    classify,
    verbose,
  );
  // Second held-out set (LLM-topic-rich, labelled before the clf-2 changes; never used for tuning).
  const heldout2 = join(DATA, 'labels', 'heldout-2.jsonl');
  if (existsSync(heldout2))
    evaluateSet('heldout-2 (never used for tuning)', readJsonl<Labelled>(heldout2), classify, verbose);
  evaluateArxiv();
}

main();
