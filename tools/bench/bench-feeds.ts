// Micro-benchmark of the parser's hot path (libs/feeds): parseDocument + paperKey + contentHash over the bench
// corpus's 1,000-record arXivRaw OAI-PMH pages (~2 MB each, given as Buffers like the parser service gets them).
// Prints CPU ms per paper (median of the runs, after a warm-up run) and, in a fresh child process, the heap and
// RSS growth of parsing one page and of holding two parsed pages at once (the parser's job concurrency is 2).
// `--stream` measures the parser service's path for large documents instead: planStream + DocumentStream over
// 256 KB slices in chunks of 200 records (2 × BATCH_SIZE), then paperKey + contentHash per paper.
// Usage: node tools/run.js tools/bench/bench-feeds [--pages N] [--runs N] [--stream]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DocumentStream, contentHash, paperKey, parseDocument, planStream } from '@paperwire/feeds';
import type { ParseResult } from '@paperwire/contracts';
import { loadBaseTexts, oaiPage, type CorpusOptions } from './corpus';

const CONTENT_TYPE = 'text/xml; charset=utf-8';
const MB = 1024 * 1024;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no nx.json above ${from}`);
    dir = up;
  }
  return dir;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** What the parser service does per document before its DB writes: parse, then key and hash every paper. */
function parseAndHash(body: Buffer): { result: ParseResult; hashes: string[] } {
  const result = parseDocument({ body, contentType: CONTENT_TYPE });
  const hashes = result.papers.map((p) => `${paperKey(p)} ${contentHash(p.title, p.abstract)}`);
  return { result, hashes };
}

/** The parser service's path for a document over 1 MB (parseStreamed): 256 KB slices, chunks of 200 records. */
async function streamAndHash(body: Buffer): Promise<number> {
  const plan = planStream(body.subarray(0, 64 * 1024), { contentType: CONTENT_TYPE });
  if (!plan) throw new Error('the bench page cannot be streamed');
  const stream = new DocumentStream(plan, 200);
  async function* slices(): AsyncGenerator<Buffer> {
    for (let at = 0; at < body.length; at += 256 * 1024) yield body.subarray(at, at + 256 * 1024);
  }
  let papers = 0;
  const hashes: string[] = [];
  for await (const batch of stream.batches(slices())) {
    for (const p of batch.papers) hashes.push(`${paperKey(p)} ${contentHash(p.title, p.abstract)}`);
    papers += batch.papers.length;
  }
  return papers;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function speed(pages: Buffer[], runs: number, stream: boolean): Promise<void> {
  const perPaper: number[] = [];
  const wallPerPaper: number[] = [];
  let papers = 0;
  for (let r = 0; r <= runs; r++) {
    papers = 0;
    const c0 = cpuMs();
    const t0 = process.hrtime.bigint();
    for (const page of pages) papers += stream ? await streamAndHash(page) : parseAndHash(page).result.papers.length;
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = cpuMs() - c0;
    if (r === 0) continue; // the first run warms up the JIT
    perPaper.push(cpu / papers);
    wallPerPaper.push(wall / papers);
  }
  const fmt = (xs: number[]) =>
    `median ${median(xs).toFixed(4)} ms (min ${Math.min(...xs).toFixed(4)}, max ${Math.max(...xs).toFixed(4)})`;
  const out = (s: string): void => void process.stdout.write(s + '\n');
  out(
    `${pages.length} pages x ${papers / pages.length} papers (${(pages[0].length / MB).toFixed(2)} MB each), ${runs} runs` +
      (stream ? ', streamed (DocumentStream, 256 KB slices, 200-record chunks)' : ''),
  );
  out(`cpu per paper:  ${fmt(perPaper)}`);
  out(`wall per paper: ${fmt(wallPerPaper)}`);
}

/** Runs in a fresh process (`--expose-gc`) so that the peak RSS it reports belongs to the parse alone. */
function memoryChild(file: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory child needs --expose-gc');
  const pages = [readFileSync(file), readFileSync(file)];
  gc();
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const held = [parseAndHash(pages[0])];
  const maxRssOne = process.resourceUsage().maxRSS * 1024;
  gc();
  const afterOne = process.memoryUsage();
  held.push(parseAndHash(pages[1]));
  gc();
  const afterTwo = process.memoryUsage();
  const maxRssTwo = process.resourceUsage().maxRSS * 1024;
  const peakBase = Math.max(before.rss, maxRssBefore);
  const out = (s: string): void => void process.stdout.write(s + '\n');
  out(`memory (fresh process, baseline rss ${(before.rss / MB).toFixed(1)} MB, heap ${(before.heapUsed / MB).toFixed(1)} MB):`);
  out(`  parse 1 page:  peak rss +${((maxRssOne - peakBase) / MB).toFixed(1)} MB, retained heap +${((afterOne.heapUsed - before.heapUsed) / MB).toFixed(1)} MB`);
  out(`  hold 2 pages:  peak rss +${((maxRssTwo - peakBase) / MB).toFixed(1)} MB, retained heap +${((afterTwo.heapUsed - before.heapUsed) / MB).toFixed(1)} MB, rss now +${((afterTwo.rss - before.rss) / MB).toFixed(1)} MB`);
  if (held.length !== 2) out('unreachable');
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--memory-child');
  if (child > 0) return memoryChild(process.argv[child + 1]);
  const pageCount = arg('pages', 3);
  const runs = arg('runs', 5);
  const corpus: CorpusOptions = { records: pageCount * 1000, duplicateRate: 0.05, versionRate: 0.05 };
  const root = repoRoot(__dirname);
  const base = loadBaseTexts(root);
  const pages = Array.from({ length: pageCount }, (_, p) => Buffer.from(oaiPage(p, 1000, base, corpus), 'utf8'));
  const stream = process.argv.includes('--stream');
  await speed(pages, runs, stream);
  if (stream) return;
  const dir = mkdtempSync(join(tmpdir(), 'bench-feeds-'));
  try {
    const file = join(dir, 'page.xml');
    writeFileSync(file, pages[0]);
    const run = join(root, 'tools', 'run.js');
    const text = execFileSync(process.execPath, ['--expose-gc', run, 'tools/bench/bench-feeds', '--memory-child', file], {
      encoding: 'utf8',
    });
    process.stdout.write(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
