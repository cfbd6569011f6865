// metrics-1.15.0: causes dev-10 (fresh, labelled before any extractor ran on it) showed under metrics-1.14.0.
// Sentences are written for the test, not copied from any labelled set.
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

describe('metrics-1.15.0 rules', () => {
  describe('numbers written in other ways', () => {
    it('a tens word and a ones word with a space are one number ("sixty four percent")', () => {
      const c = find('Roughly seventy two percent of the posts were neutral.', 'seventy two percent');
      expect(c.value).toBe(72);
      expect(c.unit).toBe('%');
      expect(find('The survey covers thirty one hospitals.', 'thirty one hospitals').value).toBe(31);
    });
    it('a LaTeX power of ten inside math is one number, with what it counts', () => {
      const t = 'We simulate $10^{5}$ rollouts and keep about $2.5\\times 10^{4}$ valid episodes.';
      expect(find(t, '10^{5}$ rollouts').value).toBe(1e5);
      expect(find(t, '2.5\\times 10^{4}$ valid episodes').value).toBe(25000);
    });
    it('(guard) a negative exponent is a setting and a bare caret a formula', () => {
      expect(texts('We use a learning rate of $10^{-3}$ and a grid of 2^8 cells.')).toEqual([]);
    });
    it('two values of one unit joined by a slash are two claims', () => {
      const t = 'It scores 81.2%/74.5% on the two splits (+1.3 pp/+0.9 pp over the previous best).';
      expect(texts(t)).toEqual(['81.2%', '74.5%', '1.3 pp', '0.9 pp']);
      expect(find(t, '0.9 pp').kind).toBe('relative_improvement');
    });
    it('the two values of a slash pair take the two measures of a pair named before them', () => {
      const t =
        'It attains higher recall and region coverage: 88.4%/71.9% on the first split (+2.1 pp/+3.4 pp).';
      expect(find(t, '88.4%').metric).toBe('recall');
      expect(find(t, '71.9%').metric).toBeNull();
      expect(find(t, '2.1 pp').metric).toBe('recall');
      expect(find(t, '3.4 pp').metric).toBeNull();
      const u = 'The tagger reaches a precision/recall of 90.5%/84.2% overall.';
      expect(find(u, '90.5%').metric).toBe('precision');
      expect(find(u, '84.2%').metric).toBe('recall');
    });
    it('(guard) a count over a count is no slash pair of values', () => {
      // (metrics-1.32.0: it is N out of M — GUIDE, dev-9 adjudication: N `result`/`other`, M a `size` count; a slash pair
      // of one unit is still two values, above)
      expect(texts('The agent solved 17/20 puzzles.')).toEqual(['17', '20 puzzles']);
      expect(find('The agent solved 17/20 puzzles.', '17').kind).toBe('other');
    });
    it('a bare range after "to" is the B of a change from a bare A', () => {
      const c = find(
        'The method lowers the normalised cost from 1.00 to 0.41-0.63 on all suites.',
        '0.41-0.63',
      );
      expect(c.low).toBe(0.41);
      expect(c.value).toBe(0.63);
      expect(c.baseline?.value).toBe(1);
    });
  });

  describe('what is not a claim', () => {
    it('a K written for an image resolution is a setting', () => {
      expect(texts('Decoding is 1.8x faster at 2K and 4K resolutions.')).toEqual(['1.8x']);
    });
    it('the number of a hardware product and a K resolution with modifiers are names and settings', () => {
      expect(
        texts('We train on a single RTX 4090 and render native 8K ultra-high resolution frames.'),
      ).toEqual([]);
    });
    it('"point" starting a noun phrase is no percentage point', () => {
      expect(
        texts('The solver needs 9 point correspondences, unlike the classic 8-point algorithm.'),
      ).toEqual(['9 point correspondences']);
      expect(find('Our model improves by 4 points on average.', '4 points').unit).toBe('pp');
    });
  });

  describe('kinds', () => {
    it('a multiplier sign before a GPU model counts the devices a method runs on', () => {
      const c = find('Training takes two days on 8$\\times$A100 GPUs.', '8$\\times$');
      expect(c.unit).toBe('count');
      expect(c.category).toBe('result');
      expect(c.kind).toBe('other');
      expect(find('We finetune on 4×H100 for a day.', '4×').unit).toBe('count');
    });
    it('a time amount is never a retention; "with only N hours of" is what the method needs', () => {
      const c = find('With only 3 hours of adaptation, the student keeps pace with the teacher.', '3 hours');
      expect(c.kind).toBe('other');
      expect(c.category).toBe('result');
    });
    it('training data a result is reached with "with merely N samples" is a condition', () => {
      const c = find('The policy reaches parity with merely 2K labelled samples.', '2K labelled samples');
      expect(c.category).toBe('result');
      expect(c.kind).toBe('other');
      expect(find('It ships with only 6.4M parameters.', '6.4M parameters').category).toBe('setup');
    });
    it('at scale, subjects are people and games are items, not subjects of study or games played on', () => {
      expect(find('The cohort has 2,300 subjects.', '2,300 subjects').kind).toBe('size');
      expect(find('Questions come from 57 subjects.', '57 subjects').kind).toBe('scope');
    });
    it('from a hundred on, a breadth noun counts items; tasks, countries and experiments stay breadth', () => {
      expect(find('We sweep 480 hardware configurations.', '480 hardware configurations').kind).toBe('size');
      expect(find('Ratings cover 312 board games.', '312 board games').kind).toBe('size');
      expect(find('The suite has 150 tasks in 120 countries.', '150 tasks').kind).toBe('scope');
      expect(find('The suite has 150 tasks in 120 countries.', '120 countries').kind).toBe('scope');
    });
    it('shares of respondents, comments or of a gain are how a whole splits (other)', () => {
      const t =
        'In the survey, 61% of respondents use LLMs and 12% of them disclose it; rare cases drive 70% of the gain.';
      for (const v of ['61%', '12%', '70%']) expect(find(t, v).kind).toBe('other');
      expect(find('Negative replies, representing about 9% of the corpus, are rare.', '9%').kind).toBe(
        'other',
      );
    });
    it('"improvements of up to around N%" is a gain', () => {
      expect(find('Small models see improvements of up to around 25% on hard sets.', '25%').kind).toBe(
        'relative_improvement',
      );
    });
    it('a context length a result is given at is its condition ("at 256K context")', () => {
      const t = 'Prefill is 9x faster at 256K context, and we pretrain with a 16K context.';
      expect(find(t, '256K').kind).toBe('other');
      expect(find(t, '256K').category).toBe('result');
      expect(find(t, '16K').category).toBe('setup');
    });
    it('a scale letter before a data noun that starts like a model word counts data ("3K instructions")', () => {
      expect(find('We write 3K instructions by hand.', '3K instructions').unit).toBe('count');
      expect(find('It adds 5K dense region captions.', '5K dense region captions').unit).toBe('count');
      expect(find('We compare the 8B dense and 30B MoE models.', '8B').unit).toBe('params');
      expect(find('We release a 4B-Instruct checkpoint.', '4B').unit).toBe('params');
      expect(find('It beats all 70B baselines.', '70B').unit).toBe('params');
    });
    it("the steps a result is given at or needs are its condition; the paper's own steps stay no claim", () => {
      const t =
        'Loss plateaus at 40,000 steps, and the planner succeeds with as few as four reasoning steps.';
      expect(find(t, '40,000 steps').kind).toBe('other');
      expect(find(t, '40,000 steps').category).toBe('result');
      expect(find(t, 'four reasoning steps').kind).toBe('other');
      expect(find('The gap closes at 20k training steps.', '20k training steps').category).toBe('result');
      expect(texts('Our pipeline has three steps.')).toEqual([]);
    });
    it('a sample size "(n = N)" is the size of the setup', () => {
      const c = find('Gains held in both arms (n = 214) of the trial.', '214');
      expect([c.category, c.kind]).toEqual(['setup', 'size']);
    });
    it('a mask or pruning ratio a result is given at is a condition', () => {
      const t = 'The selector keeps salient objects at both 40% and 60% masking ratios.';
      expect(find(t, '40%').kind).toBe('other');
      expect(find(t, '60%').kind).toBe('other');
      expect(find('It reaches a 92% success rate on LIBERO.', '92%').kind).toBe('absolute_score');
    });
  });

  describe('metrics', () => {
    it('a further "<object> by N" after a change verb measures its own object', () => {
      const t = 'It cuts token usage by 18.5% and tool calls by 11.0%, improving TTFT by 9%, TPOT by 7%.';
      expect(find(t, '18.5%').metric).toBe('token usage');
      expect(find(t, '11.0%').metric).toBeNull();
      expect(find(t, '9%').metric).toBe('latency');
      expect(find(t, '7%').metric).toBeNull();
    });
    it('(guard) a list of metrics after one verb still shares it: "improves accuracy by 2% and F1 by 3%"', () => {
      const t = 'It improves accuracy by 2% and F1 by 3% on both sets.';
      expect(find(t, '3%').metric).toBe('f1');
    });
    it('a decimal right after "specificity" or "sensitivity" is a score of that rate (sensitivity is recall)', () => {
      const t = 'The screen reaches 88.0% accuracy, with sensitivity 0.91 and specificity 0.84.';
      expect(find(t, '0.91').metric).toBe('recall');
      expect(find(t, '0.84').metric).toBeNull();
      expect(texts('Sensitivity to the seed is low.')).toEqual([]);
    });
    it('an English metric word in capitals is a name, not the metric', () => {
      const t = 'COST with half the layers reaches 48.7 average score on the suite.';
      expect(find(t, '48.7').metric).toBeNull();
      expect(find('The WER drops to 4.1% on test-clean.', '4.1%').metric).toBe('wer');
    });
    it('a share or score metric of the clause is not what an amount in metres measures', () => {
      const t = 'The patch keeps a 91% attack success rate at ranges beyond 12 m.';
      expect(find(t, '91%').metric).toBe('attack success rate');
      expect(find(t, '12 m').metric).toBeNull();
      expect(extractClaims('The robot localises with an error of 3.2 cm.')[0].metric).toBe('error rate');
    });
  });
});
