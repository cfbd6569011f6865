import { extractClaims } from './index';

// Hostile inputs must take bounded time: every pattern is anchored to a bounded window or a literal
// alternation. Measured in CPU time of this process (ms), not wall time, so other work on a loaded CI
// machine does not count; a super-linear pattern still blows far past the bound.
let lastCount = 0; // claims found by the last timed call
const timed = (text: string): number => {
  const t0 = process.cpuUsage();
  lastCount = extractClaims(text).length;
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
};

// Bounded time means linear growth: each input is timed at half and at full size, and the full size may take at
// most three times the half (linear is ~2x, a quadratic pattern ~4x, a catastrophic one far more).
// The cap on the full size is relative, not absolute: it is a multiple of the time this same process takes on
// realistic abstract text of the same length (a measured rate times the length, below). An absolute cap (6 s) failed CI on a machine ~4.5x
// slower than the one it was set on (8.7 s of CPU for a linear case that takes 0.9 s here); a relative cap moves
// with the machine. Dense hostile input costs more per character than prose because nearly every token is a value:
// the densest case here (percent soup) measured ~7.6x prose, so 25x leaves room for noise and still fails a pattern
// that is linear but two orders of magnitude too slow.
// Sizes: each dense case is sized so its full input takes ~0.4–0.8 s of CPU here (still well above the 250 ms noise
// floor, where a quadratic pattern would take seconds); session 17 halved the fifteen densest, which had grown to
// 1–3 s each as the rules grew and made this file ~70% of the unit step.
const SENTENCE =
  'Our method improves accuracy by 4.2% over LoRA on GSM8K and MMLU, uses 16% lower GPU memory and runs 3x faster on 26 tasks. ';
const prose = (length: number): string => SENTENCE.repeat(Math.ceil(length / SENTENCE.length)).slice(0, length);
const RELATIVE_CAP = 25;
// Realistic text is linear (the 1 MB case below asserts it), so its cost is a rate: CPU ms per character, timed once
// for the file on 200k characters (the faster of two samples) instead of on a prose copy of every hostile input,
// which was a third of this file's time. A case over the cap re-times the rate at its own length before failing.
const PROSE_SAMPLE = 200_000;
let proseRate = 0;
const timeProseRate = (length: number): number => timed(prose(length)) / length;
beforeAll(() => {
  extractClaims(prose(PROSE_SAMPLE >> 4)); // compile the patterns first
  proseRate = Math.min(timeProseRate(PROSE_SAMPLE), timeProseRate(PROSE_SAMPLE));
});
const expectLinear = (make: (n: number) => string, n: number): void => {
  extractClaims(make(Math.max(1, n >> 4))); // warm-up: compile the patterns this input reaches on a small copy first
  const length = make(n).length;
  let half = timed(make(n >> 1));
  let full = timed(make(n));
  let reference = proseRate * length;
  // One slow sample on a loaded machine (a GC or another jest worker on the same core) is not growth: over a
  // bound, every size is timed once more and the faster time of each counts (a quadratic case stays ~4x).
  if (full >= Math.max(250, 3 * half) || full >= Math.max(250, RELATIVE_CAP * reference)) {
    half = Math.min(half, timed(make(n >> 1)));
    full = Math.min(full, timed(make(n)));
    reference = Math.max(reference, timed(prose(length))); // the rate, re-measured at this length
  }
  // below ~250 ms both comparisons are timer noise
  expect(full).toBeLessThan(Math.max(250, RELATIVE_CAP * reference));
  expect(full).toBeLessThan(Math.max(250, 3 * half));
};

describe('extractClaims on hostile input', () => {
  it.each([
    ['a long digit run', (n: number) => '1'.repeat(n), 200_000],
    ['repeated dotted separators', (n: number) => '1.'.repeat(n), 100_000],
    ['repeated commas', (n: number) => '1,'.repeat(n), 50_000],
    ['open parentheses', (n: number) => '('.repeat(n), 200_000],
    ['dashes between numbers', (n: number) => '1-'.repeat(n), 100_000],
    ['percent soup', (n: number) => '5% '.repeat(n), 25_000],
    ['words that almost form units', (n: number) => 'by up to over about nearly '.repeat(n), 20_000],
    ['brackets with numbers', (n: number) => '[1, '.repeat(n), 25_000],
    ['lists of model sizes', (n: number) => 'Qwen3-4B, '.repeat(n) + '8B, '.repeat(4 * n), 5_000],
    ['spreads', (n: number) => '1 ± '.repeat(n), 50_000],
    ['shapes', (n: number) => '32 x '.repeat(n), 50_000],
    ['space-grouped digits', (n: number) => '48 563 '.repeat(n), 15_000],
    // each 3-digit group could start a new space-grouped run: quadratic before metrics-1.3.0
    ['a long run of 3-digit groups', (n: number) => '123 '.repeat(n), 50_000],
    ['coordinated values', (n: number) => '5% and '.repeat(n), 15_000],
    ['comparison phrases', (n: number) => '5% higher than the '.repeat(n), 10_000],
    ['count modifiers', (n: number) => 'two jailbreak robustness '.repeat(n), 10_000],
    // metrics-1.7.0 patterns
    ['values measured on named benchmarks', (n: number) => '5% on VBench and '.repeat(n), 10_000],
    ['competitors as "name: value"', (n: number) => 'compared to X (a-1: 5%, '.repeat(n), 5_000],
    ['coordinated decimals of a metric', (n: number) => 'F1 of 0.5 and '.repeat(n), 10_000],
    ['delta assignments', (n: number) => '(Δ = 0.4) '.repeat(n), 15_000],
    ['math-closed percents', (n: number) => '$1.2$ \\% '.repeat(n), 15_000],
    ['number words before fold', (n: number) => 'threefold twofold '.repeat(n), 20_000],
    ['acronym assignments', (n: number) => '(ABC = 0.5, at FAR=0.1, '.repeat(n), 10_000],
    ['metric cut-offs', (n: number) => 'AP@25 of 61.6 '.repeat(n), 10_000],
    ['version dots before a value', (n: number) => 'LLaVA-1.5 '.repeat(n) + 'by 2x', 30_000],
  ] as const)('handles %s in linear time', (_name, make, n) => {
    expectLinear(make, n);
  });

  it('handles a 1 MB abstract of realistic text in linear time, finding its claims', () => {
    const make = (n: number) => SENTENCE.repeat(Math.ceil(n / SENTENCE.length));
    expect(make(1_000_000).length).toBeGreaterThanOrEqual(1_000_000);
    expectLinear(make, 1_000_000);
    expect(lastCount).toBeGreaterThan(1000); // the last timed call read 1 MB of this text

  });
});
