// metrics-1.10.0: one block per error class found on dev-7.jsonl (Hugging Face Daily Papers). Sentences are written
// for the test, not copied from the labelled sets.
import { find, texts } from './spec-helpers';

const row = (t: string, span: string): unknown[] => {
  const c = find(t, span);
  return [c.value, c.low, c.unit, c.category, c.kind, c.metric];
};

describe('metrics-1.10.0 rules', () => {
  describe('numbers, ranges and "from A to B"', () => {
    it('"{,}" is a LaTeX thousands separator', () => {
      expect(row('The suite holds 12{,}480 prompts.', '12{,}480 prompts')).toEqual([
        12480,
        null,
        'count',
        'setup',
        'size',
        null,
      ]);
    });
    it('a range whose upper end carries an explicit plus is one range', () => {
      const t = 'The agent gains +4.1 to +9.7 percentage points over the baseline.';
      expect(texts(t)).toEqual(['4.1 to +9.7 percentage points']);
      expect(find(t, '4.1 to +9.7 percentage points').low).toBe(4.1);
    });
    it('the B of "from A to B" may itself be a range written with its unit once', () => {
      const c = find('Pruning lifts recall from about 5% to 31-40% on the hard split.', '31-40%');
      expect([c.value, c.low, c.baseline?.value, c.kind]).toEqual([40, 31, 5, 'absolute_score']);
    });
    it('where A was measured may stand between A and "to B"', () => {
      const t = 'Accuracy drops from 80.2% on clean images to 51.7% under heavy blur.';
      expect(texts(t)).toEqual(['51.7%']);
      expect(find(t, '51.7%').baseline?.value).toBe(80.2);
    });
    it('a scaled duration is a duration, a size before "student"/"teacher" or a list ending in "parameter" is params', () => {
      expect(row('We pretrain on 12k hours of speech.', '12k hours')).toEqual([
        12000,
        null,
        'other',
        'setup',
        'size',
        null,
      ]);
      expect(find('The 2.7B student runs on one GPU.', '2.7B').unit).toBe('params');
      expect(find('We train at the 350M, 2B and 7B parameter scales.', '350M').unit).toBe('params');
    });
  });

  describe('comparisons are not claims', () => {
    it("a competitor's score in parentheses after a dotted name or after its name and a comma", () => {
      expect(texts('Ours reaches 61.2%, outperforming Qwen-2.5-Max (55.0%).')).toEqual(['61.2%']);
      expect(
        texts('It gives a 4.2 percentage point improvement over the best open model (Orca-Lite-13B, 57.0%).'),
      ).toEqual(['4.2 percentage point']);
    });
    it('a competitor\'s score after "outperforming X at" or "surpassing the X result of"', () => {
      const t = 'Our agent reaches a 70.4% pass rate, outperforming the strongest scripted agent at 52.3%.';
      expect(texts(t)).toEqual(['70.4%']);
      expect(find(t, '70.4%').baseline?.value).toBe(52.3);
      expect(
        texts('The small model attains an FID of 3.1, surpassing the previous best diffusion result of 3.9.'),
      ).toEqual(['3.1']);
    });
  });

  describe('kinds', () => {
    it('"plummets by", "saves N% of" are reductions; a gain after "with" is another phrase\'s', () => {
      expect(find('The recovery rate plummets by 41% under noise.', '41%').kind).toBe('reduction');
      expect(find('Early stopping saves 30%-45% of the rollouts.', '30%-45%').kind).toBe('reduction');
      expect(
        find('The filter reduces false alarms by 33% with consistent gains per class.', '33%').kind,
      ).toBe('reduction');
    });
    it('a margin "above the" baseline is a gain, "below the" a reduction', () => {
      expect(find('It keeps 61.0% accuracy, 4.4%p above the strongest baseline.', '4.4%p').kind).toBe(
        'relative_improvement',
      );
      expect(find('Ours stays 2.1 points below the teacher.', '2.1 points').kind).toBe('reduction');
    });
    it('"a gap of approximately N" is a difference; "improvements of N dB" a gain; "to merely N% of" retention', () => {
      expect(find('We find a gap of approximately 12-15 pp between the two splits.', '12-15 pp').kind).toBe(
        'relative_improvement',
      );
      expect(find('It yields average improvements of 1.4 dB PSNR.', '1.4 dB').kind).toBe(
        'relative_improvement',
      );
      expect(find('It shrinks the cache to merely 4% of the full cache.', '4%').kind).toBe('retention');
    });
    it('a share of trainable parameters written before them is a condition with no metric', () => {
      const c = find('With about 2% trainable parameters, the adapter matches full tuning.', '2%');
      expect([c.kind, c.metric]).toEqual(['other', null]);
    });
  });

  describe('metrics', () => {
    it('"improving over X by" takes the metric of its clause, as "outperforming X by"', () => {
      const t =
        'The model reaches 64.2% accuracy on the suite, improving over the strongest open baseline by 9.1 points.';
      expect(find(t, '9.1 points').metric).toBe('accuracy');
    });
    it('a margin "above the" baseline after a score takes the score\'s metric', () => {
      expect(
        find('It keeps 61.0% average accuracy, 4.4%p above the strongest baseline.', '4.4%p').metric,
      ).toBe('accuracy');
    });
    it('"attack success" is the attack success rate; a capitalised word before F1 names an F1', () => {
      expect(find('Fabricated rules reach 58.0% attack success.', '58.0%').metric).toBe(
        'attack success rate',
      );
      expect(find('The agent scores Cell-F1 71.5 on the tables.', '71.5').metric).toBe('f1');
      expect(find('It sets a new EtF1 of 40.2% on the benchmark.', '40.2%').metric).toBe('f1');
    });
  });

  describe('counted nouns', () => {
    it('systems, configurations, workloads, frameworks, cities and counties are the breadth of an evaluation', () => {
      expect(find('We benchmark 14 retrieval systems.', '14 retrieval systems').kind).toBe('scope');
      expect(find('Across 9 model configurations, it wins.', '9 model configurations').kind).toBe('scope');
      expect(find('It covers 4,210 cities and counties.', '4,210 cities').kind).toBe('scope');
    });
    it("a metric's name before a listed scope noun is a modifier of the count", () => {
      expect(row('We compare 8 open memory systems.', '8 open memory systems')).toEqual([
        8,
        null,
        'count',
        'setup',
        'scope',
        null,
      ]);
    });
  });
});
