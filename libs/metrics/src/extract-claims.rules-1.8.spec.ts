// metrics-1.8.0: one block per error class found on dev-5.jsonl (and dev..dev-4). Sentences are written for the
// test, not copied from the labelled sets.
import { extractClaims } from './index';
import { find, texts } from './spec-helpers';

describe('metrics-1.8.0 rules', () => {
  describe('units and counts', () => {
    it('a count whose noun is written once after the second count of a pair', () => {
      const t = 'The corpus holds 1,200 English and 950 German news articles.';
      expect(find(t, '1,200 English').unit).toBe('count');
      expect(find(t, '1,200 English').kind).toBe('size');
      const u = 'We compare 6 closed and 9 open-weight models.';
      expect(find(u, '6 closed').kind).toBe('scope');
      expect(find(u, '9 open-weight models').kind).toBe('scope');
      // a value on a benchmark and a second value is no shared noun
      expect(texts('It scores 71 on AIME and 12 more problems are solved.')).not.toContain('71 on');
    });
    it('a lower-case billion, a modifier before "parameters" and a range of parameter scales are model sizes', () => {
      expect(find('A 3b parameter model beats a 13b model.', '3b parameter').value).toBe(3e9);
      expect(find('A 3b parameter model beats a 13b model.', '13b').unit).toBe('params');
      const t = 'The adapter has only 4.2M trainable parameters.';
      expect(find(t, '4.2M trainable parameters').unit).toBe('params');
      const u = 'The trend holds for parameter scales from 22M to 307M.';
      // "from A to B" sizes the setup with B (A is its baseline, as for "from 28M to 120M parameters")
      expect(extractClaims(u).map((c) => [c.unit, c.kind, c.value])).toEqual([['params', 'size', 307e6]]);
      expect(find('We train it at both 1B and 3B scales.', '3B').unit).toBe('params');
    });
    it('a scale letter written apart from FLOPs is a compute amount', () => {
      const c = find('The detector reaches 44.1 AP at 95G FLOPs.', '95G FLOPs');
      expect([c.value, c.unit, c.unitText, c.metric, c.kind]).toEqual([
        95e9,
        'other',
        'FLOPs',
        'compute',
        'absolute_score',
      ]);
    });
    it('scenarios are the size of a benchmark, use cases its scope', () => {
      expect(find('The suite has 64 driving scenarios.', '64 driving scenarios').kind).toBe('size');
      expect(find('We study four practical use cases.', 'four practical use cases').kind).toBe('scope');
    });
    it('scales, requirements and discrepancies of the method are not counts', () => {
      expect(texts('We balance two competing requirements of the design.')).toEqual([]);
      expect(texts('The objective minimizes three discrepancies between views.')).toEqual([]);
    });
  });

  describe('kind', () => {
    it('a rate or compute unit reports the level reached unless it is asked for', () => {
      expect(find('The tracker runs at 48 FPS on a laptop.', '48 FPS').kind).toBe('absolute_score');
      expect(find('It processes about 210 frames per second.', '210 frames per second').kind).toBe(
        'absolute_score',
      );
      expect(find('The task requires 30 FPS input streams.', '30 FPS').kind).toBe('other');
    });
  });

  describe('ranges', () => {
    it('"ranging from A to B" with units is one range, a negative lower end keeps its sign', () => {
      const c = find('Recall gains ranging from -0.6% to 4.1% are seen.', '-0.6% to 4.1%');
      expect([c.value, c.low, c.kind, c.metric]).toEqual([4.1, -0.6, 'relative_improvement', 'recall']);
      // both ends negative: a reduction, read as before
      expect(find('Loss fell by -2% to -5%.', '2%').kind).toBe('reduction');
    });
  });

  describe('metric', () => {
    it('"<metric> efficiency" measures how well a resource is used, not the resource', () => {
      expect(find('The kernel reaches 64.2% compute efficiency on the NPU.', '64.2%').metric).toBeNull();
      expect(find('It brings a 2.1x gain in energy efficiency.', '2.1x').metric).toBeNull();
    });
    it('a name set equal to the next value is not the metric of the value before it', () => {
      const t = 'The detector obtains an F1 of 0.81 (precision: 0.77, recall: 0.85).';
      expect(find(t, '0.81').metric).toBe('f1');
      expect(find(t, '0.77').metric).toBe('precision');
      expect(find(t, '0.85').metric).toBe('recall');
    });
    it('"N% performance" names no metric, even with one elsewhere in the sentence', () => {
      const t = 'Inference cost drops sharply, with the distilled student keeping 97% performance.';
      expect(find(t, '97%').metric).toBeNull();
    });
    it('a metric right before the change noun that introduces the value is its metric', () => {
      const t = 'We see F1 gains ranging from 0.8% to 3.5%, while the best model reaches an AUC of 0.91.';
      expect(find(t, '0.8% to 3.5%').metric).toBe('f1');
      expect(find(t, '0.8% to 3.5%').kind).toBe('relative_improvement');
      expect(find('BLEU improvements of about 12.4% are found on WMT.', '12.4%').metric).toBe('bleu');
    });
    it('fewer parameters in other words: "reduction in parameters", "the number of trainable parameters"', () => {
      expect(find('The student gives a 64% reduction in parameters.', '64%').metric).toBe('model size');
      const t = 'It lowers the number of trainable parameters by up to 40x while keeping accuracy.';
      expect(find(t, '40x').metric).toBe('model size');
    });
    it('the object of a change verb names the metric even when it is a generic one', () => {
      const t = 'It gains 9% accuracy over the baselines while reducing computational costs by up to 30x.';
      expect(find(t, '30x').metric).toBe('compute');
      expect(find('The filter shows 100% false positive rates on noisy inputs.', '100%').metric).toBe(
        'false positive rate',
      );
    });
  });
});
