// metrics-1.31.0: ranges, benchmarks, lists of measures and kinds of changes, from the errors of the development set
// dev-31 (metrics-1.30.0 measured on it unseen first), the remaining errors of dev … dev-30, and known misses of session
// 25's review (brief claims26). Every sentence here is written for this spec: none is a sample's, a dev set's or an
// acceptance abstract's (tools/eval/acceptance-guard.spec.ts).
import { find, texts } from './spec-helpers';

describe('metrics-1.31.0 rules', () => {
  describe('a measure that ranges or varies from A to B is one range, not a change', () => {
    it('"ranged / varies from A to B" of scores and measured units gives low A, no baseline', () => {
      expect(
        find('Across the five hospitals, recall ranged from 0.58 to 0.86.', '0.58 to 0.86'),
      ).toMatchObject({
        value: 0.86,
        low: 0.58,
        unit: 'score',
        metric: 'recall',
        baseline: null,
      });
      expect(find('Macro F1 varies from 0.44 to 0.71 over the probes.', '0.44 to 0.71')).toMatchObject({
        low: 0.44,
        metric: 'f1',
        baseline: null,
      });
      expect(find('Per-request latencies vary from 9 ms to 31 ms.', '9 ms to 31 ms')).toMatchObject({
        value: 31,
        low: 9,
        baseline: null,
      });
    });
    it('a change from A to B and a range of sizes keep reading B', () => {
      expect(find('Recall rose from 0.58 to 0.86 after tuning.', '0.86').baseline).toMatchObject({
        value: 0.58,
      });
      expect(find('We test models ranging from 2B to 9B parameters.', '9B parameters').low).toBeNull();
    });
    it('a bare number that opens a range after "over" is no value compared with', () => {
      const t = 'The depth error ranges from 0.8 to 1.4 m over 0-30 m of water.';
      expect(find(t, '0.8 to 1.4 m').baseline).toBeNull();
      expect(texts(t)).toContain('0-30 m');
      // ("A vs. B" of two ranges keeps B as the baseline)
      expect(
        find('Agreement reached 71--78% vs. 50--62% for the base prompts.', '71--78%').baseline,
      ).toMatchObject({
        value: 50,
      });
    });
  });

  describe('the benchmark a value was measured on', () => {
    it("a benchmark past a clause break or opening another value's phrase is that value's", () => {
      const t = 'Dropping half the heads costs 1.4% accuracy, while perplexity on PileVal rises by only 0.3.';
      expect(find(t, '1.4%').dataset).toBeNull();
      expect(find(t, '0.3').dataset).toBe('PileVal');
      const u = 'Tuning lifts exact match on Open Trivia by 3.2 points and F1 on SQuADv2 by 1.7 points.';
      expect(find(u, '3.2 points').dataset).toBe('Open Trivia');
      expect(find(u, '1.7 points').dataset).toBe('SQuADv2');
    });
    it('a name of two or more capitalised words between the value\'s own "on" and "by" is its benchmark', () => {
      expect(find('It improves F1 on Penn Treebank by 1.3%.', '1.3%').dataset).toBe('Penn Treebank');
    });
    it('a name compounded into a modifier ("-based", "-style") is no benchmark', () => {
      expect(find('Accuracy improves by 2.6% on Qwen2-based agents.', '2.6%').dataset).toBeNull();
      expect(find('We get 44.1% on MMLU-Pro.', '44.1%').dataset).toBe('MMLU-Pro');
    });
    it('names before a system noun are the systems, not a benchmark', () => {
      const t = 'Experiments on UNet and DiT models show a 1.9x speedup at equal quality.';
      expect(find(t, '1.9x').dataset).toBeNull();
    });
  });

  describe('a level stated with a bound, in math of its own', () => {
    it('"greater than \\(0.8\\)" and "is above 0.8" of a named measure are scores', () => {
      expect(
        find('The detector reaches an AUC greater than \\(0.85\\) on every site.', '0.85'),
      ).toMatchObject({
        kind: 'absolute_score',
        metric: 'auc',
      });
      expect(find('The F1 is above 0.9 on both corpora.', '0.9').metric).toBe('f1');
      expect(find('The F1 is above $0.9$ on both corpora.', '0.9').metric).toBe('f1');
    });
    it('a value that opens a formula or a compound in math stays no score', () => {
      expect(texts('The scheme attains a bound of $1 + \\frac{1}{n}$ for all $n$.')).toEqual([]);
      expect(texts('Latency drops at $256$-token prompts.')).not.toContain('256');
    });
    it('a signed value alone in math keeps the unit written after it', () => {
      expect(find('The paired gap is $-12.4$ pp in favour of the filter.', '12.4$ pp')).toMatchObject({
        unit: 'pp',
        value: 12.4,
      });
    });
  });

  describe('lists of values and their measures', () => {
    it('names listed after the values pair with them in order, a name the table lacks keeps its place', () => {
      const t = 'The forecaster attains 0.41 and 6.2% in MAE and MAPE, respectively.';
      expect(find(t, '0.41')).toMatchObject({ metric: 'mae', unit: 'score' });
      expect(find(t, '6.2%').metric).toBeNull();
      const u = 'We obtain 48% and 52% reductions in RMSE and SAM, respectively.';
      expect(find(u, '48%').metric).toBe('rmse');
      expect(find(u, '52%').metric).toBeNull();
      const v = 'It brings gains of 21.4% and 30.2% in FID and KID scores.';
      expect(find(v, '21.4%').metric).toBe('fid');
      expect(find(v, '30.2%').metric).toBeNull();
      // (a modifier list before one measure still shares it)
      const w = 'gains of 4.1% and 6.3% in span and token F1-score, respectively.';
      expect(find(w, '4.1%').metric).toBe('f1');
      expect(find(w, '6.3%').metric).toBe('f1');
    });
    it('names listed before the values, a lowercase head or "are" between, pair with them', () => {
      const t = 'The model shows a dice score and IoU of 0.912 and 0.847, respectively.';
      expect(find(t, '0.912').metric).toBe('miou');
      expect(find(t, '0.847').metric).toBe('miou');
      const u = 'MAPE and MAE are 5.1% and 0.33, respectively.';
      expect(find(u, '5.1%').metric).toBeNull();
      expect(find(u, '0.33').metric).toBe('mae');
    });
    it("a metric a bound links to the next value is that value's", () => {
      const t = 'Dice coefficients ranged from 0.702 to 0.781, with mean contour errors below 0.9 mm.';
      expect(find(t, '0.702 to 0.781').metric).toBe('miou');
      expect(find(t, '0.9 mm').metric).toBe('error rate');
    });
    it('a measure written after each value of a list is a tag: the list shares the change', () => {
      const t = 'It beats the prior best by 11% MAE, 8% MAE and 6% MAE on the three splits.';
      for (const s of ['11%', '8%', '6%'])
        expect(find(t, s)).toMatchObject({ kind: 'relative_improvement', metric: 'mae' });
    });
    it('"absolute" after the last percentage makes the list points, "relative" keeps a percentage', () => {
      const t = 'The agent gains 3.2%, 4.4%, 2.9% absolute improvements over the strongest baselines.';
      for (const s of ['3.2%', '4.4%'])
        expect(find(t, s)).toMatchObject({ unit: 'pp', kind: 'relative_improvement' });
      const u = 'It improves the base model (6% absolute and 11% relative improvement in mean IoU).';
      expect(find(u, '11%').unit).toBe('%');
    });
    it('benchmark names with "@" between listed values do not break the list', () => {
      const t = 'Expansion yields relative improvements of up to 19.2% in nDCG@10 and 35.5% in Recall@100.';
      expect(find(t, '35.5%')).toMatchObject({ kind: 'relative_improvement', metric: 'recall' });
    });
    it('whole numbers listed before a counted number count its noun', () => {
      const t = 'It wins under budgets of 20, 40, and 80 queries.';
      expect(texts(t)).toEqual(expect.arrayContaining(['20', '40', '80 queries']));
      expect(find(t, '40').unit).toBe('count');
      // (settings and the model's parts are no counts: "3 or 4 orders of magnitude", "20 and 50 epochs")
      expect(texts('They need 3 or 4 orders of magnitude more data.')).not.toContain('3');
      expect(texts('We train for 30 and 60 epochs.')).not.toContain('30');
    });
  });

  describe('kinds of changes', () => {
    it('a decrease verb with a qualifier and no "by" is a reduction', () => {
      expect(find('Queue length decreased on average 24% after the change.', '24%').kind).toBe('reduction');
    });
    it('the median or mean of a change in parentheses after it is that change', () => {
      const t = 'The filter reduces toxicity scores by 20-45% (median 31%) at no cost.';
      expect(find(t, '31%').kind).toBe('reduction');
    });
  });
});
