// Quality of the topic classifier (libs/classification) on every labelled set in data/classification/labels,
// for the shipped classifier (learned linear model + keyword model for topics without a learned head) and the
// old keyword-only classifier, side by side:
//   dev        dev.jsonl (222): the keyword model was fitted on it; the learned model is trained on it (in-sample)
//   heldout-2  heldout-2.jsonl (40): now a DEV set (it leaked into the keyword rules); trained on (in-sample)
//   heldout    heldout.jsonl (60): never used for tuning
//   heldout-3  heldout-3.jsonl (220): labelled before any training, never tuned on
//   heldout-4  heldout-4.jsonl (200): a random draw of recent (2026-03..06) arXiv cs.CV/cs.CL/cs.AI papers, labelled
//              with the random stream (random.jsonl) and committed with its sha256 before anything was trained on
//              that stream; never trained, calibrated or tuned on
//   heldout-5  heldout-5.jsonl (100): Hugging Face Daily Papers of June 2026 (select-daily-papers-6.py), labelled and
//              committed with its sha256 before anything was trained on Daily Papers; never tuned on
//   training CV  the learned model's 5-fold out-of-fold figures on its own training data (from the model file):
//                all rows, the random-stream estimate (keyword-selected part reweighted) and the dev rows alone
//                (dev + heldout-2 out-of-fold: the honest dev figure, as the shipped model trains on them), and
//                the random-stream rows (random.jsonl), out-of-fold for the heads and the calibration (nested)
// and of the arXiv-category model on the held-out split of the shipped public arXiv abstracts.
//   non-ML     the shipped 2007 arXiv snapshot's 350 held-out non-ML papers (nonMlSplit; never trained on): how many
//              the shipped classifier gives any topic (none of its topics can describe them)
// Fails (exit 1) when a figure of the shipped classifier on a set with floors (dev, heldout-3, heldout-4, heldout-5) is below
// the floors in data/classification/quality-floors.json, or its share of non-ML papers with a topic is above the
// ceiling there (nonMl.maxShareWithTopic).
// Usage: node tools/run.js tools/eval/eval-classifier [--verbose] [--verbose-dev] [--topics]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Classification } from '@paperwire/contracts';
import {
  type CorpusPaper,
  type QualityFloors,
  type SetFigures,
  buildDocument,
  countWithTopic,
  evaluateSet,
  floorFailures,
  nonMlFailures,
  nonMlSplit,
  loadKeywordModel,
  prf,
  createArxivPredictor,
  createClassifier,
  findRepoRoot,
  isHeldOut,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadShippedCorpora,
} from '@paperwire/classification';
import { readLabelSet, type LabelledPaper } from '../train/linear-trainer';

const ROOT = findRepoRoot(__dirname);
const DATA = join(ROOT, 'data', 'classification');
const verbose = process.argv.includes('--verbose');
// --verbose-dev prints the per-paper errors of the dev set only (what tuning may look at).
const verboseDev = process.argv.includes('--verbose-dev');

const pct = (n: number, d: number): string => `${d ? ((100 * n) / d).toFixed(1) : '0.0'}% (${n}/${d})`;
const out = (s = ''): void => void process.stdout.write(s + '\n');
const f3 = (x: number): string => x.toFixed(3);
const showTopics = process.argv.includes('--topics');

