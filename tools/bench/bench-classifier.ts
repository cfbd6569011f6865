// Throughput of the topic classifier (libs/classification): classify() over the shipped corpus of public arXiv
// abstracts (3,000) on one core, several runs, median printed. Includes topic scores, contribution type and
// the arXiv-category prediction (categories are withheld so the naive Bayes runs too). On a shared machine the
// wall-clock rate drops whenever another process takes the core; the rate per CPU second (process CPU time,
// so it includes V8's GC helper threads) is the steadier figure to compare.
// Usage: node tools/run.js tools/bench/bench-classifier [--runs N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createClassifier,
  createExampleRanker,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  parseGechhaiCsv,
  parseTiagoftCsv,
} from '@paperwire/classification';

const ROOT = findRepoRoot(__dirname);
const CORPUS = join(ROOT, 'data', 'classification', 'corpus');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const papers = [
    ...parseTiagoftCsv(readFileSync(join(CORPUS, 'tiagoft_arxiv_ml_abstracts_multilabel_1000.csv'), 'utf8')),
    ...parseGechhaiCsv(readFileSync(join(CORPUS, 'gechhai_arxiv_metadata_snapshot_first2000.csv'), 'utf8')),
  ].map((p) => ({ title: p.title, abstract: p.abstract, categories: [] as string[] }));
  const model = loadDefaultModel();
  const t0 = process.hrtime.bigint();
  const classifier = createClassifier(loadDefaultTaxonomy(), model);
  const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const words = papers.reduce((s, p) => s + p.abstract.split(/\s+/).length, 0) / papers.length;

  const rates: number[] = [];
  const cpuRates: number[] = [];
  let sink = 0;
  for (let r = 0; r < RUNS + 1; r++) {
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (const p of papers) sink += classifier.classify(p).topics.length;
    const cpu = process.cpuUsage(cpu0);
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    if (r > 0) {
      // the first run warms up the JIT
      rates.push(papers.length / secs);
      cpuRates.push(papers.length / ((cpu.user + cpu.system) / 1e6));
    }
  }
  const ranker = createExampleRanker(papers.slice(0, 5), model);
  const rankRates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    for (const p of papers) sink += ranker.score(p);
    rankRates.push(papers.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  const out = (s: string): void => void process.stdout.write(s + '\n');
  out(
    `classifier ${classifier.version}: ${papers.length} abstracts (mean ${words.toFixed(0)} words), ${RUNS} runs, one core`,
  );
  out(`setup (compile 20 topics) ${setupMs.toFixed(1)} ms`);
  out(
    `classify: median ${median(rates).toFixed(0)} abstracts/s (min ${Math.min(...rates).toFixed(0)}, max ${Math.max(...rates).toFixed(0)})`,
  );
  out(`classify per CPU second: median ${median(cpuRates).toFixed(0)} abstracts/s`);
  out(`example ranker (5 examples): median ${median(rankRates).toFixed(0)} abstracts/s`);
  if (sink < 0) out('unreachable');
}

main();
