// metrics-1.22.0: causes metrics-1.21.0 left on the dev sets (issue #18, brief ext28): a metric read at a cut-off after
// "@" and set equal to a value, a "$" that closes LaTeX math before a value, the measure named right after a value's
// "in" / "on", a change whose object names no measure, a unit written after a number alone in LaTeX math, and number
// words with "-fold" after a change verb. Sentences are written for the test, not copied from any labelled set.
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.22.0 rules', () => {
  describe('a metric read at a cut-off after "@" and set equal to a value', () => {
    it('is a claim of that metric (the number after "@" is part of the name)', () => {
      const t = 'The detector keeps mAP@0.5 = 0.843, F1@5 = 0.66 and mAP@50: 61.2 on the night split.';
      expect(texts(t)).toEqual(['0.843', '0.66', '61.2']);
      expect(metricOf(t, '0.843')).toBe('map');
      expect(metricOf(t, '0.66')).toBe('f1');
      expect(metricOf(t, '61.2')).toBe('map');
    });
    it('a name the table knows with its cut-off keeps its own entry; a version string stays no claim', () => {
      const t = 'Our agent scores pass@k = 0.41 and Recall@10 = 0.52 on the suite.';
      expect(metricOf(t, '0.41')).toBe('pass@k');
      expect(metricOf(t, '0.52')).toBe('recall');
      expect(texts('The release v1.5 = 3 ships with the paper.')).toEqual([]);
    });
  });

  describe('a "$" that closes LaTeX math right before a value', () => {
    it('is no dollar sign: the metric written in math names the value', () => {
      const t = 'On the harder split the tagger reaches macro-$F_1$ 0.512, above the rule baseline.';
      expect(find(t, '0.512').unit).toBe('score');
      expect(metricOf(t, '0.512')).toBe('f1');
      expect(metricOf('The tagger has $F_1$ 0.612 on the test split.', '0.612')).toBe('f1');
    });
    it('a real dollar amount is still money', () => {
      const c = find('Each query costs $0.40 on the hosted model.', '$0.40');
      expect(c.unit).toBe('other');
      expect(c.metric).toBe('cost');
    });
  });

  describe('the measure named right after a value\'s "in" / "on"', () => {
    it('is what the value scores, whatever the clause named before', () => {
      expect(
        metricOf('Our planner reaches 61% accuracy, yet no system exceeds 30% on strict pass^3.', '30%'),
      ).toBe('pass@k');
      expect(
        metricOf('It beats the baseline on recall by 12% in both top-1 and top-5 accuracy.', '12%'),
      ).toBe('accuracy');
    });
    it('stops at the clause: a kept-constant phrase or the examples after "including" lend no measure', () => {
      expect(
        metricOf('It cuts tool errors by over 10% on SWE-Lite while maintaining answer accuracy.', '10%'),
      ).toBe('error rate');
      expect(metricOf('It gains 8% on perceptual metrics including PSNR, SSIM and FID.', '8%')).not.toBe(
        'psnr',
      );
    });
  });

  describe("a change whose object names no measure (GUIDE: a metric that does not reach the value's clause)", () => {
    it("changed that object, not the clause's metric", () => {
      const t = 'Our scanner keeps 31.2 dB PSNR and enables an 8x reduction in patient radiation dose.';
      expect(metricOf(t, '31.2 dB')).toBe('psnr');
      expect(metricOf(t, '8x')).toBeNull();
      expect(metricOf('It reaches 88% accuracy and a 30% reduction in label noise.', '30%')).toBeNull();
    });
    it('an object that names a measure, a weight count or a data set keeps its reading', () => {
      expect(metricOf('It yields a 40% reduction in parameters over the baseline.', '40%')).toBe(
        'model size',
      );
      expect(
        metricOf(
          'Trees gain up to 23% improvement in area under the ROC curve (AUC) with the new features.',
          '23%',
        ),
      ).toBe('auc');
      const t =
        'We set a new best accuracy on long-tailed data (2% improvement in Cifar10-LT, 4% in ImageNet-LT).';
      expect(metricOf(t, '2%')).toBe('accuracy');
    });
  });

  describe('a number alone in LaTeX math', () => {
    // (the span starts at the digits and ends with the unit, as "12\\times$" of "$12\\times$" does)
    it('keeps the unit written after the closing "$"', () => {
      const size = find('We fine-tune models with up to $70$ billion parameters.', '70$ billion parameters');
      expect(size.unit).toBe('params');
      expect(size.value).toBe(70e9);
      expect(find('It speeds up decoding by $12$ times on long inputs.', '12$ times').unit).toBe('x');
      expect(find('The tracker beats the best rival by $4.5$ points on the board.', '4.5$ points').unit).toBe(
        'pp',
      );
      expect(find('We label $420$k images by hand.', '420$k images').value).toBe(420e3);
      // (a bare verb after math stays unread, as metrics-1.7.0 pinned: "$2$ admits"; metrics-1.32.0: a plural noun with a
      // modifier is counted, as dev-9 labels "a manually annotated dataset of $512$ text chunks")
      expect(texts('By Lemma 3, $2$ admits a cover.')).toEqual([]);
      expect(find('We annotate $512$ text chunks by hand.', '512$ text chunks').kind).toBe('size');
    });
    it('not a number glued into a name or a hyphenated modifier', () => {
      expect(texts('We fine-tune on GSM$8$K with a $2$-simplicial attention block.')).toEqual([]);
    });
  });

  describe('number words with "-fold"', () => {
    it('are multipliers after a change verb, coordinated ones too', () => {
      const t = 'Citations of the method increase fivefold in biology and tenfold in physics.';
      expect(extractClaims(t).map((c) => [c.text, c.value, c.unit])).toEqual([
        ['fivefold', 5, 'x'],
        ['tenfold', 10, 'x'],
      ]);
      expect(find('Throughput grows over threefold on the cluster.', 'threefold').unit).toBe('x');
    });
    it('not as an adjective of a plan or a list', () => {
      expect(texts('Our contributions are threefold. We adopt a twofold strategy.')).toEqual([]);
    });
  });
});
