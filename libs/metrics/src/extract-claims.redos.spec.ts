import { extractClaims } from './index';

// Hostile inputs must take bounded time: every pattern is anchored to a bounded window or a literal
// alternation. Measured in CPU time of this process (ms), not wall time, so other work on a loaded CI
// machine does not count; a super-linear pattern still blows far past the bound.
const timed = (text: string): number => {
  const t0 = process.cpuUsage();
  extractClaims(text);
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
};

describe('extractClaims on hostile input', () => {
  it.each([
    ['a long digit run', '1'.repeat(200_000)],
    ['repeated dotted separators', '1.'.repeat(100_000)],
    ['repeated commas', '1,'.repeat(100_000)],
    ['open parentheses', '('.repeat(200_000)],
    ['dashes between numbers', '1-'.repeat(100_000)],
    ['percent soup', '5% '.repeat(50_000)],
    ['words that almost form units', 'by up to over about nearly '.repeat(20_000)],
    ['brackets with numbers', '[1, '.repeat(50_000)],
    ['lists of model sizes', 'Qwen3-4B, '.repeat(10_000) + '8B, '.repeat(40_000)],
    ['spreads', '1 ± '.repeat(50_000)],
    ['shapes', '32 x '.repeat(50_000)],
    ['space-grouped digits', '48 563 '.repeat(30_000)],
    // each 3-digit group could start a new space-grouped run: quadratic before metrics-1.3.0
    ['a long run of 3-digit groups', '123 '.repeat(100_000)],
    ['coordinated values', '5% and '.repeat(30_000)],
    ['comparison phrases', '5% higher than the '.repeat(10_000)],
    ['count modifiers', 'two jailbreak robustness '.repeat(20_000)],
  ])('handles %s in well under two seconds', (_name, text) => {
    expect(timed(text)).toBeLessThan(2000);
  });

  it('handles a 1 MB abstract of realistic text in under two seconds', () => {
    const sentence =
      'Our method improves accuracy by 4.2% over LoRA on GSM8K and MMLU, uses 16% lower GPU memory and runs 3x faster on 26 tasks. ';
    const text = sentence.repeat(Math.ceil(1_000_000 / sentence.length));
    expect(text.length).toBeGreaterThanOrEqual(1_000_000);
    expect(timed(text)).toBeLessThan(2000);
    expect(extractClaims(text).length).toBeGreaterThan(1000);
  });
});
