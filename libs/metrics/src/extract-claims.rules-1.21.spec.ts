// metrics-1.21.0: the metric a result claim names, on text the rules have not seen (issue #18, brief ext27): the
// metric vocabulary's aliases (acronyms, plurals, averaged and per-image forms, pass@k at any k), a label written right
// before its value, the measures the table does not list, a metric that only modifies the object of a change, and the
// bounds of confidence intervals. Sentences are written for the test, not copied from any labelled set.
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;
const metrics = (t: string): Array<[string, string | null]> =>
  extractClaims(t).map((c) => [c.text, c.metric]);

describe('metrics-1.21.0 rules', () => {
  describe('the metric vocabulary: aliases a family of metrics is written with', () => {
    it('the Dice similarity coefficient by its acronym and long names is miou (GUIDE: Dice is miou)', () => {
      expect(metricOf('The network reaches a mean DSC of 0.812 on the liver scans.', '0.812')).toBe('miou');
      expect(metricOf('Segmentation improves to a Dice coefficient of 0.77 on the hold-out.', '0.77')).toBe(
        'miou',
      );
      expect(metricOf('Our model obtains Dice scores of 0.88 on the atlas.', '0.88')).toBe('miou');
    });
    it('sensitivity and the true positive rate are recall; the everyday sense of sensitivity is not', () => {
      expect(metricOf('The screening model has a sensitivity of 88.1% on the cohort.', '88.1%')).toBe(
        'recall',
      );
      expect(metricOf('At the chosen cut-off the TPR is 0.91 for adults.', '0.91')).toBe('recall');
      expect(metricOf('A 15% sensitivity analysis over the priors keeps the ranking.', '15%')).toBeNull();
      expect(metricOf('It shows low sensitivity to noise and prunes 70% of the heads.', '70%')).toBeNull();
    });
    it('an AUROC averaged or taken per image or per pixel is an AUC', () => {
      expect(metricOf('The detector reaches 96.2% I-AUROC on the bottle class.', '96.2%')).toBe('auc');
      expect(metricOf('We report 91.7% P-AUROC on the texture classes.', '91.7%')).toBe('auc');
      expect(metricOf('The classifier attains a Macro-AUROC of 0.871 across sites.', '0.871')).toBe('auc');
    });
    it('the plurals of a rate name the rate, the specific one before the generic error rate', () => {
      expect(
        metricOf('Raters preferred our images, with 64.0% win rates against the baseline.', '64.0%'),
      ).toBe('win rate');
      expect(metricOf('The recogniser reaches character error rates of 3.1% on the archive.', '3.1%')).toBe(
        'cer',
      );
      expect(metricOf('Word error rates of 7.4% are reached on the read speech.', '7.4%')).toBe('wer');
    });
    it('pass@k at any k and the strict pass^k are pass@k', () => {
      expect(metricOf('The prover solves 71.3% at pass@64 on the olympiad split.', '71.3%')).toBe('pass@k');
      expect(metricOf('Agents keep a strict pass^4 of only 18% in the retail domain.', '18%')).toBe('pass@k');
      expect(metricOf('Sampling more helps: Pass@3 rises to 55.0% on the hard set.', '55.0%')).toBe('pass@k');
    });
    it('an acronym written in capitals, the identity F1 of tracking, ROUGE-n F1', () => {
      expect(metricOf('The detector reaches 91.3% mean ACC on the forgery test.', '91.3%')).toBe('accuracy');
      expect(metricOf('The tracker improves by +3.2 IDF1 on the crowd benchmark.', '3.2')).toBe('f1');
      expect(metricOf('The summariser scores ROUGE-2 F1 = 0.412 on the news split.', '0.412')).toBe('rouge');
    });
    it('a threshold range after "@" is part of the name, and its end is no claim', () => {
      expect(metrics('The model gains 4.2% in mAP@.50:.95 on the aerial set.')).toEqual([['4.2%', 'map']]);
      expect(texts('It scores 0.611 mAP@0.5:0.95 after tuning.')).not.toContain('0.95');
    });
    it('the comparative of accurate names accuracy', () => {
      expect(
        metricOf(
          'Models are far more accurate on short tables than on long ones (81.2% vs. 60.4%).',
          '81.2%',
        ),
      ).toBe('accuracy');
    });
  });

  describe('a label written right before its value names what the value scores', () => {
    it('a list of "Name value" items: each value takes its own name, not the next one', () => {
      expect(
        metrics('The best detector reaches Precision 0.921, Recall 0.884, mAP@0.5 0.902 on the orchard.'),
      ).toEqual([
        ['0.921', 'precision'],
        ['0.884', 'recall'],
        ['0.902', 'map'],
      ]);
    });
    it('a label before the value wins over a metric named later in the sentence', () => {
      expect(
        metricOf(
          'Agents keep the set (e.g. Cell-F1 88.4 against Row-F1 41.0), while accuracy falls.',
          '88.4',
        ),
      ).toBe('f1');
    });
    it("a list item whose label the table does not know has no metric, not its neighbour's", () => {
      expect(
        metrics(
          'It achieved a DSC of 0.702, sensitivity of 81.0%, specificity of 96.3%, and accuracy of 94.1%.',
        ),
      ).toEqual([
        ['0.702', 'miou'],
        ['81.0%', 'recall'],
        ['96.3%', null],
        ['94.1%', 'accuracy'],
      ]);
    });
    it('a number glued to a name is part of it, not a value the name labels ("BLEU-1 gain")', () => {
      expect(metricOf('It adds a 2.4% BLEU-1 gain on the test split.', '2.4%')).toBe('bleu');
    });
    it('a gain after a list is no label ("…, a gain of N")', () => {
      expect(
        metricOf(
          'It raises the success rate from 31.0% to 44.5%, a gain of 13.5 points, at no cost.',
          '13.5 points',
        ),
      ).toBe('success rate');
    });
  });

  describe('measures the table does not list (GUIDE: metric null)', () => {
    it("R², correlations, kappa and specificity: the value has no metric and keeps none of a neighbour's", () => {
      expect(metrics('The regressor achieved an R^2 of 91% with 97% accuracy.')).toEqual([
        ['91%', null],
        ['97%', 'accuracy'],
      ]);
      expect(
        metricOf('Tree models exceed 98% accuracy and a Spearman rank correlation of 0.97.', '0.97'),
      ).toBeNull();
      expect(
        metricOf('The screen reaches 100% sensitivity and 71% specificity at the clinic level.', '71%'),
      ).toBeNull();
    });
  });

  describe('the object of a change', () => {
    it('a metric that only modifies the head noun of the object is not what changed', () => {
      expect(metricOf('The renderer cuts inference time steps by 58% on the scenes.', '58%')).toBeNull();
      expect(
        metricOf('It reduces accuracy disparities across groups by 44% on the fundus set.', '44%'),
      ).toBeNull();
    });
    it('a metric at the head, a head of a table form, or a gap of a metric stays the metric', () => {
      expect(metricOf('It reduces GPU memory usage by 61% during training.', '61%')).toBe('gpu memory');
      expect(metricOf('The cache cuts latency markedly by 35% on long prompts.', '35%')).toBe('latency');
      expect(metricOf('The method reduces the AUC gap between the groups by 0.09 on average.', '0.09')).toBe(
        'auc',
      );
      expect(metricOf('It reduces the computational cost of decoding by 3.4x.', '3.4x')).toBe('compute');
    });
  });

  describe('a margin over a rival (GUIDE: it takes the metric its sentence reports)', () => {
    const tail =
      ' on the new multilingual reading benchmark, which covers long documents in twelve languages and four scripts ' +
      'with retrieval over noisy scans, outperforming the strongest open-weight baseline by 17.4 points.';
    it('beyond the clause window, when the sentence names one metric', () => {
      expect(metricOf(`Our agent reaches 91.0% accuracy${tail}`, '17.4 points')).toBe('accuracy');
      const second =
        'On the new reading benchmark our compact agent reaches 61.2% average accuracy, improving over the strongest ' +
        'proprietary baseline by 9.1 points and over the strongest open-weight baseline by 17.4 points.';
      expect(metricOf(second, '17.4 points')).toBe('accuracy');
    });
    it('not when the sentence names two metrics, nor only a generic one that sets a condition', () => {
      expect(metricOf(`Our agent reaches 91.0% accuracy and 0.84 macro-F1${tail}`, '17.4 points')).toBeNull();
      const generic =
        'Under a fixed compute budget of eight GPU days for every compared system and for each of the data ' +
        'selection strategies in the study, the selected subset beats the full fine-tuning baseline by 6.1 points.';
      expect(metricOf(generic, '6.1 points')).toBeNull();
    });
  });

  describe('confidence intervals (GUIDE: CI bounds are not claims)', () => {
    it('the bounds after "CI" are no claims, the estimate stays', () => {
      expect(texts('The model reached a DSC of 0.851 (95% CI: 0.838-0.866) on the external set.')).toEqual([
        '0.851',
      ]);
      expect(texts('Its sensitivity was 90.3% (95% CI, 88.0%-92.1%) in the trial.')).toEqual(['90.3%']);
    });
  });
});