function printSet(name: string, figures: [string, SetFigures][], verboseErrors: boolean): void {
  const f0 = figures[0][1];
  out(`== ${name}: ${f0.papers} papers (${f0.withTopic} with at least one topic)`);
  out(
    `  ${'classifier'.padEnd(10)} ${'micro P / R / F1'.padEnd(24)} ${'macro F1'.padEnd(14)} ${'primary (all / with topic)'.padEnd(28)} ${'exact set'.padEnd(10)} contribution`,
  );
  for (const [label, f] of figures) {
    out(
      `  ${label.padEnd(10)} ${`${f3(f.micro.p)} / ${f3(f.micro.r)} / ${f3(f.micro.f1)}`.padEnd(24)} ${`${f3(f.macroF1)} (${f.macroTopics})`.padEnd(14)} ${`${(100 * f.primaryAccuracy).toFixed(1)}% / ${(100 * f.primaryAccuracyWithTopic).toFixed(1)}%`.padEnd(28)} ${`${(100 * f.exactSet).toFixed(1)}%`.padEnd(10)} ${(100 * f.contributionAccuracy).toFixed(1)}%`,
    );
  }
  if (showTopics) {
    const slugs = [...new Set(figures.flatMap(([, f]) => [...f.perTopic.keys()]))].sort();
    out(`  per topic F1 (tp fp fn): ${figures.map(([l]) => l).join(' | ')}`);
    for (const slug of slugs) {
      const cells = figures.map(([, f]) => {
        const c = f.perTopic.get(slug) ?? { tp: 0, fp: 0, fn: 0 };
        return `${prf(c).f1.toFixed(2)} (${c.tp} ${c.fp} ${c.fn})`.padEnd(20);
      });
      out(`    ${slug.padEnd(30)} ${cells.join(' ')}`);
    }
  }
  if (verboseErrors) {
    out(`  -- ${figures[0][0]}: papers whose topic set or primary topic differ from the labels`);
    for (const { row: r, result: res } of f0.errors) {
      out(`  ${r.id} ${r.title.slice(0, 70)}`);
      out(`    gold [${r.topics.join(', ')}] primary=${r.primary}`);
      out(`    pred ${res.topics.map((t) => `${t.slug}:${t.score}`).join(', ')} primary=${res.primaryTopic}`);
    }
  }
  out();
}

