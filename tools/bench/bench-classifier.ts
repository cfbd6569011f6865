// Throughput of the topic classifier (libs/classification) on one core, several runs, medians printed, over
// three corpora:
//   novel     ~10,000 distinct real abstracts (the labelled sets and the shipped ones), each classified once, in
//             RUNS disjoint slices after a warm-up slice: what the service sees (every abstract new). The figure to
//             quote; the two below repeat their papers and measure warm caches.
//   pipeline  the papers the classify stage of `npm run bench` receives: the bench corpus (tools/bench/corpus)
//             without its duplicates (they pass the stage unclassified), with their source categories, through
//             classify() — the entry point services/classifier calls per paper. Its CPU ms per paper is the
//             figure to compare with the classifier's share of the pipeline profile.
//   shipped   the public arXiv abstracts shipped with the project (3,000), categories withheld so the naive
//             Bayes category prediction runs too.
// It runs with the V8 flags the services run with (SERVICE_NODE_FLAGS: the small young generation makes the
// classifier's garbage cost what it costs in the pipeline), re-starting itself with them when they are missing.
// On a shared machine the wall-clock rate drops whenever another process takes the core; the rate per CPU
// second (process CPU time, so it includes V8's GC helper threads) is the steadier figure to compare.
// Usage: node tools/run.js tools/bench/bench-classifier [--runs N] [--records N (pipeline corpus, 5000)]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  type ClassifyInput,
  createClassifier,
  createExampleRanker,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadShippedCorpora,
} from '@paperwire/classification';
import { SERVICE_NODE_FLAGS } from '@paperwire/config';
import { readLabelSet } from '../train/linear-trainer';
import { classifyStagePapers, loadBaseTexts } from './corpus';

const ROOT = findRepoRoot(__dirname);
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 7);
const RECORDS = arg('records', 5000);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** What the classify stage gets in `npm run bench`. */
const pipelinePapers = (): ClassifyInput[] => classifyStagePapers(loadBaseTexts(ROOT), RECORDS);

function shippedPapers(): ClassifyInput[] {
  const { tiagoft, gechhai } = loadShippedCorpora(ROOT);
  return [...tiagoft, ...gechhai].map((p) => ({ title: p.title, abstract: p.abstract, categories: [] as string[] }));
}

interface Rates {
  wall: number[];
  cpu: number[];
}

/** RUNS timed passes after one warm-up pass (the JIT); rates in papers per second. */
/** RUNS + 1 rounds (the first a warm-up) over the papers `round(r)` gives; rates per round. */
function measure(round: (r: number) => readonly ClassifyInput[], classify: (p: ClassifyInput) => number): Rates {
  const rates: Rates = { wall: [], cpu: [] };
  let sink = 0;
  for (let r = 0; r < RUNS + 1; r++) {
    const papers = round(r);
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (const p of papers) sink += classify(p);
    const cpu = process.cpuUsage(cpu0);
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    if (r === 0) continue;
    rates.wall.push(papers.length / secs);
    rates.cpu.push(papers.length / ((cpu.user + cpu.system) / 1e6));
  }
  if (sink < 0) throw new Error('unreachable');
  return rates;
}

/**
 * Real abstracts, each distinct: the labelled corpus (training, random stream, dev and held-out sets) and the
 * shipped public abstracts, deduplicated by text. The two corpora above are classified RUNS times over and
 * `pipeline` recombines a few hundred base texts, so both measure warm word caches; the service sees every
 * abstract once.
 */
function novelPapers(): ClassifyInput[] {
  const dir = join(ROOT, 'data', 'classification', 'labels');
  const files = ['train.jsonl.gz', ...['random', 'dev', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'heldout-5'].map((f) => `${f}.jsonl`)];
  const seen = new Set<string>();
  const out: ClassifyInput[] = [];
  for (const p of [...files.flatMap((f) => readLabelSet(dir, f)), ...shippedPapers()]) {
    const key = (p.abstract ?? '').slice(0, 200);
    if (!p.abstract || seen.has(key)) continue;
    seen.add(key);
    out.push({ title: p.title ?? '', abstract: p.abstract, categories: [] });
  }
  return out;
}


function main(): void {
  if (!SERVICE_NODE_FLAGS.every((f) => process.execArgv.includes(f))) {
    const args = [...SERVICE_NODE_FLAGS, ...process.execArgv, join(ROOT, 'tools', 'run.js'), 'tools/bench/bench-classifier'];
    const child = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exitCode = child.status ?? 1;
    return;
  }
  const out = (s: string): void => void process.stdout.write(s + '\n');
  const model = loadDefaultModel();
  const t0 = process.hrtime.bigint();
  const classifier = createClassifier(loadDefaultTaxonomy(), model);
  const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
  out(`classifier ${classifier.version}: ${RUNS} runs, one core, node ${process.execArgv.join(' ')}`);
  out(`setup (compile 20 topics) ${setupMs.toFixed(1)} ms`);

  const novel = novelPapers();
  // each paper classified once: a warm-up slice, then RUNS disjoint slices of papers never seen before
  const perRun = Math.floor(novel.length / (RUNS + 1));
  const once = measure((r) => novel.slice(r * perRun, (r + 1) * perRun), (p) => classifier.classify(p).topics.length);
  const novelWords = novel.reduce((s, p) => s + p.abstract.split(/\s+/).length, 0) / novel.length;
  out(`novel: ${novel.length} distinct real abstracts (mean ${novelWords.toFixed(0)} words), each classified once, ${perRun} per run`);
  out(
    `  classify: median ${median(once.wall).toFixed(0)} papers/s (min ${Math.min(...once.wall).toFixed(0)}, max ${Math.max(...once.wall).toFixed(0)})`,
  );
  out(`  per CPU second: median ${median(once.cpu).toFixed(0)} papers/s = ${(1000 / median(once.cpu)).toFixed(3)} ms of CPU per paper`);

  const corpora: [string, ClassifyInput[]][] = [
    ['pipeline', pipelinePapers()],
    ['shipped', shippedPapers()],
  ];
  for (const [name, papers] of corpora) {
    const words = papers.reduce((s, p) => s + p.abstract.split(/\s+/).length, 0) / papers.length;
    const withCategories = papers.filter((p) => (p.categories ?? []).length > 0).length;
    const r = measure(() => papers, (p) => classifier.classify(p).topics.length);
    out(
      `${name}: ${papers.length} papers (mean ${words.toFixed(0)} words, ${withCategories} with source categories)`,
    );
    out(
      `  classify: median ${median(r.wall).toFixed(0)} papers/s (min ${Math.min(...r.wall).toFixed(0)}, max ${Math.max(...r.wall).toFixed(0)})`,
    );
    const cpu = median(r.cpu);
    out(`  per CPU second: median ${cpu.toFixed(0)} papers/s = ${(1000 / cpu).toFixed(3)} ms of CPU per paper`);
  }

  const shipped = corpora[1][1];
  const ranker = createExampleRanker(shipped.slice(0, 5), model);
  const rank = measure(() => shipped, (p) => ranker.score(p));
  out(`example ranker (5 examples, shipped): median ${median(rank.wall).toFixed(0)} abstracts/s`);
}

main();
