// Throughput of the metric extractor (extractClaims) as a long-running worker sees it. Three phases, one process:
//   warm-up      passes over the 149 committed labelled abstracts (data/metrics/labels) for --warmup seconds (default
//                2): its own rate, and the first (cold) pass's, show what a freshly started worker pays for JIT
//                tier-up and its first GCs. Not counted in the steady state.
//   steady state rounds of the same 149 abstracts for --seconds seconds (default 5), or for the number of rounds given
//                as the first argument: the median round's rate (wall clock; a round is ~25 ms, so it leaves out the
//                rounds a GC or a compile lands in), the rate over all rounds (wall clock) and per CPU second over all
//                rounds (process CPU time: V8's GC and compiler threads included). The last is the figure held to the
//                5,000/s floor of issue #18; run with `node --single-threaded` for one core's worth.
//   novel text   each distinct abstract of the classification label files (data/classification/labels, as
//                metrics-parity reads them) once: the 149 labelled texts are a small set seen over and over, these are
//                text the extractor has not read. Two halves, each for at most --novel seconds (default 2; 0 skips
//                them): the first half is the JIT's first contact with varied text (new code paths deoptimise and
//                are recompiled, on the main thread with --single-threaded); the second half, text still never read
//                but after thousands of others, is what a long-running worker sees on new papers.
// Last, the slowest single abstract of the steady state is re-run alone 1,000 times: a real slow path is slow every
// time, a GC or JIT pause is not.
// It runs with the V8 flags the metric-extractor service sets on itself (METRIC_EXTRACTOR_V8_FLAGS); `--v8-defaults`
// leaves V8's defaults.
// Usage: node tools/run.js tools/bench/bench-metrics [rounds] [--warmup S] [--seconds S] [--novel S] [--v8-defaults]
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { METRIC_EXTRACTOR_V8_FLAGS } from '@paperwire/config';
import { EXTRACTOR_VERSION, extractClaims } from '@paperwire/metrics';
import { readJsonlFile, textSets } from './label-texts';
import { argOf } from './parity-dump';

const ROOT = resolve(__dirname, '..', '..', '..');
const texts = ['dev.jsonl', 'heldout.jsonl', 'heldout-2.jsonl'].flatMap((f) =>
  readJsonlFile(join(ROOT, 'data', 'metrics', 'labels', f)).map((r) => r.text as string),
);
const roundsArg = process.argv[2] !== undefined && /^\d+$/.test(process.argv[2]) ? Number(process.argv[2]) : null;
const warmupSeconds = Number(argOf('warmup') ?? 2);
const steadySeconds = Number(argOf('seconds') ?? 5);
const novelSeconds = Number(argOf('novel') ?? 2);
const v8Flags = process.argv.includes('--v8-defaults') ? [] : METRIC_EXTRACTOR_V8_FLAGS;
for (const flag of v8Flags) setFlagsFromString(flag);

// (read before the warm-up: parsing the label files allocates tens of MB, whose GCs must not land in a timed phase)
const labelled = new Set(texts);
const novel =
  novelSeconds > 0
    ? [
        ...new Set(
          textSets(join(ROOT, 'data', 'classification', 'labels'), 'abstract').flatMap(([, t]) => t),
        ),
      ].filter((t) => !labelled.has(t))
    : [];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const now = (): bigint => process.hrtime.bigint();
const secondsSince = (t: bigint): number => Number(now() - t) / 1e9;
const cpuSecondsSince = (c: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
};
const meanChars = (xs: string[]): string => fmt(xs.reduce((n, t) => n + t.length, 0) / xs.length);

console.log(
  `metric extractor ${EXTRACTOR_VERSION}: ${texts.length} labelled abstracts (mean ${meanChars(texts)} chars), one thread ` +
    `of work; warm-up ${warmupSeconds} s, then ${roundsArg !== null ? `${roundsArg} rounds` : `${steadySeconds} s`} measured; ` +
    `V8 flags: ${v8Flags.length ? `the service's, ${v8Flags.join(' ')}` : "V8's defaults"}`,
);

