import type { Claim } from '@paperwire/contracts';
import {
  EXTRACTOR_VERSION,
  claimMatches,
  extractClaims,
  formatClaim,
  headlineClaim,
  metricDirection,
} from './index';

const only = (text: string, needle: string): Claim => {
  const c = extractClaims(text).find((x) => x.text === needle);
  if (!c)
    throw new Error(`no claim "${needle}" in ${JSON.stringify(extractClaims(text).map((x) => x.text))}`);
  return c;
};

describe('extractClaims', () => {
  const issue =
    'Our model gives a 41.2% improvement in F1 score over standard fine-tuning (from 22.1 to 31.2) on NarrativeQA.';

  it('reads the issue example: relative gain with metric, baseline, comparator and dataset', () => {
    const c = only(issue, '41.2%');
    expect(c).toMatchObject({
      value: 41.2,
      unit: '%',
      category: 'result',
      kind: 'relative_improvement',
      metric: 'f1',
    });
    expect(c.baseline).toEqual({ value: 22.1, text: '22.1' });
    expect(c.comparedTo).toBe('standard fine-tuning');
    expect(c.dataset).toBe('NarrativeQA');
    expect(issue.slice(c.start, c.end)).toBe('41.2%');
  });

  it('represents "to 31.2" as an absolute score with the "from" value as baseline', () => {
    const c = only(issue, '31.2');
    expect(c).toMatchObject({
      value: 31.2,
      unit: 'score',
      kind: 'absolute_score',
      metric: 'f1',
      improvement: true,
    });
    expect(c.baseline?.value).toBe(22.1);
    expect(extractClaims(issue).map((x) => x.text)).toEqual(['41.2%', '31.2']);
  });

  it('reads LaTeX percentages', () => {
    expect(only('accuracy of 99.27\\% on the test set', '99.27\\%')).toMatchObject({
      value: 99.27,
      unit: '%',
    });
  });

  it('reads percentage points', () => {
    expect(only('improves accuracy by 3.2 p.p. over LoRA', '3.2 p.p.').unit).toBe('pp');
    expect(only('gains 5 points on MMLU', '5 points').unit).toBe('pp');
    expect(only('a 10% absolute improvement in mean IoU', '10% absolute').unit).toBe('pp');
  });

  it('reads multipliers: 4x, 4×, 5x-16x, 4-fold, twice', () => {
    expect(only('is 4x faster', '4x')).toMatchObject({ value: 4, unit: 'x', kind: 'speedup' });
    expect(only('is 4× faster', '4×').unit).toBe('x');
    expect(only('speeds up decoding by 5x-16x', '5x-16x')).toMatchObject({ value: 16, low: 5, unit: 'x' });
    expect(only('a 4-fold increase in throughput', '4-fold')).toMatchObject({ value: 4, unit: 'x' });
    expect(only('runs twice as fast', 'twice')).toMatchObject({ value: 2, unit: 'x', kind: 'speedup' });
  });

  it('reads ranges with the upper bound as value', () => {
    expect(only('improves by 8.7%-64.3% across tasks', '8.7%-64.3%')).toMatchObject({
      value: 64.3,
      low: 8.7,
    });
    expect(only('gains of 12-26% on all benchmarks', '12-26%')).toMatchObject({
      value: 26,
      low: 12,
      unit: '%',
    });
  });

  it('reads "A vs B" as a claim with a baseline', () => {
    const c = only('accuracy of 85.3% vs. 80.1% for the baseline', '85.3%');
    expect(c.baseline).toEqual({ value: 80.1, text: '80.1%' });
    expect(c.improvement).toBe(true);
    expect(extractClaims('accuracy of 85.3% vs. 80.1% for the baseline')).toHaveLength(1);
  });

  it('scales params, tokens and bytes to raw units', () => {
    expect(only('We train a 53.3B model', '53.3B')).toMatchObject({
      value: 53.3e9,
      unit: 'params',
      category: 'setup',
      kind: 'size',
    });
    expect(only('pre-trained on 300B tokens', '300B tokens')).toMatchObject({ value: 300e9, unit: 'tokens' });
    expect(only('with a 32K context window', '32K')).toMatchObject({ value: 32000, unit: 'tokens' });
    expect(only('a corpus of 1.5M images', '1.5M images')).toMatchObject({ value: 1.5e6, unit: 'count' });
    expect(only('a 7B parameter model', '7B parameter')).toMatchObject({ value: 7e9, unit: 'params' });
    expect(only('the index takes 2.5 GB on disk', '2.5 GB')).toMatchObject({ value: 2.5e9, unit: 'bytes' });
  });

  it('reads times as unit other with the unit text', () => {
    const c = only('reduces latency to 40 ms per query', '40 ms');
    expect(c).toMatchObject({
      value: 40,
      unit: 'other',
      unitText: 'ms',
      metric: 'latency',
      category: 'result',
    });
  });

  it('reads counts written as words that size an evaluation', () => {
    expect(only('experiments on six datasets', 'six datasets')).toMatchObject({
      value: 6,
      unit: 'count',
      category: 'setup',
      kind: 'scope',
    });
    expect(only('evaluated on 26 tasks', '26 tasks')).toMatchObject({ value: 26, kind: 'scope' });
    expect(extractClaims('We address two core challenges')).toEqual([]);
  });

  it('reads qualifiers', () => {
    expect(only('speeds up inference by up to 3.5x', '3.5x').qualifier).toBe('up to');
    expect(only('an average of 4.2% higher accuracy', '4.2%').qualifier).toBe('average');
    expect(only('more than 90% of the errors', '90%').qualifier).toBe('more than');
    expect(only('reaches about 70% accuracy', '70%').qualifier).toBe('about');
    expect(only('nearly 20% fewer tokens', '20%').qualifier).toBe('nearly');
  });

  it('finds the comparator and the datasets', () => {
    const c = only(
      'improves accuracy by 4.1% compared to the plain retrieval baseline on HotpotQA and MuSiQue',
      '4.1%',
    );
    expect(c.comparedTo).toBe('plain retrieval baseline');
    expect(c.dataset).toBe('HotpotQA and MuSiQue');
    expect(only('outperforms LoRA by 2.3% on GLUE', '2.3%').comparedTo).toBe('LoRA');
  });

  it('keeps the words that say which systems a generic comparator is', () => {
    const cmp = (text: string, value: string) => only(text, value).comparedTo;
    expect(cmp('runs 12x faster than existing solvers', '12x')).toBe('existing solvers');
    expect(cmp('our kernel gives a 7x speedup over existing implementations', '7x')).toBe(
      'existing implementations',
    );
    expect(cmp('outperforms prior methods by 3.2% in accuracy', '3.2%')).toBe('prior methods');
    expect(cmp('improves recall by 9.4% over the model without retrieval on the test split', '9.4%')).toBe(
      'model without retrieval',
    );
    expect(cmp('lifts accuracy by 5.5% over baselines with at least 2x fewer parameters', '5.5%')).toBe(
      'baselines',
    );
    expect(cmp('improves F1 by 2.2% over the baseline', '2.2%')).toBe('baseline');
    // a named system is left as it was written
    expect(cmp('improves BLEU by 1.9 over the strong Transformer baseline', '1.9')).toBe(
      'Transformer baseline',
    );
  });

  it('knows reductions of lower-is-better metrics are improvements', () => {
    const a = only('uses 16% lower peak GPU memory', '16%');
    expect(a).toMatchObject({ kind: 'reduction', metric: 'gpu memory', improvement: true });
    const b = only('achieves a 9.6x reduction in GPU memory', '9.6x');
    expect(b).toMatchObject({ kind: 'reduction', metric: 'gpu memory', improvement: true });
    expect(only('accuracy drops by 5%', '5%')).toMatchObject({ kind: 'reduction', improvement: false });
  });

  it('finds general quantities with their unit text', () => {
    expect(only('a brief peak at 2617.4 m depth', '2617.4 m')).toMatchObject({
      value: 2617.4,
      unit: 'other',
      unitText: 'm',
    });
    expect(only('each dose contained 17 mg of the drug', '17 mg')).toMatchObject({
      value: 17,
      unitText: 'mg',
    });
  });

  it.each([
    ['model names', 'We fine-tune Llama2-7B, GPT-4o and Qwen2.5-7B.'],
    ['versioned names', 'Gemini 1.5 and Llama 3.1 8B are compared.'],
    ['section numbers', 'as discussed in Part 3.3 and Section 4.'],
    ['benchmark names', 'pre-trained on ImageNet-1K and CIFAR-100.'],
    ['years', 'Since 2023, the field has grown.'],
    ['citations', 'as shown before [12, 13].'],
    ['list markers', 'We (1) collect data and (2) train.'],
    ['version strings', 'released as version 1.2.3 of the package'],
    ['formulas', 'we set k=5 and use n^2 terms and a learning rate of 1e-4'],
    ['arXiv ids and URLs', 'see arXiv 2401.00001 and https://github.com/a/b2c'],
  ])('does not read %s as claims', (_name, text) => {
    expect(extractClaims(text)).toEqual([]);
  });

  it('returns spans into the exact string, sorted by start', () => {
    const text = '  Up to 4x faster and 12% more accurate on 3 benchmarks.';
    const claims = extractClaims(text);
    expect(claims.map((c) => c.start)).toEqual([...claims.map((c) => c.start)].sort((a, b) => a - b));
    for (const c of claims) expect(text.slice(c.start, c.end)).toBe(c.text);
  });

  it('has a version', () => {
    expect(EXTRACTOR_VERSION).toMatch(/^metrics-\d+\.\d+\.\d+$/);
  });
});

