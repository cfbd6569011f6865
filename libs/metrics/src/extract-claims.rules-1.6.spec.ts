// metrics-1.6.0: one block per rule found on dev-3.jsonl (60 random recent arXiv abstracts). Sentences are
// written for the test, not copied from the labelled sets.
import { find, findByRules, texts } from './spec-helpers';

describe('metrics-1.6.0 rules', () => {
  describe('metric attribution', () => {
    it('a metric name used as a modifier or inside "J&F" names no metric', () => {
      expect(find('A runtime-enforced guard blocks 81.5% of unsafe calls.', '81.5%').metric).toBeNull();
      expect(find('It reaches a J&F score of 0.812 on the test split.', '0.812').metric).toBeNull();
      expect(find('We report F1-scores of 91% on the benchmark.', '91%').metric).toBe('f1');
    });
    it('a value followed by its own noun phrase does not take the metric of the value before it', () => {
      const t = 'It yields +4.2% visual PSNR and -35.1% velocity divergence in the simulation.';
      expect(find(t, '4.2%').metric).toBe('psnr');
      expect(find(t, '35.1%').metric).toBeNull();
    });
    it('a metric after "A versus B" is the metric of A; a metric behind a new verb is not', () => {
      expect(find('The model gets 77.1% versus 77.4% top-1 on the set.', '77.1%').metric).toBe('accuracy');
      const t = 'It raises PSNR by 0.31 dB (val), reduces MAE by 7.2% on the test split.';
      expect(find(t, '0.31 dB').metric).toBe('psnr');
      expect(find(t, '7.2%').metric).toBe('mae');
    });
    it('counted objects of a change name model size and token usage', () => {
      expect(find('The student has 40.2% fewer parameters than the teacher.', '40.2%').metric).toBe(
        'model size',
      );
      expect(find('Early stopping reduces generated tokens by over 35% per query.', '35%').metric).toBe(
        'token usage',
      );
    });
    it('"N F1 points" is percentage points of F1', () => {
      const c = find('Baselines drop by 7 F1 points under shift.', '7 F1 points');
      expect([c.unit, c.metric]).toEqual(['pp', 'f1']);
      const t = 'absolute gains of +1.8 and +2.6 F1 points over the baseline';
      expect([find(t, '1.8').unit, find(t, '1.8').metric]).toEqual(['pp', 'f1']);
    });
  });

  describe('kind', () => {
    it('a change noun or verb right before a parenthesised value gives its kind', () => {
      expect(find('We observe a clear reduction (12.5-20.1%) in toxicity.', '12.5-20.1%').kind).toBe(
        'reduction',
      );
      expect(find('It outperforms A and B (1.5%~3%) on every set.', '1.5%~3%').kind).toBe(
        'relative_improvement',
      );
      expect(find('It improves over strong agents (upto 6.1% average F1).', '6.1%').kind).toBe(
        'relative_improvement',
      );
    });
    it('"to N% of their original" is what is retained', () => {
      expect(
        find('It compresses prompts to 40 to 70 percent of their original length.', '40 to 70 percent').kind,
      ).toBe('retention');
    });
    it('"N% of items preserve" is a share, not a retention after a noun "match,"', () => {
      expect(
        find('Under an exact match, only 31% of closed-form answers preserve the label.', '31%').kind,
      ).toBe('absolute_score');
    });
    it('a physical amount after "by" or "+" is a change; a negative physical value is a value', () => {
      expect(find('It increases PSNR by +0.4 dB on the set.', '0.4 dB').kind).toBe('relative_improvement');
      expect(find('Samples were kept at −20 °C overnight.', '20 °C').kind).toBe('other');
    });
    it('values tagged "(val)" / "(test)" share the kind said once', () => {
      const t = 'It reduces MAE by 5.2% (val) and 3.9% (test).';
      expect(find(t, '3.9%').kind).toBe('reduction');
    });
    it('"from A to B" in parameters sizes the setup unless a verb reduces it', () => {
      const t = 'We scale the model from 30M to 150M parameters to improve tracking.';
      const c = find(t, '150M parameters');
      expect([c.category, c.kind, c.baseline?.value]).toEqual(['setup', 'size', 30e6]);
      expect(texts(t)).toEqual(['150M parameters']);
      expect(find('Models ranging from 1B to 14B parameters are tested.', '14B parameters').category).toBe(
        'setup',
      );
      // (the rules' reading: the learned correction makes the pruned size a setup size)
      expect(
        findByRules('Pruning reduces the model from 7B to 5B parameters.', '5B parameters').category,
      ).toBe('result');
    });
  });

  describe('claims found and dropped', () => {
    it('a metric named right before a bare number scores it', () => {
      expect(find('Probes report AUROC exceeding 0.95 on clean data.', '0.95').metric).toBe('auc');
      expect(find('Model A has the highest accuracy (41.7), ahead of B.', '41.7').metric).toBe('accuracy');
      expect(
        find('Styles are recovered (mean AUROC 0.971-0.988) on unseen data.', '0.971-0.988').metric,
      ).toBe('auc');
    });
    it('a competitor score in parentheses after "outperforming" and further list members are comparisons', () => {
      const t = 'It reaches 61.2% on the set, outperforming the strong FOA (60.3%).';
      expect(texts(t)).toEqual(['61.2%']);
      expect(find(t, '61.2%').baseline?.value).toBe(60.3);
      const u = 'The model scores 95.1%, which is higher than A-1 (93.2%), B-2 (94.0%), and C-3 (94.4%).';
      expect(texts(u)).toEqual(['95.1%']);
      expect(texts('It is right in 21.5% of tasks, far below the 70.2% achieved by experts.')).toEqual([
        '21.5%',
      ]);
    });
    it('own parts, protocol repetitions and model-family sizes are not counts', () => {
      expect(
        texts('The system consisting of four agents rewrites text into two presentation modes.'),
      ).toEqual([]);
      expect(texts('We combine three CNN models. At the core of it are two planning agents.')).toEqual([]);
      expect(texts('We test four hypotheses across three random permutations at two cycles.')).toEqual([]);
      expect(texts('We evaluate Llama-3 (8B, 70B) and Gemma-3 (1B, 4B, 27B).')).toEqual([]);
      expect(texts('Scenes were captured with a 360 camera and 360 cameras.')).toEqual([]);
    });
    it('counts written with "+", a hyphen before the set they size, or an acronym among the modifiers', () => {
      expect(texts('We run 150+ controlled ablations.')).toEqual(['150+ controlled ablations']);
      expect(texts('We release a 250-query evaluation and a 400-image test set.')).toEqual([
        '250-query',
        '400-image',
      ]);
      expect(texts('We use 12 Long Range Arena (LRA) tasks.')).toEqual(['12 Long Range Arena (LRA) tasks']);
      expect(texts('It uses a 5-shot evaluation and a 4-bit model.')).toEqual([]);
      expect(texts('It has 2,000 questions over 310 long videos.')).toEqual([
        '2,000 questions',
        '310 long videos',
      ]);
    });
    it('a "\\\\," whose backslash was lost still separates a number from its scale or unit', () => {
      const c = find('We present a 3.5,M-parameter restorer.', '3.5,M-parameter');
      expect([c.unit, c.value]).toEqual(['params', 3.5e6]);
      expect(find('It runs in about 17,ms per frame.', '17,ms').unitText).toBe('ms');
    });
  });
});