function evaluateArxiv(tiagoft: CorpusPaper[], gechhai: CorpusPaper[]): void {
  const model = loadDefaultModel();
  const predictor = createArxivPredictor(model.arxiv);
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

interface CvFigures {
  topicsMicro: { p: number; r: number; f1: number };
  macroF1?: number;
  primaryAccuracy: number;
  contributionAccuracy: number;
}

const cvLine = (name: string, c: CvFigures): string =>
  `  ${name}\n           micro P/R/F1 ${f3(c.topicsMicro.p)} / ${f3(c.topicsMicro.r)} / ${f3(c.topicsMicro.f1)}` +
  `${c.macroF1 !== undefined ? `  macro-F1 ${f3(c.macroF1)}` : ''}  primary ${(100 * c.primaryAccuracy).toFixed(1)}%  contribution ${(100 * c.contributionAccuracy).toFixed(1)}%`;

function main(): void {
  const taxonomy = loadDefaultTaxonomy();
  const shipped = createClassifier(taxonomy, loadDefaultModel());
  const keyword = createClassifier(taxonomy, loadKeywordModel());
  out(`shipped classifier ${shipped.version}, threshold ${shipped.threshold}`);
  out(`old (keyword-only) ${keyword.version}`);
  out();
  const run =
    (c: typeof shipped) =>
    (r: LabelledPaper): Classification =>
      c.classify({ title: r.title, abstract: r.abstract, categories: [] });
  const sets: [string, string, string, boolean][] = [
    [
      'dev',
      'dev.jsonl',
      'dev (222; keyword model fitted on it, learned model trained on it: in-sample)',
      verbose || verboseDev,
    ],
    [
      'heldout-2',
      'heldout-2.jsonl',
      'heldout-2, now a DEV set (40; leaked into the keyword rules; learned model trained on it)',
      verbose || verboseDev,
    ],
    ['heldout', 'heldout.jsonl', 'heldout (60; never used for tuning)', verbose],
    [
      'heldout-3',
      'heldout-3.jsonl',
      'heldout-3 (220; labelled before any training, never tuned on)',
      verbose,
    ],
    [
      'heldout-4',
      'heldout-4.jsonl',
      'heldout-4 (200; random recent arXiv, committed before training on the random stream, never tuned on)',
      verbose,
    ],
    [
      'heldout-5',
      'heldout-5.jsonl',
      'heldout-5 (100; Hugging Face Daily Papers of June 2026, committed before training on Daily Papers, never tuned on)',
      verbose,
    ],
  ];
  const results = new Map<string, SetFigures>();
  for (const [key, file, title, v] of sets) {
    const path = join(DATA, 'labels', file);
    if (!existsSync(path)) continue;
    const rows = readLabelSet(join(DATA, 'labels'), file);
    const learned = evaluateSet(rows, run(shipped));
    results.set(key, learned);
    printSet(
      title,
      [
        ['shipped', learned],
        ['old', evaluateSet(rows, run(keyword))],
      ],
      v,
    );
  }
  const cv = loadDefaultModel().linear?.training as
    { rows?: number; cv?: Record<string, unknown> } | undefined;
  if (cv?.cv) {
    const c = cv.cv as unknown as CvFigures & {
      keywordTopicsMicro: { p: number; r: number; f1: number };
      keywordPrimaryAccuracy: number;
      cueContributionAccuracy: number;
      randomStream?: CvFigures;
      devRows?: CvFigures & { papers: number };
      randomRows?: CvFigures & { papers: number };
    };
    out(
      `== training CV: learned model, 5-fold out-of-fold on its ${cv.rows} training papers (keyword model: in-sample on the dev part)`,
    );
    out(cvLine('learned', c));
    // only meaningful when the model was trained with the importance weights (otherwise every weight is 1)
    if (c.randomStream && (cv as { reweight?: unknown }).reweight)
      out(cvLine('learned, random-stream estimate (train-b reweighted)', c.randomStream));
    if (c.devRows) out(cvLine(`learned, dev rows only (dev + heldout-2, ${c.devRows.papers})`, c.devRows));
    if (c.randomRows)
      out(
        cvLine(
          `learned, random-stream rows only (random.jsonl, ${c.randomRows.papers}; calibration out-of-fold too)`,
          c.randomRows,
        ),
      );
    out(
      `  old      micro P/R/F1 ${f3(c.keywordTopicsMicro.p)} / ${f3(c.keywordTopicsMicro.r)} / ${f3(c.keywordTopicsMicro.f1)}  primary ${(100 * c.keywordPrimaryAccuracy).toFixed(1)}%  contribution ${(100 * c.cueContributionAccuracy).toFixed(1)}%`,
    );
    out();
  }
  const { tiagoft, gechhai } = loadShippedCorpora(ROOT);
  evaluateArxiv(tiagoft, gechhai);

  const nonMl = countWithTopic(nonMlSplit(gechhai).heldOut, (p) =>
    shipped.classify({ title: p.title, abstract: p.abstract, categories: [] }),
  );
  out(`non-ML papers given any topic: ${pct(nonMl.withTopic, nonMl.papers)}`);
  out(`  (held-out non-ML papers of the 2007 arXiv snapshot: physics, mathematics; never trained on)`);
  out();

  const floors = JSON.parse(readFileSync(join(DATA, 'quality-floors.json'), 'utf8')) as QualityFloors;
  const failures = [
    ...[...results.entries()].flatMap(([set, f]) => floorFailures(set, f, floors)),
    ...nonMlFailures(nonMl, floors),
  ];
  if (failures.length > 0) {
    out(`QUALITY GATE FAILED (data/classification/quality-floors.json):`);
    for (const f of failures) out(`  ${f}`);
    process.exitCode = 1;
  } else {
    out(
      `quality gate passed (floors for ${Object.keys(floors.sets).join(', ')}, non-ML ceiling ${(100 * floors.nonMl.maxShareWithTopic).toFixed(1)}% in data/classification/quality-floors.json)`,
    );
  }
}

main();
