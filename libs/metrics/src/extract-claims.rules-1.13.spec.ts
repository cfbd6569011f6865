// metrics-1.13.0: the causes dev-8 and dev-9 still showed under metrics-1.12.0 (libs/metrics/README.md, "metrics-1.13.0").
// Sentences are written for the test, not copied from the labelled sets.
import { find, findByRules, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;
const kindOf = (t: string, span: string): string => find(t, span).kind;

describe('metrics-1.13.0 rules', () => {
  describe('an operating point keeps its metric to itself', () => {
    it('"at N fps, X achieves …": the rate of the point is not the metric of the values after it', () => {
      const t =
        'At 30 fps, our tracker achieves a 41.2% relative gain over the baseline and 1.8x faster training.';
      expect(metricOf(t, '41.2%')).toBeNull();
      expect(metricOf(t, '1.8x')).toBeNull();
    });
    it('"at a N× speedup, it outperforms X by": the speed-up point lends no metric to the margin', () => {
      const t = 'At a 3.1x speedup, it outperforms uniform caching by 22% on the video split.';
      expect(metricOf(t, '22%')).toBeNull();
    });
    it('"At inference time, X is N times faster": a when-phrase names no metric', () => {
      const t = 'At inference time, the distilled matcher is 40 to 300 times faster than prompting an LLM.';
      expect(metricOf(t, '40 to 300 times')).toBeNull();
    });
    it("a metric named by an operating point after the value is the point's too", () => {
      expect(metricOf('It cuts duplicate rates by 88% at 92% precision on the platform.', '88%')).toBeNull();
    });
    it('(guard) a rate without a clause of its own still names what a speed-up is of', () => {
      const t = 'The student streams video at 28 FPS, 12.5x faster than its teacher.';
      expect(metricOf(t, '12.5x')).toBe('throughput');
    });
  });

  describe('"A -> B" reads as "from A to B"', () => {
    it('the claim is B with baseline A, for ASCII and LaTeX arrows', () => {
      const t =
        'Training lifts the pass rate 41% -> 63% and the BLEU score 0.45 $\\rightarrow$ 0.61 on the test split.';
      expect(texts(t)).toEqual(['63%', '0.61']);
      expect(find(t, '63%').baseline?.value).toBe(41);
      expect(find(t, '0.61').baseline?.value).toBe(0.45);
      expect(find(t, '0.61').unit).toBe('score');
    });
    it('a metric after a closing parenthesis and "then" is not the metric of the values before', () => {
      const t = 'The agent first fixes its format (validity 70% -> 99%), then its answers (F1 60.1 -> 66.0).';
      expect(metricOf(t, '99%')).toBeNull();
      expect(metricOf(t, '66.0')).toBe('f1');
    });
  });

  describe('gains in points', () => {
    it('"gains ranging from A to B percentage points and averaging C points" are one range and its average', () => {
      const t =
        'Our method improves AUROC in every pair, with gains ranging from 0.4 to 3.9 percentage points and averaging 1.7 points.';
      expect(texts(t)).toEqual(['0.4 to 3.9 percentage points', '1.7 points']);
      expect(find(t, '0.4 to 3.9 percentage points').low).toBe(0.4);
      expect(kindOf(t, '0.4 to 3.9 percentage points')).toBe('relative_improvement');
      expect(kindOf(t, '1.7 points')).toBe('relative_improvement');
    });
    it('bare signed values after a signed gain in points are further gains in points', () => {
      const t =
        'It improves over SFT by a mean +9.1 pp across four suites (600 trials) -- per-suite +17.5 Object, +9.0 Goal, +2.5 Spatial.';
      expect(texts(t)).toEqual(['9.1 pp', 'four suites', '600 trials', '17.5', '9.0', '2.5']);
      expect(find(t, '9.0').unit).toBe('pp');
      expect(kindOf(t, '2.5')).toBe('relative_improvement');
    });
    it('a bare value coordinated with a value in points is in points too', () => {
      const t =
        'It improves the agentic baselines by 12.1 and 14.3 average points for the small and large variants, respectively.';
      expect(texts(t)).toEqual(['12.1', '14.3 average points']);
      expect(find(t, '12.1').unit).toBe('pp');
      expect(kindOf(t, '14.3 average points')).toBe('relative_improvement');
      // (guard) a test statistic before a confidence level is no claim
      expect(texts('The gain is significant (p<0.001, 95% CI [2.1, 6.3]).')).toEqual([]);
    });
    it('points in the parenthesis right after a change restate it', () => {
      const t = 'It raises the aesthetic score by 9% (4.1 points, from 45.2 to 49.3) over the baseline.';
      expect(kindOf(t, '4.1 points')).toBe('relative_improvement');
    });
  });

  describe('values listed under one change noun', () => {
    it('"~A%, ~B%, and ~C% improvement": every value of the list is a gain', () => {
      const t = 'It yields an average of ~9%, ~4%, and ~12% improvement over three benchmarks.';
      expect(kindOf(t, '9%')).toBe('relative_improvement');
      expect(kindOf(t, '4%')).toBe('relative_improvement');
    });
  });

  describe('multipliers written around the value', () => {
    it('"$\\times5.04$", "$\\sim \\times2.6$": a multiplier sign before the number', () => {
      const t = 'Under a $\\times4.2$ FLOPs reduction on FLUX, it lowers the error by 12%.';
      expect(find(t, '4.2').unit).toBe('x');
      expect(texts('crops of $32 \\times 32$ pixels')).toEqual([]);
    });
    it('"\\textbf{10.57}$\\times$": a multiplier after the closing brace of a bold value', () => {
      const t =
        'Our memory is up to \\textbf{8.3}$\\times$ faster and needs \\textbf{21}$\\times$ less memory.';
      expect(texts(t)).toEqual(['8.3}$\\times$', '21}$\\times$']);
      expect(kindOf(t, '8.3}$\\times$')).toBe('speedup');
    });
    it('an operating point a result is given at is a condition, keeping the metric it names', () => {
      const t = 'At 6.4x speed-up, the recall drops by only 0.3%.';
      expect(kindOf(t, '6.4x')).toBe('other');
      expect(metricOf(t, '6.4x')).toBe('speed');
      expect(kindOf('Its gain caps at a 21% acceleration ceiling.', '21%')).toBe('speedup');
    });
    it('"speedups" is the plural of a speed-up, and values coordinated under it share it', () => {
      const t = 'The kernel gives 11.3x prefill and 5.2x decoding speedups on H100.';
      expect(metricOf(t, '5.2x')).toBe('speed');
      expect(metricOf(t, '11.3x')).toBe('speed');
      expect(metricOf('It reaches 80% sparsity and 1.6x inference speedups.', '80%')).toBeNull();
    });
  });

  describe('a share of counted items', () => {
    it('names no metric of its neighbours', () => {
      const t =
        'The index gives a 9.1x speed-up over brute force, with only 0.7% of candidates needing a full check.';
      expect(metricOf(t, '0.7%')).toBeNull();
      const u = 'Error analysis shows that 81.2% of model errors come from arithmetic slips.';
      expect(metricOf(u, '81.2%')).toBeNull();
    });
    it('takes the metric its verb names: succeed, pass, win', () => {
      expect(
        metricOf('The best agent passes only 31.4% of all tasks and 12.5% of hard tasks.', '31.4%'),
      ).toBe('pass@k');
      expect(
        metricOf('The best agent passes only 31.4% of all tasks and 12.5% of hard tasks.', '12.5%'),
      ).toBe('pass@k');
      expect(metricOf('Current models succeed in only 18.2% of cases.', '18.2%')).toBe('success rate');
    });
    it('a list of shares shares its items, and a resource named by the items is kept', () => {
      const t = 'Tool misuse and planning errors dominate, accounting for 31.5% and 27.9% of fired codes.';
      expect(metricOf(t, '31.5%')).toBeNull();
      const u = 'It prunes up to 95% of attention computations and 51.2% of FLOPs on LLaVA.';
      expect(metricOf(u, '95%')).toBe('compute');
    });
  });

  describe('conditions: what a method runs on, needs or takes', () => {
    it('"using only N GPUs", "as few as N images", "utilizing merely NK samples" are result conditions', () => {
      for (const [t, span] of [
        ['The policy transfers to the real arm using only 6 GPUs.', '6 GPUs'],
        ['It renders novel views from as few as four input images.', 'four input images'],
        ['Our recipe trains the adapter utilizing merely 3K samples.', '3K samples'],
        ['It improves recall while adding fewer than 5M parameters.', '5M parameters'],
      ]) {
        const c = find(t, span);
        expect([c.category, c.kind]).toEqual(['result', 'other']);
      }
      // (guard) "with only N parameters" sizes the setup, as the dev sets mostly label it
      expect(find('With only 4M parameters, the model matches larger ones.', '4M parameters').category).toBe(
        'setup',
      );
    });
    it('how much code a method takes is a result count', () => {
      const c = find(
        'The new interface expresses fused attention in approximately 120 lines of code.',
        '120 lines',
      );
      expect([c.category, c.kind]).toEqual(['result', 'other']);
    });
    it('how long the method takes is a result, how long the data is stays a size', () => {
      expect(find('It produces a full scene in just 4-6 minutes.', '4-6 minutes').category).toBe('result');
      expect(
        find('The pipeline finishes inference in under 12 seconds per clip.', '12 seconds').category,
      ).toBe('result');
      expect(find('The corpus is grounded in 31.5 hours of recordings.', '31.5 hours').category).toBe(
        'setup',
      );
    });
  });

  describe('a multiple of counted tokens or weights', () => {
    it('"for ~5x tokens", "needs 2x parameters" measure token usage and model size', () => {
      expect(metricOf('Voting is poor value (+0.2 pp for ~4x tokens, not significant).', '4x')).toBe(
        'token usage',
      );
      const t = 'The wide variant needs 2x parameters and 3x memory.';
      expect(metricOf(t, '2x')).toBe('model size');
      expect(metricOf(t, '3x')).toBe('memory');
    });
  });

  describe('a compressed model', () => {
    it('"compressing the backbone from A GB to B GB (N×)": the size and its ratio are model size', () => {
      const t =
        'Pushed further, it compresses the backbone from 13.1 GB to 3.0 GB (4.4$\\times$) on the arm.';
      expect(metricOf(t, '3.0 GB')).toBe('model size');
      expect(metricOf(t, '4.4$\\times$')).toBe('model size');
    });
  });

  describe('"respectively" lists', () => {
    it('the metric named between the list and "respectively" is the list\'s, and its percentages read as points stay points', () => {
      const t =
        'It achieves absolute improvements of 12.4% and 27.9% in entity and relation F1-score, respectively.';
      expect(metricOf(t, '12.4%')).toBe('f1');
      expect(metricOf(t, '27.9%')).toBe('f1');
      expect(find(t, '27.9%').unit).toBe('pp');
      expect(kindOf(t, '27.9%')).toBe('relative_improvement');
    });
    it("one metric named before a long list of compared items is every value's", () => {
      const t =
        'Results show consistent improvements in AP50 over supervised training on the source domain, weakly supervised adaptation methods, unsupervised adaptation methods and open-set detectors by 3-20%, 5-9%, 6-31%, and more than 40%, respectively.';
      expect(metricOf(t, '3-20%')).toBe('map');
      expect(metricOf(t, '6-31%')).toBe('map');
    });
  });

  describe('the phrase a value quantifies, read before it', () => {
    it('"a driving score of N": an -ing word after an article modifies the measured noun', () => {
      const t =
        'It reaches a driving score of 77.2 with a success rate of 51.0% on the closed-loop benchmark.';
      expect(metricOf(t, '77.2')).toBeNull();
    });
    it('"a minimal degradation in <metric> of less than N": the phrase reaches the value, and the change noun is its kind', () => {
      const t =
        'It achieves up to 1.7x speedup with a minimal degradation in success rate of less than 1.5% on real robots.';
      expect(metricOf(t, '1.5%')).toBe('success rate');
      expect(kindOf(t, '1.5%')).toBe('reduction');
      expect(kindOf('We observe an improvement in recall of about 4.2% on rare classes.', '4.2%')).toBe(
        'relative_improvement',
      );
    });
  });

  describe('counts whose modifiers are listed with commas', () => {
    it('"N a, b, and c <counted noun>" is one count', () => {
      const t =
        'We evaluate 36 multi-step, multilingual, long-context scenarios and nine open, closed, and self-hosted models.';
      expect(texts(t)).toEqual([
        '36 multi-step, multilingual, long-context scenarios',
        'nine open, closed, and self-hosted models',
      ]);
      expect(find('We test 17 small, open-weight LLMs.', '17 small, open-weight LLMs').kind).toBe('scope');
    });
  });

  describe('the breadth of a study', () => {
    it('experiments, ablations, encoders, detectors, topologies and embodiments compared are scope counts', () => {
      const t = 'We run 250 controlled experiments across four encoders, three detectors and 12 embodiments.';
      expect(kindOf(t, '250 controlled experiments')).toBe('scope');
      expect(kindOf(t, 'four encoders')).toBe('scope');
      expect(kindOf(t, '12 embodiments')).toBe('scope');
    });
  });

  describe('"N of M": how many of a counted whole a result holds for', () => {
    it('a number word, or a bare "of" before M, is read too', () => {
      const t = 'The inversion replicates on six of eight models, and on 10 of 12 seed-level cells.';
      expect(find(t, 'six').category).toBe('result');
      // (the rules' reading: the learned correction makes "10 of 12 seed-level cells" a setup count)
      expect(findByRules(t, '10').category).toBe('result');
      expect(findByRules(t, '10').kind).toBe('other');
    });
  });

  describe('"avg." is an abbreviation, not a sentence end', () => {
    it('"N% avg. SR" is a success rate, and the value after it with a phrase of its own does not take it', () => {
      const t =
        'The policy achieves 93.1% avg. SR on LIBERO, 70.4% visual matching on Fractal and 48.8% on Bridge.';
      expect(metricOf(t, '93.1%')).toBe('success rate');
      expect(metricOf(t, '70.4%')).toBeNull();
    });
  });

  describe('LaTeX around values', () => {
    it('a "$" closing math right before a value is not a dollar sign', () => {
      const t = 'Calibration error falls (0.21 $\\rightarrow$ 0.08) after tuning.';
      expect(find(t, '0.08').unit).toBe('score');
    });
    it('"of $\\sim$N" after a named metric is a score of it', () => {
      const t = 'The detector reaches a mean average precision of $\\sim$0.83 on the night split.';
      expect(metricOf(t, '0.83')).toBe('map');
    });
  });
});
