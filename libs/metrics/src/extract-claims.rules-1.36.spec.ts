// metrics-1.36.0: recall, the largest error class, from the missed claims of metrics-1.35.0 pooled over every dev set
// (dev … dev-36, dev-36 measured unseen first): kinds of something counted before "of", strategies and techniques an
// evaluation compares, number words that share the noun of the count they are coordinated with, and decimals an
// agreement or correlation measure is said to be. Every sentence here is written for this spec: none is a sample's, a
// dev set's or an acceptance abstract's (tools/eval/acceptance-guard.spec.ts).
import { extractClaims } from './extract-claims';
import { find, findByRules, texts } from './spec-helpers';

describe('metrics-1.36.0 rules', () => {
  describe('"N types / kinds / levels / stages of X"', () => {
    it('counts the categories of the data, the span running through what they are kinds of', () => {
      const t = 'The corpus labels each review with one of 9 types of customer complaints.';
      const c = find(t, '9 types of customer complaints');
      expect(c.value).toBe(9);
      expect(c.unit).toBe('count');
      expect(c.category).toBe('setup');
      expect(findByRules(t, '9 types of customer complaints').kind).toBe('size');
      const u = 'Seedlings were grown under four levels of soil salinity for a month.';
      expect(find(u, 'four levels of soil salinity').value).toBe(4);
      const v = 'The slides in the archive cover five stages of tumour progression.';
      expect(find(v, 'five stages of tumour progression').category).toBe('setup');
    });
    it('counts the compared systems when X is a kind of system', () => {
      const t = 'We benchmark six types of OCR engines on scanned receipts.';
      expect(find(t, 'six types of OCR engines').kind).toBe('scope');
    });
    it("(guard) not a benchmark's difficulty, the paper's own parts or kinds pointed back at", () => {
      expect(texts('The benchmark is organised into three levels of difficulty.')).toEqual([]);
      expect(texts('We propose two types of attention that share one memory bank.')).toEqual([]);
      expect(texts('The decoder produces three types of hints for the planner.')).toEqual([]);
      expect(texts('Pruning helps little against all three types of errors in the logs.')).toEqual([]);
    });
  });

  describe('strategies, techniques, mechanisms and paradigms an evaluation runs over', () => {
    it('are the methods compared (setup/scope)', () => {
      const t = 'We evaluate five retrieval strategies on a legal question set.';
      const c = find(t, 'five retrieval strategies');
      expect(c.value).toBe(5);
      expect(c.kind).toBe('scope');
      const u = 'Gains hold across three decoding techniques and two model sizes.';
      expect(find(u, 'three decoding techniques').kind).toBe('scope');
      const v = 'The detector is compared against seven defence mechanisms from prior work.';
      expect(find(v, 'seven defence mechanisms').category).toBe('setup');
    });
    it('(guard) the strategies a paper proposes stay its own parts', () => {
      expect(texts('We propose two complementary strategies to stabilise training.')).toEqual([]);
    });
  });

  describe('a number word coordinated with a count', () => {
    it('shares the listed plural noun written after the second count', () => {
      const t = 'We test the parser on six in-domain and three held-out benchmarks.';
      const c = find(t, 'six in-domain');
      expect(c.value).toBe(6);
      expect(c.unit).toBe('count');
      expect(c.kind).toBe('scope');
      expect(find(t, 'three held-out benchmarks').value).toBe(3);
    });
    it('(guard) not when its own words end in a plural noun', () => {
      const t = 'The suite has nine scoring rubrics and 4,120 prompts in total.';
      expect(texts(t)).not.toContain('nine scoring rubrics');
      expect(find(t, '4,120 prompts').value).toBe(4120);
    });
  });

  describe('a decimal an agreement, correlation or similarity measure is said to be', () => {
    it('is a score, and so is the one coordinated with it', () => {
      const t =
        'Spearman correlations between model and expert rankings were 0.62 and 0.57 on the two tracks.';
      expect(find(t, '0.62').unit).toBe('score');
      expect(find(t, '0.57').kind).toBe('absolute_score');
      const u = 'Inter-annotator agreement on the final label set was 0.81.';
      expect(find(u, '0.81').category).toBe('result');
    });
    it('a metric the table names "averages" a value', () => {
      const t = 'On held-out cameras the AUC averages 0.733 while in-camera it averages 0.912.';
      expect(find(t, '0.733').metric).toBe('auc');
      expect(find(t, '0.912').metric).toBe('auc');
    });
    it('(guard) a threshold stated for agreement is a setting, not a score', () => {
      expect(extractClaims('The agreement threshold was 0.6 for every pair of raters.')).toEqual([]);
    });
  });
});
