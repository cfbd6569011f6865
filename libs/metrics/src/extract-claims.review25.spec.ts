// A user's review (session 25): a share of weights or tokens a method removes measures them, not the measure named next
// in the clause, and a model or a device a figure was measured on is no dataset. Every sentence here is written for this
// spec: none is a sample's, a labelled set's or an acceptance abstract's (tools/eval/acceptance-guard.spec.ts).
import { find } from './spec-helpers';

describe('claims from a user review (session 25)', () => {
  describe('a share a method removes measures what it removes', () => {
    it('"removes 40% of the parameters … with an accuracy drop" is model size, and the drop is accuracy', () => {
      const t = 'Structured pruning removes 40% of the parameters of the encoder with an accuracy drop of 0.5 points on the dev split.';
      expect(find(t, '40%')).toMatchObject({ kind: 'reduction', metric: 'model size' });
      expect(find(t, '0.5 points').metric).toBe('accuracy');
    });
    it('weights are parameters, visual tokens are token usage', () => {
      expect(find('We prune 60% of the weights while keeping most of the accuracy.', '60%').metric).toBe('model size');
      expect(find('The scheduler drops up to 75% of the visual tokens with no loss in accuracy.', '75%').metric).toBe('token usage');
      expect(find('The reader removes 60% of the retrieved tokens and keeps its answers.', '60%').metric).toBe('token usage');
    });
    it('a share removed as the setting of another figure, or a share a method trains, gets no metric from it', () => {
      const setting = 'It keeps 95% of the original quality when pruning 70% of the tokens of every frame.';
      expect(find(setting, '70%').metric).toBeNull();
      const relative = 'Under a schedule that removes 80% of the visual tokens, the model keeps 93% of its accuracy.';
      expect(find(relative, '80%').metric).toBeNull();
      expect(find('The adapter trains only 0.5% of the parameters and matches full fine-tuning.', '0.5%').metric).toBeNull();
    });
  });

  describe('a model or a device is no dataset', () => {
    it('a model a speed-up was measured with, and a processor, are not datasets', () => {
      const t = 'KernelFuse gives a 2.3x speedup on Mistral-7B and runs 3x faster on CPU.';
      expect(find(t, '2.3x').dataset).toBeNull();
      expect(find(t, '3x').dataset).toBeNull();
      expect(find('The pruned network runs 1.8x faster on mobile phones than the dense one.', '1.8x').dataset).toBeNull();
    });
    it('a model with its version, size and variant, or a list of them, is no dataset; a benchmark after it is', () => {
      expect(find('Accuracy rises by 4.2% on Qwen2.5-7B-Instruct and Llama-3.1-8B.', '4.2%').dataset).toBeNull();
      expect(find('Our probe reaches 91.3% accuracy on ViT-B/16 features.', '91.3%').dataset).toBeNull();
      expect(find('With Gemma-2-9B, the method reaches 71.4% on TruthQuest, a new benchmark.', '71.4%').dataset).toBe('TruthQuest');
    });
    it('datasets named after a model family or with a size of their own stay datasets', () => {
      expect(find('The summariser reaches 48.1 ROUGE-1 on SAMSum.', '48.1').dataset).toBe('SAMSum');
      expect(find('Filtering keeps 62% of the pairs on LAION-5B.', '62%').dataset).toBe('LAION-5B');
    });
  });
});
