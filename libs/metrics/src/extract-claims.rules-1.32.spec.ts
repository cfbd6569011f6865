// metrics-1.32.0: counts and lists the token reading missed (recall, the largest gap on the held-out sets) and what a
// change measures, from the false negatives of metrics-1.31.0 pooled over every dev set (dev … dev-32, dev-32 measured
// unseen first) and the known misses of brief claims26b. Every sentence here is written for this spec: none is a sample's,
// a dev set's or an acceptance abstract's (tools/eval/acceptance-guard.spec.ts).
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

describe('metrics-1.32.0 rules', () => {
  describe('a whole count out of a whole count is N (result) out of M (setup)', () => {
    it('"N/M" after a verb, in parentheses and before the counted noun', () => {
      const t = 'The planner solves 41/50 mazes and the probe reaches 595/600 with weak supervision.';
      expect(find(t, '41')).toMatchObject({ value: 41, unit: 'count', category: 'result', kind: 'other' });
      expect(find(t, '50 mazes')).toMatchObject({ value: 50, category: 'setup', kind: 'size' });
      expect(find(t, '595')).toMatchObject({ category: 'result', kind: 'other' });
      expect(find(t, '600')).toMatchObject({ category: 'setup', kind: 'size' });
      expect(find('It ranks first on 7/11 tasks for the largest model.', '11 tasks').kind).toBe('scope');
      // (what it is out of, named right before the parenthesis)
      expect(find('Nearly half of the benchmarks (6/13) saturate.', '13').kind).toBe('scope');
    });
    it("the measure named right after the pair is the count's", () => {
      expect(find('The bridge reaches 997/1000 retrieval accuracy.', '997').metric).toBe('accuracy');
    });
    it('(guard) splits, fractions of a thing, ratings, ranks, years, formulas and mixtures stay out', () => {
      expect(
        texts(
          'We use a 70/30 split, 1/3 the FLOPs and 3/4 of the data; users rated it 4/5 and the i2b2 2009/2014 sets.',
        ),
      ).toEqual([]);
      expect(
        texts('The bound is (5/24)*delta; the top 40/60 fusion is best among (8/2, 2/8) mixtures.'),
      ).toEqual([]);
      expect(texts('Its error stays below the reference of 7/36, approximately 0.19.')).not.toContain('36');
      expect(texts('We place with an F1 of 0.62 (12/80 teams).')).toEqual(['0.62']);
    });
  });

  describe('a slash list of decimal scores is one claim per value', () => {
    it('after a metric named once or a slashed list of measures, in order', () => {
      const t = 'Our segmenter attains Dice scores of 0.91/0.84/0.88 on the three chambers.';
      for (const v of ['0.91', '0.84', '0.88'])
        expect(find(t, v)).toMatchObject({ unit: 'score', kind: 'absolute_score', metric: 'miou' });
      const u = 'The summariser reaches ROUGE-1/2/L of 48.20/21.75/44.02.';
      expect(find(u, '21.75').metric).toBe('rouge');
      const p = 'The tagger reaches P/R/F1 of 0.81/0.77/0.79 overall.';
      expect(find(p, '0.81').metric).toBe('precision');
      expect(find(p, '0.77').metric).toBe('recall');
      expect(find(p, '0.79').metric).toBe('f1');
    });
    it("a percent after the last value is every value's unit", () => {
      const t = 'It sets a new state of the art on the suite (88.4/86.9% on Easy/Hard).';
      expect(find(t, '88.4')).toMatchObject({ value: 88.4, unit: '%', kind: 'absolute_score' });
      expect(find(t, '86.9%').unit).toBe('%');
    });
    it('(guard) a rival\'s list after "vs", versions after a name, and a rating\'s bound stay out', () => {
      const t = 'We reach Dice scores of 0.91/0.84 vs 0.90/0.85 for the baseline.';
      expect(texts(t)).toEqual(['0.91', '0.84']);
      expect(texts('We compare Stable Diffusion 1.5/2.1 with our sampler.')).toEqual([]);
    });
  });

  describe('counted nouns the token reading did not know', () => {
    it('an acronym in the plural: models compared are the scope, other acronyms the size of the data', () => {
      expect(find('We benchmark 14 open LMMs on the suite.', '14 open LMMs').kind).toBe('scope');
      expect(
        find('The corpus holds 2,310 annotated EHRs from two sites.', '2,310 annotated EHRs'),
      ).toMatchObject({
        unit: 'count',
        kind: 'size',
      });
      // (devices and units of compute are not what is counted; "7B VLAs" is a model size)
      expect(texts('Training uses 8 GPUs and 4 additional NFEs.')).not.toContain('4 additional NFEs');
      expect(texts('It rivals 7B VLAs on both suites.')).not.toContain('7B VLAs');
      // (in words, only models: parts of the method named by an acronym stay out)
      expect(texts('The student is distilled from three large FMTs.')).toEqual([]);
    });
    it('a short plural after a modifier', () => {
      expect(find('We photograph 40 adult goats on two farms.', '40 adult goats').kind).toBe('size');
      expect(find('The simulator exposes 12 banking apps to the agent.', '12 banking apps').kind).toBe(
        'scope',
      );
    });
    it('a hyphenated count of people or domains before a cohort, panel, study or dataset', () => {
      expect(find('We recruit a 312-patient cohort for validation.', '312-patient').kind).toBe('size');
      expect(find('A 9-member expert panel rates each answer.', '9-member').kind).toBe('size');
      expect(find('We assemble a 6-domain dataset of forms.', '6-domain').kind).toBe('scope');
      // (a setting stays out: "5-way")
      expect(texts('We run a 40-participant, 4-way listening study.')).toEqual(['40-participant']);
    });
    it('a number alone in math keeps a plural noun with a modifier and a hyphenated token count', () => {
      expect(find('We label $640$ review snippets by hand.', '640$ review snippets').value).toBe(640);
      expect(find('Inputs are cut to a $256$-token window.', '256$-token')).toMatchObject({
        unit: 'tokens',
        value: 256,
      });
      expect(texts('By the lemma, $3$ admits a cover and the code is $2$-deletion correcting.')).toEqual([]);
    });
    it('"N×M B" experts: the size of each is the model\'s size', () => {
      expect(find('We scale to a 4x13B model with shared attention.', '13B')).toMatchObject({
        value: 13e9,
        unit: 'params',
        kind: 'size',
      });
      expect(texts('Frames are tiled 2x14 on a 512x512 canvas.')).toEqual([]);
    });
  });

  describe('what a change or a level measures', () => {
    it('tokens a system consumes are a level of its token usage', () => {
      expect(find('The agent consumes 812,400 tokens per benchmark run.', '812,400 tokens')).toMatchObject({
        category: 'result',
        kind: 'absolute_score',
        metric: 'token usage',
      });
      // (training data and inputs given are not)
      expect(find('We pretrain on 300B tokens.', '300B tokens').category).toBe('setup');
    });
    it('a counted object before a change noun is what changed', () => {
      const t =
        'Pruning yields 71.2% FLOP reduction and 80.5% parameter reduction with a 0.9% accuracy drop.';
      expect(find(t, '71.2%').metric).toBe('compute');
      expect(find(t, '80.5%').metric).toBe('model size');
      expect(find('The cache gives 64% prompt token reduction.', '64%').metric).toBe('token usage');
      expect(find('It cuts per-query token cost by 31%.', '31%').metric).toBe('token usage');
    });
    it('an arrow after a value is its change and the phrase after it its measure', () => {
      const t = 'It lowers cost (41%$\\downarrow$ retrieval token cost than the strongest baseline).';
      expect(find(t, '41%')).toMatchObject({ kind: 'reduction', metric: 'token usage' });
      expect(find('Recall rises sharply (9.5%↑ recall on rare classes).', '9.5%')).toMatchObject({
        kind: 'relative_improvement',
        metric: 'recall',
      });
    });
    it('a measure kept in a longer phrase is masked: the change keeps its own measure', () => {
      const t = 'The adapter cuts GPU memory by 42% while matching full fine-tuning accuracy on the suite.';
      expect(find(t, '42%').metric).toBe('gpu memory');
      expect(find('It improves recall by 3% while maintaining inference speed.', '3%').metric).toBe('recall');
      // (a level claimed with "maintains" is not masked; a measure kept within a bound keeps the bound's metric)
      expect(
        find(
          'The tracker maintains state-of-the-art accuracy with an average of 71.4% on four suites.',
          '71.4%',
        ).metric,
      ).toBe('accuracy');
      expect(
        find('It trims decoding by 18% while keeping exact-match accuracy within a 0.3% margin.', '0.3%')
          .metric,
      ).toBe('accuracy');
    });
    it('"error bars" are no error rate; an F1 on a class after a hyphen is an F1', () => {
      expect(find('The suite narrows error bars (reduced by 52%).', '52%').metric).toBeNull();
      expect(find('It improves F1-Minor by +3.9 points over text alone.', '3.9 points').metric).toBe('f1');
    });
    it('values each followed by a measure of their own share the change of the list', () => {
      const t = 'Joint training improves segmentation by 4.12 mIoU and 3.87 F1 on the held-in split.';
      expect(find(t, '4.12').kind).toBe('relative_improvement');
      expect(find(t, '3.87')).toMatchObject({ kind: 'relative_improvement', metric: 'f1' });
    });
  });

  it('every claim added here is finite and inside the text', () => {
    const t =
      'It solves 17/20 tasks, reaches Dice 0.90/0.80, consumes 1,200 tokens per query and benchmarks 9 LMMs on a 48-patient cohort.';
    for (const c of extractClaims(t)) {
      expect(Number.isFinite(c.value)).toBe(true);
      expect(t.slice(c.start, c.end)).toBe(c.text);
    }
  });
});
