// metrics-1.7.0: one block per error class found on dev-3.jsonl + dev-4.jsonl (and dev, dev-2). Sentences are
// written for the test, not copied from the labelled sets.
import { extractClaims } from './index';
import { find, findByRules, texts } from './spec-helpers';

describe('metrics-1.7.0 rules', () => {
  describe('kind', () => {
    it('a version dot in a name does not hide the verb before it', () => {
      const t =
        'Our schedule accelerates the training of Qwen-2.5 by 1.8$\\times$ and Phi-3.5 by 3.2$\\times$.';
      expect(find(t, '1.8$\\times$').kind).toBe('speedup');
      expect(find(t, '3.2$\\times$').kind).toBe('speedup');
      expect(find('It reduces the latency of GPT-3.5 by 41%.', '41%').kind).toBe('reduction');
    });
    it('values each followed by the benchmark they were measured on share the kind said once', () => {
      const t = 'It surpasses the baselines by 2.4% on VQAv2 and 3.1% on TextVQA.';
      expect(find(t, '3.1%').kind).toBe('relative_improvement');
      const u = 'Gains of 1.2%-2.5% on HumanEval, 0.8%-1.9% on MBPP, and 2.2%-4.0% on APPS are reported.';
      expect(extractClaims(u).map((c) => c.kind)).toEqual([
        'relative_improvement',
        'relative_improvement',
        'relative_improvement',
      ]);
      const v =
        'The detector yields 6.1% higher recall on CityPersons, 4.3% on Caltech, and 2.0% on EuroCity.';
      expect(find(v, '2.0%').kind).toBe('relative_improvement');
      expect(find(v, '2.0%').metric).toBe('recall');
      const w = 'It lowers the MAE by 9.4% on seen clinics and 3.9% on the held-out clinic.';
      expect(find(w, '3.9%').kind).toBe('reduction');
    });
    it('a share of a reference level is retention, a share of the data is a condition', () => {
      expect(find('Small models keep over 85% of full-size performance.', '85%').kind).toBe('retention');
      expect(find('Loops occur in 12% of episodes with long horizons.', '12%').kind).toBe('other');
      expect(find('English documents make up $61.5\\%$ of samples in the crawl.', '61.5\\%').kind).toBe(
        'other',
      );
      expect(find('The agent wins 64% of games against the heuristic.', '64%').kind).toBe('absolute_score');
      // a share that a named metric counts is a rate; "97.9% of accuracy" names no reference level
      // (the rules' reading: the learned correction makes this rate an 'other' share)
      expect(findByRules('The hallucination rate is high: errors in 7.5% of responses.', '7.5%').kind).toBe(
        'absolute_score',
      );
      expect(find('It reaches 97.9% of accuracy on the fat segmentation.', '97.9%').kind).toBe(
        'absolute_score',
      );
      expect(find('Pruning removes 40% of the tokens.', '40%').kind).toBe('reduction');
    });
    it('a leading minus inside LaTeX math is a reduction; a Δ assignment is a change', () => {
      expect(find('The bias is ($-3.2$\\%) on the left arm.', '3.2$\\%').kind).toBe('reduction');
      const t = 'Fluency improves (Δ = 0.31) while coherence also rises (Δ = 0.12).';
      expect(find(t, '0.31').kind).toBe('relative_improvement');
      expect(find(t, '0.12').unit).toBe('score');
    });
    it('a level in frames or images per second after a result verb is a score of throughput', () => {
      const c = find('On the embedded board the tracker reaches 14.5 FPS at full resolution.', '14.5 FPS');
      expect(c.kind).toBe('absolute_score');
      expect(c.metric).toBe('throughput');
      expect(find('The encoder processes 2,310 img/s on one GPU.', '2,310 img/s').metric).toBe('throughput');
    });
  });

  describe('units', () => {
    it('"%p" and an "absolute" change of a percentage are percentage points', () => {
      expect(find('It gains up to +4.1%p in recall.', '4.1%p').unit).toBe('pp');
      expect(find('We see absolute accuracy gains of 3% to 7% over the base model.', '3% to 7%').unit).toBe(
        'pp',
      );
      expect(find('We see accuracy gains of 3% to 7% over the base model.', '3% to 7%').unit).toBe('%');
    });
    it('a closing math delimiter between a number and its percent sign', () => {
      const c = find('The error is $1.4 \\pm 0.3$ \\% on average.', '1.4 \\pm 0.3$ \\%');
      expect(c.unit).toBe('%');
      expect(c.value).toBe(1.4);
    });
    it('a scale letter on both ends of a range is one size', () => {
      const c = find('We train encoders from scratch (120M-350M parameters).', '120M-350M parameters');
      expect(c.unit).toBe('params');
      expect(c.low).toBe(120e6);
      expect(c.value).toBe(350e6);
      // a model size on A ("3B") stays a size of its own before "7B open-weight models"
      expect(texts('We route among several 3B--7B open-weight models.')).not.toContain(
        '3B--7B open-weight models',
      );
    });
    it('"threefold" is a multiplier only when a change follows it', () => {
      expect(find('It brings a fourfold improvement over the rule baseline.', 'fourfold').value).toBe(4);
      expect(texts('Our contributions are threefold: a dataset, a model and a metric.')).toEqual([]);
      expect(texts('We design a twofold strategy for retrieval.')).toEqual([]);
    });
  });

  describe('claims found', () => {
    it('coordinated decimal scores of one metric', () => {
      const t = 'We obtain F1-scores of 0.71 and 0.64 on the two splits, and 0.32 on the 9-class task.';
      expect(texts(t)).toEqual(['0.71', '0.64', '0.32']);
      const u = 'It reaches an AUROC of 0.61-0.70 for short prompts and 0.58-0.77 for long ones.';
      expect(find(u, '0.58-0.77').metric).toBe('auc');
    });
    it('a metric with an "@k" cut-off still names the value after it', () => {
      expect(find('The model achieves an AP@50 of 48.2 on the set.', '48.2').metric).toBe('map');
      expect(find('We reach NDCG@10 of 0.412 on the corpus.', '0.412').metric).toBe('ndcg');
    });
    it('an unknown acronym or "...Score" set equal to a decimal is a score with no table metric', () => {
      const t = 'The best model scores highest (FVD = 0.412, CLIPScore = 0.318) on the set.';
      expect(texts(t)).toEqual(['0.412', '0.318']);
      expect(find(t, '0.412').metric).toBeNull();
      expect(texts('We set LR = 0.001 and SD = 1.5, with CN = 90 subjects, at FAR=0.01%.')).not.toContain(
        '0.001',
      );
      expect(texts('Verification holds at FAR=0.01% on the set.')).toEqual([]);
    });
    it('scores given in parentheses after the word "scores"', () => {
      const t =
        'Our summaries improve faithfulness scores (0.512) and fluency scores (0.644) over the baselines.';
      expect(texts(t)).toEqual(['0.512', '0.644']);
    });
    it('counts: "pairs", types of something, plural model names, LaTeX digits', () => {
      expect(find('We release 3,120 image-text pairs for testing.', '3,120 image-text pairs').kind).toBe(
        'size',
      );
      expect(find('The benchmark covers 9 question types.', '9 question types').kind).toBe('size');
      expect(texts('Three types of noise are studied.')).toEqual([]);
      expect(texts('The study reveals four distinct behaviour types.')).toEqual([]);
      expect(texts('We characterize three fundamental types in the logs.')).toEqual([]);
      expect(texts('Coalitions are bounded by $2$ admits in the game.')).toEqual([]);
      expect(find('We benchmark 12 open-source VideoLLMs on it.', '12 open-source VideoLLMs').kind).toBe(
        'scope',
      );
      expect(find('Captions cover $15$ languages in all.', '15$ languages').kind).toBe('scope');
    });
  });

  describe('not claims', () => {
    it('what the paper reveals, identifies or faces, counted in words, is its own parts', () => {
      expect(texts('Our probe reveals two distinct regimes of memorization.')).toEqual([]);
      expect(texts('We identify three recurring failure patterns in agents.')).toEqual([]);
      expect(texts('Such systems face two coupled problems at deployment.')).toEqual([]);
      expect(texts('It is a framework of five diagnostic scores.')).toEqual([]);
      expect(find('We evaluate on a set of eight RGB cameras.', 'eight RGB cameras').kind).toBe('size');
    });
    it('competitors listed as "name: value" in parentheses after "compared to" are baselines', () => {
      const t =
        'It reaches 91.2% recall compared to prior encoders (bge-small: 93.0%, e5-base: 92.4%), ranking third.';
      expect(texts(t)).toEqual(['91.2%']);
      expect(find(t, '91.2%').baseline?.value).toBe(93.0);
    });
    it('a competitor score range with its metric in parentheses after "outperforming" is a baseline', () => {
      const t =
        'The probe gets an AUROC of 0.66-0.79, consistently outperforming a length baseline (0.48-0.55 AUROC).';
      expect(texts(t)).toEqual(['0.66-0.79']);
    });
    it('"from A to under B": A is the baseline of B', () => {
      const c = find('The share of refusals drops from 35% to under 6% after tuning.', '6%');
      expect(c.baseline?.value).toBe(35);
      expect(texts('The share of refusals drops from 35% to under 6% after tuning.')).toEqual(['6%']);
    });
  });
});