describe('metricDirection', () => {
  it('knows which way metrics go, through synonyms', () => {
    expect(metricDirection('accuracy')).toBe('higher');
    expect(metricDirection('F1-score')).toBe('higher');
    expect(metricDirection('perplexity')).toBe('lower');
    expect(metricDirection('peak memory')).toBe('lower');
    expect(metricDirection('no such metric')).toBeNull();
  });
});

describe('headlineClaim and formatClaim', () => {
  it('prefers an improvement over setup and absolute numbers', () => {
    const claims = extractClaims(
      'We evaluate on 14 tasks. Our model reaches 77% accuracy, a 41.2% improvement in F1 over SFT on NarrativeQA.',
    );
    const h = headlineClaim(claims);
    expect(h?.text).toBe('41.2%');
    expect(formatClaim(h as Claim)).toBe('41.2% F1 gain on NarrativeQA vs SFT');
    expect(headlineClaim(extractClaims('We evaluate on 14 tasks.'))).toBeNull();
  });
});

describe('claimMatches', () => {
  const [c] = extractClaims('achieves a 9.6x reduction in GPU memory');
  it('matches metric synonyms case-insensitively and value bounds', () => {
    expect(claimMatches(c, { metric: 'VRAM', kind: 'reduction', min: 9 })).toBe(true);
    expect(claimMatches(c, { metric: 'GPU Memory', unit: 'x', max: 9.6 })).toBe(true);
    expect(claimMatches(c, { min: 10 })).toBe(false);
    expect(claimMatches(c, { metric: 'accuracy' })).toBe(false);
    expect(claimMatches(c, { category: 'setup' })).toBe(false);
  });
});

