// metrics-1.14.0: the causes dev-7, dev-8 and dev-9 still showed under metrics-1.13.0 (libs/metrics/README.md,
// "metrics-1.14.0"). Sentences are written for the test, not copied from the labelled sets.
import { find, texts } from './spec-helpers';

describe('metrics-1.14.0 rules', () => {
  describe('a long run of modifiers before a counted noun', () => {
    it('up to five lower-case modifiers before a listed plural noun count it', () => {
      const t = 'We retrain five recent open-vocabulary semantic segmentation architectures from scratch.';
      const c = find(t, 'five recent open-vocabulary semantic segmentation architectures');
      expect(c.unit).toBe('count');
      expect(c.kind).toBe('scope');
    });
    it('three unknown modifiers before an unlisted plural count it', () => {
      const t = 'The corpus holds 9,400 densely aligned sign-language gloss transcripts.';
      expect(find(t, '9,400 densely aligned sign-language gloss transcripts').kind).toBe('size');
    });
    it('networks and databases are compared systems and data collections (scope)', () => {
      expect(
        find('We test eleven deep optical flow networks on it.', 'eleven deep optical flow networks').kind,
      ).toBe('scope');
      expect(find('Results hold on 12 databases.', '12 databases').kind).toBe('scope');
    });
    it('(guard) the first plural ends the run; a verb, "all", "but" or "yet" is no modifier', () => {
      const t = 'We collect 310 test reports spanning six inspection methods.';
      expect(texts(t)).toContain('310 test reports');
      expect(texts('Version 3.2 consistently outperformed all other trackers.')).toEqual([]);
      expect(texts('We find 4 small but consistent regional effects.')).toEqual([]);
    });
  });

  describe('bare decimals a clause reads as scores', () => {
    it('"N on A and M on B": the second decimal said of a name is a score as the first', () => {
      const t = 'The agent achieves 54.2 on WebArena and 61.7 on WebArena-Lite under the same budget.';
      expect(texts(t)).toEqual(['54.2', '61.7']);
      expect(find(t, '61.7').kind).toBe('absolute_score');
    });
    it('"improves the state of the art to N", "lifting average performance by N over"', () => {
      expect(
        find('The larger variant improves the state of the art to 7.412 on the leaderboard.', '7.412').unit,
      ).toBe('score');
      const c = find('Merging lifts average performance by 2.37 over the base model.', '2.37');
      expect(c.category).toBe('result');
    });
    it('(guard) a decimal a verb moves a setting to stays out; so does a version after "and"', () => {
      expect(texts('We raise the sampling temperature to 0.7 for all runs.')).toEqual([]);
      expect(texts('It runs 2.5 on Ubuntu and 3.1 later.')).toEqual([]);
    });
  });

  describe('shares: how a whole splits is not a level reached', () => {
    it('a share of errors or failures is their breakdown (other)', () => {
      const t = 'Manual review shows that 64.2% of parser errors stem from nested tables.';
      expect(find(t, '64.2%').kind).toBe('other');
    });
    it('a share a part makes up of a measured whole is other, with no metric ("accounts for", "dominates", "captures")', () => {
      const t =
        'Attention dominates 71.5% of decoding latency, and the cache captures 88% of memory traffic but only 12% of compute.';
      for (const v of ['71.5%', '88%', '12%']) {
        expect(find(t, v).kind).toBe('other');
        expect(find(t, v).metric).toBeNull();
      }
    });
    it('a share of items a system completes or solves is a level it reaches', () => {
      const t = 'The strongest agent completes only 47.3% of expert-written checklist items.';
      expect(find(t, '47.3%').kind).toBe('absolute_score');
    });
    it('(guard) a share of cases a rate is measured on stays other; a share of performance stays retention', () => {
      expect(find('Hallucinations appear in 6.5% of cases.', '6.5%').kind).toBe('other');
      expect(find('The student keeps 95% of the teacher accuracy.', '95%').kind).toBe('retention');
    });
  });

  describe('model sizes written without "parameters"', () => {
    it('"a 1.3B-scale model", "a 45M vision encoder" are model sizes', () => {
      const t = 'Our 1.3B-scale model matches larger ones, and a 45M vision encoder suffices.';
      expect(find(t, '1.3B').unit).toBe('params');
      expect(find(t, '45M').unit).toBe('params');
    });
    it('a bare "M" size after a parameter count of the same sentence is a model size', () => {
      const t = 'DistilRoBERTa at 82M parameters rivals DeBERTa-v3 at 184M on every split.';
      expect(find(t, '184M').unit).toBe('params');
    });
    it('(guard) a counted noun after the size still decides', () => {
      const t = 'A 350M parameter model is trained on 60M curated images.';
      expect(find(t, '60M curated images').unit).toBe('count');
    });
  });

  describe('clip lengths written as modifiers', () => {
    it('"on 10-second clips", "under the 8-second 480P setting" are no claims', () => {
      expect(texts('On 10-second clips, the score rises from 71.2 to 74.0.')).toEqual(['74.0']);
      expect(texts('Under the 8-second 480P setting, it runs on one GPU.')).toEqual([]);
    });
    it('(guard) an hour-long corpus and a change of a duration stay', () => {
      expect(texts('We release a 36-hour speech corpus.')).toEqual(['36-hour']);
      expect(texts('It cuts the wait from 12 minutes to 3 minutes.')).toEqual(['3 minutes']);
    });
  });

  describe('a version number after a name counts nothing', () => {
    it('"Atlas-Gen 2.0 supports …", "Nova 1.0 reaches …" are names', () => {
      expect(texts('Atlas-Gen 2.0 supports diverse input modalities.')).toEqual([]);
      expect(texts('Nova 1.0 reaches new users quickly.')).toEqual([]);
    });
    it('(guard) an average count after a lower-case word stays', () => {
      expect(texts('Each image holds on average 4.6 instances.')).toEqual(['4.6 instances']);
    });
  });
});
