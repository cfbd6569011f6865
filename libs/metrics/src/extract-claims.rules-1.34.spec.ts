// metrics-1.34.0: result-metric attribution and precision, the largest gaps on the held-out sets, from the wrong or missing
// result metrics of metrics-1.33.0 pooled over every dev set (dev … dev-34, dev-34 measured unseen first) and 1.33.0's worse
// parity outputs. Every sentence here is written for this spec: none is a sample's, a dev set's or an acceptance
// abstract's (tools/eval/acceptance-guard.spec.ts).
import { extractClaims } from './extract-claims';
import { find } from './spec-helpers';

describe('metrics-1.34.0 rules', () => {
  describe('a value in a contrast clause takes only the measure its own clause names', () => {
    it.each([
      [
        'The tagger reaches 91.2% F1 on news, while clinical notes remain hard for it (e.g., 58.4% on discharge letters).',
        '58.4%',
      ],
      [
        'Our parser scores 88.0% accuracy on the dev split, while staying 4.2x smaller than the teacher.',
        '4.2x',
      ],
      ['Pruning keeps 97.5% top-1 accuracy, while retaining 81% of the original throughput.', '81%'],
    ])('%s', (t, span) => {
      expect(find(t, span).metric).not.toBe(t.includes('F1') ? 'f1' : 'accuracy');
    });
    it('a participle names its own object: "while retaining N% of the throughput", "while being N× smaller"', () => {
      expect(
        find('Pruning keeps 97.5% top-1 accuracy, while retaining 81% of the original throughput.', '81%')
          .metric,
      ).toBe('throughput');
      expect(
        find(
          'Our parser scores 88.0% accuracy on the dev split, while staying 4.2x smaller than the teacher.',
          '4.2x',
        ).metric,
      ).toBeNull();
    });
    it('the main clause after a leading "While …," takes none of the measures of that clause', () => {
      const t =
        'While older reports cite accuracies of 94% and 97%, our clean re-runs reach 61.5% and 63.0% on the same splits.';
      expect(find(t, '61.5%').metric).toBeNull();
    });
    it('(guard) a parallel subject reaching a level keeps the measure its clause elides', () => {
      const t = 'Large judges reach 84.1% accuracy on the hard subset, while small judges reach only 52.3%.';
      expect(find(t, '52.3%').metric).toBe('accuracy');
      const u =
        'Fine-tuning lifts the 7B model from 41.0% to 66.5% accuracy, while the 1B model improves from 22.4% to 39.8%.';
      expect(find(u, '39.8%').metric).toBe('accuracy');
      const v = 'Recall rises by 6.1 points on A, whereas the pruned model stays below 40%.';
      expect(find(v, '40%').metric).toBe('recall');
    });
    it('(guard) a value listed after another in a contrast clause shares its reading', () => {
      const t =
        'The baseline diverges to a perplexity of 812.4 and 533.0, whereas ours stays at 12.3 and 11.9, respectively.';
      expect(extractClaims(t).map((c) => c.text)).toEqual(expect.arrayContaining(['12.3', '11.9']));
    });
  });

  describe('the point a score is read at', () => {
    it('a bare decimal with no measure is no score: the value after its "at" is the level', () => {
      const t = 'The quantiser reaches 3.5 bits per weight at 92.4% of the full-precision success rate.';
      expect(find(t, '92.4%').kind).not.toBe('other');
    });
    it('a value after "at" naming the measure of the score before it is a second level, not an operating point', () => {
      const t = 'The detector reaches 91.3% top-1 at about 64% localisation accuracy.';
      expect(find(t, '64%')).toMatchObject({ kind: 'absolute_score', metric: 'accuracy' });
    });
    it('(guard) a bare decimal whose measure comes before it still has an operating point', () => {
      const t = 'The filter keeps a precision of about 0.88 at 20% flagged items.';
      expect(find(t, '20%')).toMatchObject({ category: 'result', kind: 'other' });
      expect(find('It reaches 79.2% top-1 accuracy at 1.4 GFLOPs.', '1.4 GFLOPs').kind).toBe('other');
    });
  });

  describe('table forms', () => {
    it('"number of parameters" is model size, "token overhead" token usage', () => {
      expect(find('The adapter cuts the number of parameters by 45%.', '45%').metric).toBe('model size');
      expect(find('Routing lowers per-request token overhead by 38%.', '38%').metric).toBe('token usage');
    });
  });

  describe('counts that are pairs, partitions or classes', () => {
    it('"between two …" relates a pair, unless what is compared', () => {
      expect(
        extractClaims('The protocol audits disagreements between two independent hosting providers.'),
      ).toEqual([]);
      expect(
        find('A comparison between two retrieval models shows clear gains.', 'two retrieval models').kind,
      ).toBe('scope');
    });
    it('"into N subsets" is a partition of the data', () => {
      expect(extractClaims('The pipeline sorts the questions into four subsets by difficulty.')).toEqual([]);
    });
    it('medical conditions are the classes a model tells apart, not conditions an evaluation runs under', () => {
      expect(
        find('The screening model covers five chronic skin conditions.', 'five chronic skin conditions').kind,
      ).toBe('size');
      expect(
        find('Each query is answered under four prompt framing conditions.', 'four prompt framing conditions')
          .kind,
      ).toBe('scope');
    });
  });
});
