// One focused block per precision rule added in metrics-1.3.0 (error classes found on dev-2.jsonl). Sentences
// are written for the test, not copied from the labelled sets.
import { EXTRACTOR_VERSION, extractClaims } from './index';

const texts = (t: string): string[] => extractClaims(t).map((c) => c.text);

describe('metrics-1.3.0 precision rules', () => {
  it('carries the bumped version', () => {
    expect(EXTRACTOR_VERSION).toBe('metrics-1.37.0');
  });

  describe("counts of the method's own parts written as number words", () => {
    it('drops parts introduced or defined by the paper, also for size nouns such as concepts', () => {
      expect(texts('We introduce three novel concepts into the network.')).toEqual([]);
      expect(texts('We define four distinct conditions of difficulty.')).toEqual([]);
    });
    it('drops objective terms ("two losses", "three variants")', () => {
      expect(texts('The discriminator is trained with two losses for stability.')).toEqual([]);
    });
    it('drops "of/between two X" pairs in definitions', () => {
      expect(texts('It reduces the distance of two point features in the kernel space.')).toEqual([]);
      expect(texts('We interpolate between two triples in latent space.')).toEqual([]);
    });
    it('keeps evaluation counts and data sizes', () => {
      expect(texts('We compare with those of two baselines on three datasets.')).toEqual([
        'two baselines',
        'three datasets',
      ]);
      expect(texts('We introduce two datasets with 1,200 images.')).toEqual(['two datasets', '1,200 images']);
      expect(texts('The encoder has 12 layers and 4 heads.')).toEqual(['12 layers', '4 heads']);
    });
  });

  describe('protocol settings', () => {
    it('drops a fold count written as a word before cross-validation', () => {
      expect(texts('Experiments on 64 cases use a four-fold cross-validation.')).toEqual(['64 cases']);
    });
    it('drops confidence levels, also in LaTeX', () => {
      expect(texts('We sample in a $95\\%$ confidence interval.')).toEqual([]);
      expect(texts('The 90% CI excludes zero.')).toEqual([]);
    });
    it('drops the matching threshold of a detection protocol but keeps an IoU that is reached', () => {
      expect(texts('It reaches 41.2% AP at an IoU of 0.5.')).toEqual(['41.2%']);
      expect(texts('We use an IoU threshold of 0.7 for matching.')).toEqual([]);
      expect(texts('The model achieves an IoU of 0.85 on the test set.')).toEqual(['0.85']);
    });
  });

  describe('vague multiples', () => {
    it('drops "a few dozen" and "several hundred"', () => {
      expect(texts('It is written in a few dozen lines of code.')).toEqual([]);
      expect(texts('It needs several hundred samples.')).toEqual([]);
    });
    it('keeps an exact number word', () => {
      expect(texts('It needs twelve samples.')).toEqual(['twelve samples']);
    });
  });

  describe('a metric set equal to a value', () => {
    it('reads "mAP=0.56" as a score and keeps rejecting hyper-parameters', () => {
      const c = extractClaims('The detector achieves satisfactory results (mAP=0.56) on shelves.');
      expect(c.map((x) => [x.text, x.unit, x.metric])).toEqual([['0.56', 'score', 'map']]);
      expect(texts('We train with k=5 and lr=0.01 for stability.')).toEqual([]);
    });
  });

  describe('space-grouped thousands', () => {
    it('still reads "48 563 annotations" as one number', () => {
      expect(extractClaims('We collect 48 563 annotations.').map((c) => c.value)).toEqual([48563]);
    });
  });
});
