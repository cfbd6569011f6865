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
      expect(find('We test eleven deep optical flow networks on it.', 'eleven deep optical flow networks').kind).toBe(
        'scope',
      );
      expect(find('Results hold on 12 databases.', '12 databases').kind).toBe('scope');
    });
    it('(guard) the first plural ends the run; a verb, "all", "but" or "yet" is no modifier', () => {
      const t = 'We collect 310 test reports spanning six inspection methods.';
      expect(texts(t)).toContain('310 test reports');
      expect(texts('Version 3.2 consistently outperformed all other trackers.')).toEqual([]);
      expect(texts('We find 4 small but consistent regional effects.')).toEqual([]);
    });
  });
});
