// metrics-1.16.0: what a result claim measures, read from the sentence's structure — causes dev-11 (fresh, labelled
// before any extractor ran on it) showed under metrics-1.15.0. Sentences are written for the test, not copied from any
// labelled set.
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

describe('metrics-1.16.0 rules', () => {
  describe('a "respectively" list of values wrapped in formatting commands', () => {
    it('pairs each bold value with the metric named in its place', () => {
      const t =
        'The system reaches a WER and CER of \\textbf{12.4\\%} and \\textbf{5.1\\%}, respectively, on the test set.';
      expect(find(t, '12.4\\%').metric).toBe('wer');
      expect(find(t, '5.1\\%').metric).toBe('cer');
      const u = 'We report an F1 and recall of \\emph{88.1\\%} and \\emph{90.4\\%}, respectively.';
      expect(find(u, '88.1\\%').metric).toBe('f1');
      expect(find(u, '90.4\\%').metric).toBe('recall');
    });
  });

  describe('a label and a colon inside a parenthesis', () => {
    it('a lowercase metric name labels the value after it', () => {
      const t = 'The fused model is the most reliable (precision: 91.3%) and keeps a recall of 85.0%.';
      expect(find(t, '91.3%').metric).toBe('precision');
    });
    it('an unknown name listed beside a table metric labels its value with none', () => {
      const t = 'Quality is preserved (e.g., PSNR: 31.4, VMAF: 92.7) while decoding twice as fast.';
      expect(find(t, '31.4').metric).toBe('psnr');
      expect(find(t, '92.7').metric).toBeNull();
    });
    it('(guard) benchmark names as labels are not measures: the metric of the clause still applies', () => {
      const t = 'It raises accuracy on three suites (MMLU: 71.4%, ARC: 88.2%).';
      expect(find(t, '88.2%').metric).toBe('accuracy');
    });
  });

  describe('the phrase "<name> of N"', () => {
    it('a capitalised name the table does not know, after an article, is the measure', () => {
      const t = 'Our ranker obtains an NDCG of 0.71 and a Kendall of 0.48 on the news split.';
      expect(find(t, '0.71').metric).toBe('ndcg');
      expect(find(t, '0.48').metric).toBeNull();
      const u = 'The model keeps a precision of 0.82 and an average Brier of 0.12 on held data.';
      expect(find(u, '0.82').metric).toBe('precision');
      expect(find(u, '0.12').metric).toBeNull();
    });
    it('(guard) a dataset name after a preposition is where the measure was taken', () => {
      const t = 'It reports an accuracy on ImageNet of 83.0% after tuning.';
      expect(find(t, '83.0%').metric).toBe('accuracy');
    });
    it('a plural noun of a percentage is what the share sizes, not a neighbouring metric', () => {
      const t =
        'The detector improves accuracy by 6% and 4% on corrupted inputs with noise ratios of 30% and occlusion levels of 50%.';
      expect(find(t, '6%').metric).toBe('accuracy');
      expect(find(t, '30%').metric).toBeNull();
    });
  });

  describe('shares and ranges of shares of counted items', () => {
    it('a range of percentages of items measures no neighbouring metric', () => {
      const t = 'Although accuracy is high, 12-18% of prompts trigger unsafe completions across the models.';
      expect(find(t, '12-18%').metric).toBeNull();
    });
    it('a bare percentage of parameters is a share of the weights, not a memory figure', () => {
      const t = 'We adapt only the memory module (adapters, 0.8% parameters) with 2,000 dialogues.';
      const c = find(t, '0.8%');
      expect(c.metric).toBeNull();
      expect(c.kind).toBe('other');
    });
    it('(guard) a reduction of parameters stays a change of model size', () => {
      const t = 'Pruning yields a 35% parameters reduction with no loss of accuracy.';
      expect(find(t, '35%').metric).not.toBe('accuracy');
    });
  });

  describe('names written with a threshold, an article or a lead word', () => {
    it('a metric name followed by a threshold keeps the metric', () => {
      const t = 'The detector attains an mAP50-95 of 0.47 and an mAP50 of 0.69 on the drone split.';
      expect(find(t, '0.47').metric).toBe('map');
      expect(find(t, '0.69').metric).toBe('map');
    });
    it('(guard) the number after a threshold and a colon is part of the name', () => {
      const t = 'It achieves up to 12% relative mAP50:95 gain on both boards.';
      expect(texts(t)).not.toContain('95');
    });
    it('a lead word that begins the metric name is not dropped', () => {
      expect(find('The parser reaches 71.9% mean Average Precision on forms.', '71.9%').metric).toBe('map');
    });
    it('"a N% relative improvement in X" measures X, or nothing when X is unknown', () => {
      const t =
        'It beats the prior best by 2.1 mIoU and brings a 17.2% relative improvement in TQ on the city split.';
      expect(find(t, '2.1').metric).toBe('miou');
      expect(find(t, '17.2%').metric).toBeNull();
    });
  });

  describe('a list of names paired with a list of values', () => {
    it('each value takes the name in its place, a name the table does not know included', () => {
      const t = 'The planner raises SR and SPL by an average of 6.1% and 3.3% on long routes.';
      expect(find(t, '6.1%').metric).toBe('success rate');
      expect(find(t, '3.3%').metric).toBeNull();
      const u = 'It improves Hits@3 and NDCG by 2.4% and 1.9%, respectively.';
      expect(find(u, '2.4%').metric).toBeNull();
      expect(find(u, '1.9%').metric).toBe('ndcg');
    });
    it('(guard) a list of datasets after the metric keeps the metric', () => {
      const t = 'The model improves accuracy on CIFAR and ImageNet by 2% and 3%.';
      expect(find(t, '2%').metric).toBe('accuracy');
      expect(find(t, '3%').metric).toBe('accuracy');
    });
  });

  describe('"N in <measure>" right after a value', () => {
    it('a measure after "in" is the value\'s own, and an unknown measure stops a list lending its metric', () => {
      const t = 'We see gains of up to 2.5x in decoding speed and 3.1x in energy efficiency on phones.';
      expect(find(t, '2.5x').metric).toBe('speed');
      expect(find(t, '3.1x').metric).toBeNull();
    });
    it('(guard) a venue or a language after "in" says where, not what', () => {
      const t = 'Errors per paper grew from 3.1 in ICLR 2019 to 4.4 in ICLR 2024.';
      expect(texts(t)).not.toContain('3.1');
    });
  });

  describe('model sizes after a model name', () => {
    it('a bare size after a hyphenated model name is part of the name', () => {
      expect(texts('We compare BGE-m3 (568M) with two larger encoders.')).toEqual(['two larger encoders']);
      expect(texts('We tune InternVL-Chat 2B and 8B on the new split.')).toEqual([]);
    });
    it('(guard) sizes of the setup written without a name stay claims', () => {
      expect(texts('Pre-trained 7B models and a 13B model were compared.')).toEqual(['7B', '13B']);
    });
  });

  describe('qualifiers', () => {
    it('"by almost N points" is a change, as "by nearly N points"', () => {
      const t = 'The new agent beats the strongest rival by almost 12 percentage points on web tasks.';
      expect(find(t, '12 percentage points').kind).toBe('relative_improvement');
    });
  });

  describe('angles', () => {
    it('degrees are a physical unit, and an error in degrees is an error', () => {
      const c = find('The tracker keeps a mean angular error of 4.2 degrees on fast motion.', '4.2 degrees');
      expect(c.unit).toBe('other');
      expect(c.category).toBe('result');
      expect(c.metric).toBe('error rate');
    });
  });

  it('runs on a long abstract without surprises', () => {
    expect(() => extractClaims('an Rmean of 1. '.repeat(500))).not.toThrow();
  });
});