// ---- warm-up
{
  const t0 = now();
  const cpu0 = process.cpuUsage();
  let passes = 0;
  let firstPass = 0;
  do {
    for (const t of texts) extractClaims(t);
    if (passes++ === 0) firstPass = secondsSince(t0);
  } while (secondsSince(t0) < warmupSeconds);
  const wall = secondsSince(t0);
  const cpu = cpuSecondsSince(cpu0);
  console.log(
    `warm-up: ${passes} passes in ${wall.toFixed(2)} s: ${fmt((passes * texts.length) / wall)} abstracts/s wall clock, ` +
      `${fmt((passes * texts.length) / cpu)} per CPU second; first (cold) pass ${fmt(texts.length / firstPass)}/s ` +
      `(what a freshly started worker pays for JIT tier-up and early GCs)`,
  );
}

// ---- steady state
const rates: number[] = [];
const perAbstract: number[] = [];
let slowest = { ms: 0, index: 0 };
let rounds = 0;
const steady0 = now();
const steadyCpu0 = process.cpuUsage();
while (roundsArg !== null ? rounds < roundsArg : secondsSince(steady0) < steadySeconds) {
  const t0 = now();
  texts.forEach((t, index) => {
    const a = now();
    extractClaims(t);
    const ms = Number(now() - a) / 1e6;
    perAbstract.push(ms);
    if (ms > slowest.ms) slowest = { ms, index };
  });
  rates.push(texts.length / secondsSince(t0));
  rounds++;
}
const steadyWall = secondsSince(steady0);
const steadyCpu = cpuSecondsSince(steadyCpu0);
perAbstract.sort((a, b) => a - b);
console.log(`steady state: ${rounds} rounds in ${steadyWall.toFixed(2)} s`);
console.log(`  median round: ${fmt(median(rates))} abstracts/s (wall clock; leaves out the rounds a GC or a compile lands in)`);
console.log(`  all rounds: ${fmt((texts.length * rounds) / steadyWall)} abstracts/s (wall clock)`);
console.log(
  `  per CPU second: ${fmt((texts.length * rounds) / steadyCpu)} abstracts/s over all rounds (process CPU time, V8's GC ` +
    `and compiler threads included: the figure held to the 5,000/s floor)`,
);
console.log(
  `  per abstract: median ${median(perAbstract).toFixed(3)} ms, p99 ${perAbstract[Math.floor(perAbstract.length * 0.99)].toFixed(3)} ms, ` +
    `max ${perAbstract[perAbstract.length - 1].toFixed(3)} ms`,
);

// ---- novel text, in two halves
if (novelSeconds > 0) {
  const half = Math.floor(novel.length / 2);
  for (const [label, from, to] of [
    ['novel text, first contact', 0, half],
    ['novel text, settled (never read, after the first half)', half, novel.length],
  ] as const) {
    const t0 = now();
    const cpu0 = process.cpuUsage();
    let n = from;
    // (the clock is read every 32 abstracts: the phase ends within a few ms of its budget)
    while (n < to && ((n & 31) !== 0 || secondsSince(t0) < novelSeconds)) extractClaims(novel[n++]);
    const wall = secondsSince(t0);
    const cpu = cpuSecondsSince(cpu0);
    console.log(
      `${label}: ${fmt(n - from)} of ${fmt(to - from)} distinct classification-label abstracts (mean ` +
        `${meanChars(novel.slice(from, n))} chars), once each in ${wall.toFixed(2)} s: ${fmt((n - from) / wall)} abstracts/s wall ` +
        `clock, ${fmt((n - from) / cpu)} per CPU second`,
    );
  }
}

// ---- the slowest abstract alone
const alone: number[] = [];
for (let k = 0; k < 1000; k++) {
  const a = now();
  extractClaims(texts[slowest.index]);
  alone.push(Number(now() - a) / 1e6);
}
alone.sort((a, b) => a - b);
console.log(
  `slowest abstract (#${slowest.index}, ${texts[slowest.index].length} chars, ${slowest.ms.toFixed(3)} ms once) alone x1000: ` +
    `median ${median(alone).toFixed(3)} ms, p99 ${alone[Math.floor(alone.length * 0.99)].toFixed(3)} ms, max ${alone[alone.length - 1].toFixed(3)} ms`,
);
