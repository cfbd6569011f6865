// metrics-1.9.0: one block per error class found on dev-6.jsonl (and dev-5.jsonl). Sentences are written for the
// test, not copied from the labelled sets.
import { extractClaims } from './index';
import { find, texts } from './spec-helpers';

const row = (t: string, span: string): unknown[] => {
  const c = find(t, span);
  return [c.value, c.unit, c.category, c.kind, c.metric];
};

describe('metrics-1.9.0 rules', () => {
  describe('names and the paper own parts', () => {
    it('a size glued after a model name and a colon, or after "vN", names a model', () => {
      expect(texts('The agent built on mistral2:12B answers best.')).toEqual([]);
      expect(texts('The best open model, ORCA-X v2 34B, lags behind.')).toEqual([]);
      // a size that sizes the setup stays
      expect(find('We train a 34B model.', '34B').unit).toBe('params');
    });
    it('"N such X" points back at parts already named; explored and enabled parts are the paper own', () => {
      expect(texts('We describe pivoting and apply two such strategies to the pair.')).toEqual([]);
      expect(texts('We then explore three lightweight planner variants, namely A, B and C.')).toEqual([]);
      expect(texts('The score can enable four practical editing applications.')).toEqual([]);
      // the breadth of an evaluation is no own part
      expect(find('We explore three datasets.', 'three datasets').kind).toBe('scope');
    });
  });

  describe('spans and values', () => {
    it('"an order of magnitude" is a tenfold change, and only a change', () => {
      expect(row('It cuts compute requirements by an order of magnitude.', 'an order of magnitude')).toEqual([
        10,
        'x',
        'result',
        'reduction',
        'compute',
      ]);
      expect(texts('The estimate is within an order of magnitude of the bound.')).toEqual([]);
    });
    it('"N-billion-token" and "N-trillion-token" are token counts', () => {
      expect(row('We release a 2.5-trillion-token corpus.', '2.5-trillion-token')).toEqual([
        2.5e12,
        'tokens',
        'setup',
        'size',
        null,
      ]);
      expect(find('They train a 13-billion-parameter model.', '13-billion-parameter').value).toBe(13e9);
    });
    it('two modifiers joined by "and" before a counted noun belong to the count', () => {
      const t = 'It is evaluated on 11 synthetic and real-world datasets.';
      expect(row(t, '11 synthetic and real-world datasets')).toEqual([11, 'count', 'setup', 'scope', null]);
      expect(texts('We compare 3 and 4 layers.')).not.toContain('3 and 4 layers');
    });
    it('"from over A to about B" is a change to B, and a duration a change verb moves is a result', () => {
      const t = 'The tool cuts review time from over 20 hours to about 2 hours per paper.';
      const c = find(t, '2 hours');
      expect([c.category, c.kind, c.baseline?.value]).toEqual(['result', 'absolute_score', 20]);
      expect(texts(t)).toEqual(['2 hours']);
    });
    it('an explicit sign on a bare number is a change when the clause names a metric or a gain', () => {
      const t = 'It improves the baseline in terms of mAP on KITTI (+4.1) and nuScenes (+2.6).';
      expect(extractClaims(t).map((c) => [c.value, c.kind, c.metric])).toEqual([
        [4.1, 'relative_improvement', 'map'],
        [2.6, 'relative_improvement', 'map'],
      ]);
      expect(row('with F1 differences as small as -0.012 across sites.', '0.012')).toEqual([
        0.012,
        'score',
        'result',
        'reduction',
        'f1',
      ]);
      expect(texts('We set the offset to -3 in every run.')).toEqual([]);
    });
  });

  describe('kinds', () => {
    it('"by ~95%" reads the approximation sign as "about"', () => {
      expect(find('It reduces annotation needs by ~80% overall.', '80%').kind).toBe('reduction');
      expect(find('It reduces annotation needs by $\\sim$80\\% overall.', '80\\%').kind).toBe('reduction');
    });
    it('a physical amount with a comparative after it is a change', () => {
      expect(row('Our codec has 3.5 dB higher PSNR than JPEG.', '3.5 dB')).toEqual([
        3.5,
        'other',
        'result',
        'relative_improvement',
        'psnr',
      ]);
    });
    it('a physical amount a named metric takes is the level reached', () => {
      const t = 'It reaches a mean absolute error (MAE) of 3.2 years, and 2.9 years MAE on the new set.';
      expect(find(t, '3.2 years').kind).toBe('absolute_score');
      expect(find(t, '2.9 years').kind).toBe('absolute_score');
      expect(row('The model needs only 300KB storage on device.', '300KB')).toEqual([
        300e3,
        'bytes',
        'result',
        'absolute_score',
        'model size',
      ]);
    });
    it('"N out of M" is a count the paper finds, with no metric', () => {
      const t = 'The F1 score improves for 7 out of 10 diseases.';
      expect(row(t, '7')).toEqual([7, 'count', 'result', 'other', null]);
      expect(texts('One out of 40 class labels is kept.')).not.toContain('One');
    });
    it('values listed after a change share its kind past a qualifier or an "over X"', () => {
      const t = 'It improves recall by 40% over dense retrievers and 12% over BM25.';
      expect(extractClaims(t).map((c) => c.kind)).toEqual(['relative_improvement', 'relative_improvement']);
      const u = 'It lifts AP by 3-9%, 2-5%, and more than 20%, respectively.';
      expect(find(u, '20%').kind).toBe('relative_improvement');
      const v = 'It beats X by 8.1% and 4.2% with 5% and 20% of the labels, respectively.';
      expect(find(v, '20%').kind).toBe('other');
    });
    it('a share of the model weights is a condition with no metric', () => {
      expect(row('While tuning only 12% of the model parameters, it matches full tuning.', '12%')).toEqual([
        12,
        '%',
        'result',
        'other',
        null,
      ]);
    });
    it('a percentage of a resource measured against a reference is retained', () => {
      const t = 'It requires only 2MB storage and 0.5% energy consumption compared to the CNN.';
      expect(row(t, '0.5%')).toEqual([0.5, '%', 'result', 'retention', 'energy']);
      expect(find('It reaches 30% accuracy compared to X.', '30%').kind).toBe('absolute_score');
    });
  });

  describe('metrics', () => {
    it('OA, SacreBLEU, EER, MPrecision and electricity usage are table metrics', () => {
      expect(find('It improves OA by 2.1% on ModelNet.', '2.1%').metric).toBe('accuracy');
      expect(find('It reaches a SacreBLEU score of 21.4.', '21.4').metric).toBe('bleu');
      expect(find('It lowers the average EER by 0.8%.', '0.8%').metric).toBe('error rate');
      expect(find('It gains +1.2 in MPrecision on the set.', '1.2').metric).toBe('precision');
      expect(find('It uses 40% less electricity usage than X.', '40%').metric).toBe('energy');
    });
    it('a masked "while maintaining" phrase is no part of a comparative object', () => {
      const t = 'It needs 35% less energy while maintaining higher accuracy.';
      expect(find(t, '35%').metric).toBe('energy');
    });
    it('a value in parentheses right after a metric is that metric, whatever follows', () => {
      const t = 'It gets the best Dice (0.61) and IoU (0.45), representing strong accuracy.';
      expect(find(t, '0.45').metric).toBe('miou');
    });
    it('decimals inside "(Name: …)" are scores of that name, none when the table does not know it', () => {
      const t = 'It cuts storage by 90%, with strong results (QWK-Soft: 0.712 for task A, 0.655 for task B).';
      expect(extractClaims(t).map((c) => [c.value, c.metric])).toEqual([
        [90, 'model size'],
        [0.712, null],
        [0.655, null],
      ]);
      expect(find('It is strong (F1: 0.81 on A, 0.79 on B).', '0.79').metric).toBe('f1');
    });
  });
});
