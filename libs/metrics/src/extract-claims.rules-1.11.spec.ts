// metrics-1.11.0: the noun phrase a value quantifies decides its metric (head-phrase.ts). Error classes found across
// dev-6, dev-7 and dev-8; sentences are written for the test, not copied from the labelled sets.
import { ownHeadMetric } from './head-phrase';
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.11.0 rules: the value’s own noun phrase', () => {
  describe('a phrase right after the value', () => {
    it('an unknown acronym after a score is its own metric: the metric of the value before it is not lent', () => {
      const t = 'Fine-tuning gains 1.2 dB PSNR and 0.031 DISTS on the test scenes.';
      expect(metricOf(t, '1.2 dB')).toBe('psnr');
      expect(metricOf(t, '0.031')).toBeNull();
    });
    it('a bare score its own measured phrase follows is a claim', () => {
      expect(texts('It beats the previous camera-only method by 2.3 EPDMS.')).toEqual(['2.3']);
      expect(
        texts('The planner reaches 36.1 mAP for detection and a 0.41 collision rate in closed loop.'),
      ).toEqual(['36.1', '0.41']);
      expect(
        metricOf('The student, at 40% lower latency, gets 7.8 HPSv2 on the benchmark.', '7.8'),
      ).toBeNull();
    });
    it('a change noun after the value is its head: a list-mate’s metric is not taken', () => {
      const t =
        'On the occupancy benchmark we obtain a 3.9% improvement in mIoU and 1.8x acceleration over the baseline.';
      expect(metricOf(t, '3.9%')).toBe('miou');
      expect(metricOf(t, '1.8x')).toBeNull();
    });
    it('a measured phrase the table does not know, after adjectives, names no metric', () => {
      const t =
        'The student cuts model size by 30x while matching the teacher within a 0.4% average relative gap.';
      expect(metricOf(t, '30x')).toBe('model size');
      expect(metricOf(t, '0.4%')).toBeNull();
    });
    it('a time the table does not know after a duration names no metric', () => {
      const t = 'The verifier raises the success rate to 61%, with 95.2 ms mean verification time per chunk.';
      expect(metricOf(t, '61%')).toBe('success rate');
      expect(metricOf(t, '95.2 ms')).toBeNull();
    });
    it('a comparative and the phrase after it: "lower overall score" names none', () => {
      const t = 'Runs with one fired error show 35% lower overall score than clean runs.';
      expect(metricOf(t, '35%')).toBeNull();
    });
    it('the counted object after a comparative: "fewer planner tokens" is token usage', () => {
      expect(metricOf('It answers with 4x fewer planner tokens than the RAG baselines.', '4x')).toBe(
        'token usage',
      );
    });
  });

  describe('a phrase before the value', () => {
    it('"<phrase> from A to B": the phrase before "from" is what B measures', () => {
      const t =
        'Retrieval lifts rule-following accuracy from 0.512 to 0.688 under latency budgets at runtime.';
      expect(metricOf(t, '0.688')).toBe('accuracy');
    });
    // a guard (1.10.0 passes it): the phrase stops at "-ed" words, the table name must still be found whole
    it('a table name that begins with an "-ed" word is found whole', () => {
      const t = 'It raises mAP from 10.1 to 14.5 and balanced accuracy from 51.2% to 57.9%.';
      expect(metricOf(t, '57.9%')).toBe('balanced accuracy');
    });
    it('"X success" after a change verb is a success rate', () => {
      expect(metricOf('Self-repair improves grasping success from 48% to 66%.', '66%')).toBe('success rate');
      expect(metricOf('Our skill library raises shell success to 58.4%.', '58.4%')).toBe('success rate');
    });
    it('a gap moved "from A to B" names no metric, whatever the clause measured before', () => {
      const t =
        'Tuning improves macro F1 by 12 points in both languages while reducing the transfer gap from 4.1 to 2.2pp.';
      expect(metricOf(t, '12 points')).toBe('f1');
      expect(metricOf(t, '2.2pp')).toBeNull();
    });
    it('"<score name> of N" names none when the table does not know it, "an FID score of N" names FID', () => {
      const t =
        'With 40% lower latency, the agent also reaches a route completion score of 71.25 on the test towns.';
      expect(metricOf(t, '40%')).toBe('latency');
      expect(metricOf(t, '71.25')).toBeNull();
      expect(
        metricOf('The generator attains a Fréchet Inception Distance (FID) score of 12.4 on faces.', '12.4'),
      ).toBe('fid');
    });
    it('a rate the table does not know, set to a decimal by "of", is a claim with no metric', () => {
      const c = find(
        'The tagger agrees with experts and keeps a low out-of-scope rate of 0.07 with high accuracy.',
        '0.07',
      );
      expect([c.category, c.kind, c.metric]).toEqual(['result', 'absolute_score', null]);
    });
  });

  // guards (1.10.0 passes them): a table name inside a longer measured phrase still names the metric
  describe('table names inside a measured phrase', () => {
    it('"F1 macro score", "Dice similarity coefficient of", "acceleration in inference speed"', () => {
      expect(metricOf('The classifier reaches a 0.87 F1 macro score on the test split.', '0.87')).toBe('f1');
      expect(
        metricOf('It achieves a Dice similarity coefficient of 0.88 on the cardiac masks.', '0.88'),
      ).toBe('miou');
      expect(metricOf('Caching gives at least a 3.2x acceleration in inference speed.', '3.2x')).toBe(
        'speed',
      );
      expect(metricOf('It achieves a 1.5 times speedup on NVIDIA A100 GPUs.', '1.5 times')).toBe('speed');
    });
    it('integers before an acronym are counts, not scores', () => {
      expect(texts('Evaluated on a 25-benchmark suite (12 VLM, 9 LLM, 4 Video), it wins most.')).toEqual([]);
    });
  });

  // guards (1.10.0 passes them): phrases whose head is not a measured quantity leave the 1.10.0 rules in charge
  describe('phrases that decide nothing', () => {
    it('a share, a count or a bare anaphoric "score" leaves the clause rules in charge', () => {
      expect(ownHeadMetric('the patch adds only ', '% of the parameters')).toEqual({
        decided: false,
        metric: null,
      });
      expect(ownHeadMetric('trained on ', ' GPUs for a day')).toEqual({ decided: false, metric: null });
      expect(ownHeadMetric('an FID score of 73 for edges and a score of ', ' for faces')).toEqual({
        decided: false,
        metric: null,
      });
      expect(ownHeadMetric('on a single RTX ', ' GPU')).toEqual({ decided: false, metric: null });
    });
    it('"additional parameters" after a share is not model size (a share the method touches)', () => {
      expect(
        metricOf('The prefix adds only 0.004% additional parameters to the model.', '0.004%'),
      ).toBeNull();
    });
  });
});
