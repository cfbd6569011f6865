// metrics-1.12.0: the causes dev-9 exposed under metrics-1.11.0 (libs/metrics/README.md, "dev-9"). Sentences are
// written for the test, not copied from the labelled sets.
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;
const kindOf = (t: string, span: string): string => find(t, span).kind;

describe('metrics-1.12.0 rules', () => {
  describe('SR: success rate unless the abstract defines it as something else', () => {
    it('"N% SR" is a success rate', () => {
      expect(metricOf('On the unseen split the agent reaches 41.7% SR and 30.2% SPL.', '41.7%')).toBe(
        'success rate',
      );
    });
    it('an abstract that defines "(SR)" as another thing does not read SR as a success rate', () => {
      const t =
        'We add a Self-Refinement (SR) stage. With SR the model reaches 71.2% accuracy on the hard split.';
      expect(metricOf(t, '71.2%')).toBe('accuracy');
      const u = 'We study image super-resolution (SR). Our SR network reaches 31.4% SR on the test split.';
      expect(metricOf(u, '31.4%')).toBeNull();
    });
    it('"success rate (SR)" keeps SR as a success rate', () => {
      const t = 'We report success rate (SR). The planner reaches 63.0% SR on the long tasks.';
      expect(metricOf(t, '63.0%')).toBe('success rate');
    });
  });

  describe('"Nx fewer than": the compared noun is elided', () => {
    it('takes the noun named since the last value, not a metric of an earlier value or after "than"', () => {
      const t =
        'It reaches 50.3% SR with only 6.1 model calls per episode, 5x fewer than the 30.5 calls of the baseline at 33.0% SR.';
      expect(metricOf(t, '5x')).toBeNull();
    });
    it('coordinated elided comparisons share the noun named before the first', () => {
      const t =
        'The small variant needs 9 MB of extra memory, 12x less than A-Net (110 MB), 40x less than B4C (360 MB), and 120x less than C-Net (1080 MB).';
      expect(metricOf(t, '40x')).toBe('memory');
      expect(metricOf(t, '120x')).toBe('memory');
    });
  });

  describe('relative gains whose gain word is not right before "by"', () => {
    it('a gain verb right before the value is a gain ("improves 5-9% on")', () => {
      const t = 'The policy reaches 91.2% success on the easy suite, improves 5-9% on the hard suite.';
      expect(kindOf(t, '5-9%')).toBe('relative_improvement');
    });
    it('percentages in parentheses after a gain noun are gains', () => {
      const t = 'We also see gains on retrieval (2.4%) and on captioning tasks.';
      expect(kindOf(t, '2.4%')).toBe('relative_improvement');
    });
    it('percentages in parentheses right after "by" gains are gains too', () => {
      const t =
        'It improves the v2.1 and v3.0 base models by 12.3% and 8.2% (4.1% and 2.7% over plain finetuning).';
      expect(kindOf(t, '4.1%')).toBe('relative_improvement');
      expect(kindOf(t, '2.7%')).toBe('relative_improvement');
    });
    it('"retaining N% on X" is a retention', () => {
      const t = 'At 3 bits the quantised policy keeps working, retaining 93.5% on the long-horizon suite.';
      expect(kindOf(t, '93.5%')).toBe('retention');
    });
  });

  describe('model names and the paper’s own parts are not claims', () => {
    it('a bare size in parentheses after a word, after a LaTeX name or a model name names a model', () => {
      expect(texts('Two variants are built on dense (8B) and sparse (30B) backbones.')).toEqual([]);
      expect(texts('We test the backbones ($\\pi_{0.5}$-3.3B and a CNN).')).toEqual([]);
      expect(texts('On a closed-loop OpenVLA-OFT 7B panel the method helps.')).toEqual([]);
    });
    it('sizes with "parameters", a range or a comparison still size the setup', () => {
      expect(texts('We train base models (1.1B and 7B parameters) on each split.')).toEqual([
        '1.1B',
        '7B parameters',
      ]);
      expect(texts('It uses a smaller teacher (8B vs. 15B).')).toContain('8B');
    });
    it('seeds in digits and own layers after "includes" are not measured amounts', () => {
      expect(texts('Across 600 trials and 3 seeds it gains 4.1%.')).toEqual(['600 trials', '4.1%']);
      expect(texts('The network includes 24 convolutional layers and reaches 91.0% accuracy.')).toEqual([
        '91.0%',
      ]);
    });
  });
});
