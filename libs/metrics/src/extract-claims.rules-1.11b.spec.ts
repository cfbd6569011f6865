// metrics-1.11.0, second part: claims precision, kind and units. Error classes from dev-8's false positives and
// kind errors, checked against dev-6/dev-7; sentences are written for the test, not copied from the labelled sets.
import { find, texts } from './spec-helpers';

const kindOf = (t: string, span: string): string => find(t, span).kind;

describe('metrics-1.11.0 rules (second part): precision, kind, units', () => {
  describe('what is not a claim', () => {
    it('a count of an unlisted noun whose phrase runs into a colon is the paper’s own enumeration', () => {
      expect(texts('Prior work follows two broad directions: retrieval and distillation.')).toEqual([]);
      expect(
        texts('We examine three open directions for scaling agents: data, memory and tools. It gains 4.1%.'),
      ).toEqual(['4.1%']);
      expect(texts('Existing planners fall into two categories.')).toEqual([]);
    });
    it('an enumeration that is evaluated or annotated still sizes the setup', () => {
      expect(
        texts('We evaluate three prompting strategies: zero-shot, few-shot and chain-of-thought.'),
      ).toEqual(['three prompting strategies']);
      expect(
        texts('Each essay is annotated into four discourse types: claim, data, rebuttal and other.'),
      ).toEqual(['four discourse types']);
      expect(texts('We report 12 benchmarks: A, B and C.')).toEqual(['12 benchmarks']);
    });
    it('the next marker of a list after "and" is a list marker', () => {
      expect(
        texts(
          'The model is used for 1) labelling synthetic data and 2) inference time verification, reaching 71%.',
        ),
      ).toEqual(['71%']);
    });
    it('the memory of the GPU a method runs on and a share written as a participle are settings', () => {
      expect(texts('Training fits on a single 48 GB GPU and reaches 33.1 PSNR.')).toEqual(['33.1']);
      expect(texts('With 50%-sparse attention the model runs 2.1x faster.')).toEqual(['2.1x']);
    });
  });

  describe('"A to B" without "from"', () => {
    it('a further "A to B" coordinated after "from A to B" is a change: A is its baseline, not a claim', () => {
      const t = 'The method lowers the error from 0.61 to 0.33 and 12.5% to 7.4% on the night split.';
      expect(texts(t)).toEqual(['0.33', '7.4%']);
      expect(find(t, '7.4%').baseline?.value).toBe(12.5);
    });
    it('a parenthesis after a change gives its A and B', () => {
      const t = 'It improves FID by 21.4% (90.2 to 70.9) on the held-out scenes.';
      expect(texts(t)).toEqual(['21.4%', '70.9']);
      expect(find(t, '70.9').baseline?.value).toBe(90.2);
    });
  });

  describe('kind', () => {
    it('math delimiters and a bold wrapper around a value do not hide its cue words', () => {
      expect(kindOf('The adapter retains over $93\\%$ of the base model’s accuracy.', '93\\%')).toBe(
        'retention',
      );
      expect(kindOf('Ours beats the baseline by \\textbf{6.2\\%} in overall quality.', '6.2\\%')).toBe(
        'relative_improvement',
      );
    });
    it('a spread a quantity spans or diverges by is not a gain', () => {
      expect(kindOf('Inference cost spans over 40 times across the models we test.', '40 times')).toBe(
        'other',
      );
      expect(kindOf('Their policies diverge by more than 5x on hard tasks.', '5x')).toBe('other');
    });
    it('"within N of" a reference is the gap left to it', () => {
      expect(kindOf('The small model comes within 2.1% of the large one on MMLU.', '2.1%')).toBe('reduction');
      expect(kindOf('The student remains within 0.4 points on the hardest suite.', '0.4 points')).toBe(
        'reduction',
      );
    });
  });

  describe('units', () => {
    it('points of an averaged metric are percentage points', () => {
      expect(find('It beats the strongest baseline by 1.7 macro points.', '1.7 macro points').unit).toBe(
        'pp',
      );
      expect(find('Training adds 3.2 average points over the base model.', '3.2 average points').unit).toBe(
        'pp',
      );
    });
  });
});
