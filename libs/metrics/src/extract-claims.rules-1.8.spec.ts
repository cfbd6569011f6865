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
});
