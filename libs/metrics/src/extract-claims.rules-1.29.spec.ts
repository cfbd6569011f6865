// metrics-1.29.0: what a result claim measures and its kind, from the errors of the development sets dev-27 … dev-29
// (dev-29 first measured metrics-1.28.0 unseen) and the known wrong claims of the non-acceptance sample papers (the HF
// API JSON and arXiv API XML of data/sample). Every sentence here is written for this spec: none is a sample's, a dev
// set's or an acceptance abstract's (tools/eval/acceptance-guard.spec.ts).
import { find, findByRules, texts } from './spec-helpers';

describe('metrics-1.29.0 rules', () => {
  describe('statistics that are no claims', () => {
    it('a comparison sign set alone as math is the sign: "Dice $>$ 0.92" is a Dice score, not money', () => {
      const t = 'Segmentation is reliable on every site (Dice $>$ 0.92 and HD95 $<$ 2 mm) with few failures.';
      expect(find(t, '0.92')).toMatchObject({ unit: 'score', kind: 'absolute_score', metric: 'miou' });
      // (the distance has a measure of its own the table does not know: it takes none, not the Dice score's)
      expect(find(t, '2 mm')).toMatchObject({ unit: 'other', metric: null });
    });
    it('a p-value in LaTeX math is a test statistic, whatever measure follows it', () => {
      const t =
        'Ratings rise sharply (IRS = 0.77 vs. 0.61 for the rule set, $p < 0.01$) with low MAE (0.04).';
      expect(texts(t)).not.toContain('0.01');
      expect(find(t, '0.04').metric).toBe('mae');
    });
    it('a confidence level stays a setting in the plural: "90% CIs"', () => {
      expect(texts('We report cluster-bootstrap 90% CIs for every cell of the grid.')).toEqual([]);
    });
  });

  describe('"costs" as a verb names no cost', () => {
    it('"dropping the adapter costs only -0.4%" measures nothing the clause names', () => {
      const t = 'Dropping the adapter costs only -0.4%, while dropping the router costs -3.1%.';
      expect(find(t, '0.4%').metric).toBeNull();
      expect(find(t, '3.1%').metric).toBeNull();
    });
    it('the measure a change costs is the one named after it; a cost that a verb changes stays a cost', () => {
      expect(
        find('Erasing the shared head costs 2x more recall than erasing the decoder.', '2x').metric,
      ).toBe('recall');
      expect(find('The cache cuts API costs 3x relative to the raw agent.', '3x').metric).toBe('cost');
    });
  });

  describe('kinds of changes', () => {
    it('"mean declines of 31.5% on A and 40.2% on B" are reductions', () => {
      const t = 'Scores show mean declines of 31.5% on set A and 40.2% on set B.';
      expect(find(t, '31.5%').kind).toBe('reduction');
      expect(find(t, '40.2%').kind).toBe('reduction');
    });
    it('an elided change verb ("…, and by roughly 4%") keeps the change\'s kind', () => {
      const t =
        'Its audit step cuts unsupported answers by over 12% in noisy multi-hop retrieval settings, and by roughly 4% even with clean indexes.';
      expect(find(t, '12%').kind).toBe('reduction');
      expect(find(t, '4%').kind).toBe('reduction');
    });
    it('"a N% … rate" coordinated with a gain is a level reached', () => {
      const t = 'The system yields up to a 25% overall quality gain and a 62% fault detection rate.';
      expect(find(t, '62%').kind).toBe('absolute_score');
      expect(find(t, '25%').kind).toBe('relative_improvement');
    });
  });

  describe('a list of measures changed by one verb', () => {
    it('each "<noun> by N" measures its own noun, or nothing the table knows — not the item before it', () => {
      const t =
        'The accelerator reduces latency by 21.4%, energy use by 35.0%, and chip area by up to 80.5% against a GPU.';
      expect(find(t, '21.4%').metric).toBe('latency');
      expect(find(t, '35.0%').metric).toBe('energy');
      expect(find(t, '80.5%')).toMatchObject({ kind: 'reduction', metric: null });
      const mem = 'Our loader reduces latency by 11%, energy by 19%, and memory by 47%.';
      expect(find(mem, '47%').metric).toBe('memory');
    });
    it('a list of rivals after "outperforms" keeps the clause\'s metric', () => {
      const t = 'It outperforms the tree model by 5% in accuracy, and the linear model by 3%.';
      expect(find(t, '3%')).toMatchObject({ kind: 'relative_improvement', metric: 'accuracy' });
    });
  });

  describe('whose measure a value is', () => {
    it('a rate defined in parentheses before "of" is what the value measures, not a word of the definition', () => {
      const t =
        'The tutor fixes few slips, with an overall repair rate (share of wrong steps corrected after a hint) of only 18.2%.';
      expect(find(t, '18.2%').metric).toBeNull();
      const named =
        'It reaches a coverage ratio (fraction of errors caught by the fuzzer) of 64% on every target.';
      expect(find(named, '64%').metric).toBeNull();
      const err = 'Its error rate (fraction of frames misread by the reader) of 3.4% is the lowest reported.';
      expect(find(err, '3.4%').metric).toBe('error rate');
    });
    it('"with mean rank dropping from 120 to 14": what moved is the rank, not the recall before it', () => {
      const t = 'The retriever lifts Recall@10 to 0.71, with mean rank dropping from 120 to 14.';
      expect(find(t, '0.71').metric).toBe('recall');
      expect(find(t, '14').metric).toBeNull();
    });
    it('a bound in parentheses after a measure held ("competitive recall (within 4% of …)") is that measure\'s', () => {
      const t =
        'It doubles throughput while maintaining competitive recall (typically within 4% of the strongest baseline).';
      expect(find(t, '4%').metric).toBe('recall');
    });
    it('rivals\' keyed scores in the parenthesis after "outperformed" are comparisons, the first and the next', () => {
      const t =
        'Our tagger reaches 84% accuracy and outperformed both encoders (ModelA: 64%, ModelB-large: 69%).';
      expect(texts(t)).toEqual(['84%']);
    });
    it('two rivals\' values after "(vs." are comparisons, not claims', () => {
      const t =
        'A pilot study on 300 cells shows detection accuracy of 97.2 % (vs. 91.05 % / 62.4 %), and counting accuracy of 88.3 % (vs. 80.1 % / 50.7 %).';
      expect(texts(t)).toEqual(['300 cells', '97.2 %', '88.3 %']);
    });
  });

  describe('a bound right after the things a paper covers is its scope', () => {
    it('"amplifiers below 60 GHz and mixers above 60 GHz" are setup/scope, not results', () => {
      const t = 'This survey covers amplifiers below 60 GHz and mixers above 60 GHz for radar front ends.';
      const claims = texts(t).map((s) => s);
      expect(claims).toEqual(['60 GHz', '60 GHz']);
      expect(findByRules(t, '60 GHz')).toMatchObject({ category: 'setup', kind: 'scope', metric: null });
    });
    it('after a verb or a measure the bound is a result: "runs above 100 GHz", "errors below 15 ms"', () => {
      expect(find('Our detector runs above 100 GHz with low noise.', '100 GHz').category).toBe('result');
      expect(find('It keeps mean boundary errors below 15 ms.', '15 ms').category).toBe('result');
    });
  });
});
