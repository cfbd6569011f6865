// Throughput of the metric extractor on the committed labelled abstracts: prints the median round's rate, the rate
// over all rounds (wall clock and process CPU time, V8's GC and compiler threads included) and the median / p99 time
// per abstract. A round (~150 abstracts, ~25 ms) is shorter than a major GC, so the median round leaves GC out; the
// rate over all rounds is the figure to hold to the floor (run with --single-threaded for one core's worth).
// Usage: node tools/run.js tools/bench/bench-metrics [rounds]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXTRACTOR_VERSION, extractClaims } from '@paperwire/metrics';

const ROOT = resolve(__dirname, '..', '..', '..');
const texts = ['dev.jsonl', 'heldout.jsonl', 'heldout-2.jsonl'].flatMap((f) =>
  readFileSync(join(ROOT, 'data', 'metrics', 'labels', f), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text),
);
const rounds = Number(process.argv[2] ?? 30);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 3; i++) for (const t of texts) extractClaims(t); // warm-up
const rates: number[] = [];
let cpuSeconds = 0;
let wallSeconds = 0;
const perAbstract: number[] = [];
let slowest = { ms: 0, index: 0 };
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  texts.forEach((t, index) => {
    const a = process.hrtime.bigint();
    extractClaims(t);
    const ms = Number(process.hrtime.bigint() - a) / 1e6;
    perAbstract.push(ms);
    if (ms > slowest.ms) slowest = { ms, index };
  });
  const cpu = process.cpuUsage(cpu0);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(texts.length / secs);
  wallSeconds += secs;
  cpuSeconds += (cpu.user + cpu.system) / 1e6;
}
perAbstract.sort((a, b) => a - b);
const chars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
console.log(
  `metric extractor ${EXTRACTOR_VERSION}: ${texts.length} abstracts (mean ${chars.toFixed(0)} chars), ${rounds} rounds, one core`,
);
console.log(`median throughput: ${median(rates).toFixed(0)} abstracts/s (wall clock, median round)`);
console.log(`overall: ${((texts.length * rounds) / wallSeconds).toFixed(0)} abstracts/s (wall clock, all rounds: the rounds a major GC lands in count too)`);
// A round is ~25 ms, shorter than the GC helper threads' slices: the CPU rate is taken over all rounds at once.
console.log(`per CPU second: ${((texts.length * rounds) / cpuSeconds).toFixed(0)} abstracts/s over all rounds (process CPU time, V8's GC threads included)`);
console.log(
  `median per abstract: ${median(perAbstract).toFixed(3)} ms, p99: ${perAbstract[Math.floor(perAbstract.length * 0.99)].toFixed(3)} ms, max: ${perAbstract[perAbstract.length - 1].toFixed(3)} ms`,
);

// Is the worst single timing a slow path or a GC/JIT pause? Re-run that abstract alone: a real slow path is
// slow every time, a pause is not.
const alone: number[] = [];
for (let k = 0; k < 1000; k++) {
  const a = process.hrtime.bigint();
  extractClaims(texts[slowest.index]);
  alone.push(Number(process.hrtime.bigint() - a) / 1e6);
}
alone.sort((a, b) => a - b);
console.log(
  `slowest abstract (#${slowest.index}, ${texts[slowest.index].length} chars, ${slowest.ms.toFixed(3)} ms once) alone x1000: ` +
    `median ${median(alone).toFixed(3)} ms, p99 ${alone[Math.floor(alone.length * 0.99)].toFixed(3)} ms, max ${alone[alone.length - 1].toFixed(3)} ms`,
);