// A claim's numbers go to float8 columns through JSON, where Infinity and NaN become null and fail the INSERT.
describe('extractClaims with numbers that overflow', () => {
  const huge = '1' + '0'.repeat(400);

  it.each([
    ['400 orders of magnitude', 'Our method runs 400 orders of magnitude faster than the baseline.'],
    [
      'a range ending at 400 orders of magnitude',
      'Our method runs 2-400 orders of magnitude faster than the baseline.',
    ],
    ['a 400-digit count', `We train on ${huge} images.`],
    ['a 400-digit multiplier', `It achieves a ${huge}x speedup.`],
    ['a 400-digit byte size', `We release a ${huge} TB corpus.`],
    ['1e400', 'It runs 1e400 times faster than the baseline.'],
    ['10^400 times', 'It runs 10^400 times faster than the baseline.'],
  ])('extracts no claim from %s', (_name, text) => {
    expect(extractClaims(text)).toEqual([]);
  });

  it('keeps a claim whose comparison value overflows, without that baseline', () => {
    const claims = extractClaims(
      `It reaches 85% accuracy vs. ${huge}% for GPT-4, and cuts memory by 5x (vs. ${huge}x).`,
    );
    expect(claims.map((c) => [c.text, c.value, c.baseline])).toEqual([
      ['85%', 85, null],
      ['5x', 5, null],
    ]);
  });

  it('drops an overflowing "from" value and keeps the value it led to', () => {
    const claims = extractClaims(`Accuracy rose from ${huge}% to 85%.`);
    expect(claims.map((c) => [c.text, c.value, c.baseline])).toEqual([['85%', 85, null]]);
  });

  it('still reads ordinary orders of magnitude as powers of ten', () => {
    const claims = extractClaims(
      'Our method runs 3 orders of magnitude faster, uses 2-3 orders of magnitude less memory, and reaches 91.2% accuracy.',
    );
    expect(claims.map((c) => [c.text, c.value, c.low, c.unit, c.kind])).toEqual([
      ['3 orders of magnitude', 1000, null, 'x', 'speedup'],
      ['2-3 orders of magnitude', 1000, 100, 'x', 'reduction'],
      ['91.2%', 91.2, null, '%', 'absolute_score'],
    ]);
  });
});
