// metrics-1.33.0: kinds and result metrics, the largest gaps on the held-out sets, from the kind confusions and the wrong
// or missing result metrics of metrics-1.32.0 pooled over every dev set (dev … dev-33, dev-33 measured unseen first).
// Every sentence here is written for this spec: none is a sample's, a dev set's or an acceptance abstract's
// (tools/eval/acceptance-guard.spec.ts).
import { find } from './spec-helpers';

describe('metrics-1.33.0 rules', () => {
  describe('a value right after "at" that follows a score of its clause is the operating point of that score', () => {
    it('compute, a share, a time and a rate a score is reported at are conditions that keep their metric', () => {
      const t = 'The tiny variant reaches 71.4% top-1 accuracy at 0.6 GFLOPs and the base one 79.2% at 2.4 GFLOPs.';
      expect(find(t, '0.6 GFLOPs')).toMatchObject({ category: 'result', kind: 'other', metric: 'compute' });
      expect(find(t, '2.4 GFLOPs')).toMatchObject({ category: 'result', kind: 'other', metric: 'compute' });
      expect(find(t, '71.4%')).toMatchObject({ kind: 'absolute_score', metric: 'accuracy' });
      expect(find('The filter keeps 0.81 macro-F1 at 64.5% coverage on the test split.', '64.5%').kind).toBe('other');
      expect(find('The reader answers 68% of queries at ~4s per query.', '4s')).toMatchObject({
        category: 'result',
        kind: 'other',
      });
      expect(find('It streams chunks as short as 120 ms at 30 fps.', '30 fps')).toMatchObject({
        kind: 'other',
        metric: 'throughput',
      });
    });
    it('(guard) a rate reached with no score before it, and a second level joined by "and", stay levels', () => {
      expect(find('The renderer runs at 45 FPS on a laptop GPU.', '45 FPS')).toMatchObject({
        kind: 'absolute_score',
        metric: 'throughput',
      });
      expect(
        find('Leakage stays below 5% and answer overlap at 12-18% across the splits.', '12-18%').kind,
      ).not.toBe('other');
    });
  });

  describe('counted systems, sources and conditions an evaluation covers are its breadth', () => {
    it.each([
      ['We query three commercial speech providers with the same clips.', 'three commercial speech providers'],
      ['Results hold across four independent cohorts from two hospitals.', 'four independent cohorts'],
      ['The evaluation spans 14 open-source repositories in five languages.', '14 open-source repositories'],
      ['We report scores on 12 curated subsets of the benchmark.', '12 curated subsets'],
      ['The survey covers 4 continents and 9 locales.', '4 continents'],
      ['We compare six dense retrievers and three rerankers.', 'six dense retrievers'],
      ['Each prompt is asked under five persona conditions.', 'five persona conditions'],
    ])('%s', (t, span) => {
      expect(find(t, span)).toMatchObject({ category: 'setup', kind: 'scope' });
    });
  });

  describe('the table metric a plural form names', () => {
    it('"token counts" is token usage', () => {
      expect(find('The encoder cuts token counts by 30x for long videos.', '30x').metric).toBe('token usage');
    });
  });
});
