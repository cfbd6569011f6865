// metrics-1.23.0: causes metrics-1.22.0 left on the dev sets (issue #18, brief ext29): metric names the vocabulary
// lacked (the averaging after "F1", "area under curve", precision / recall at a cut-off, a LaTeX subscript after the
// name), amounts in watt-hours, shares and multiples of the tokens a method uses, changes of counted weights or
// tokens, and a resource held equal across the compared systems. Sentences are written for the test, not copied from
// any labelled set.
import { find } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.23.0 rules', () => {
  describe('metric names the vocabulary lacked', () => {
    it('reads the averaging written after F1 and the area under a curve without its article', () => {
      expect(metricOf('The tagger reaches a mean F1-macro score of 71.3 over all dialects.', '71.3')).toBe(
        'f1',
      );
      expect(metricOf('The detector reaches an area under curve of 0.88 on the ward data.', '0.88')).toBe(
        'auc',
      );
      expect(metricOf('Its area under the ROC curve is 0.91 on the holdout ward.', '0.91')).toBe('auc');
    });
    it('reads precision and recall at a cut-off written with their initials or in a label', () => {
      const t = 'Our retriever lifts R@10 from 0.41 to 0.57 and improves P@5 by 6.2% on the legal corpus.';
      expect(metricOf(t, '0.57')).toBe('recall');
      expect(metricOf(t, '6.2%')).toBe('precision');
      expect(
        metricOf('Probes align well with vision encoders (recall@20: 0.64-0.69) overall.', '0.64-0.69'),
      ).toBe('recall');
    });
    it('reads a metric with a LaTeX subscript; "AR" alone is not recall', () => {
      const t =
        'On the indoor split our detector raises $IoU_{3D}$ from 31.5 to 33.9 and $mAP_{0.5}$ from 22.4 to 25.0.';
      expect(metricOf(t, '33.9')).toBe('miou');
      expect(metricOf(t, '25.0')).toBe('map');
      expect(metricOf('The headset runs 40% more AR sessions per charge than before.', '40%')).toBeNull();
    });
  });

  describe('an amount in watt-hours', () => {
    it('is energy consumed, whatever else the clause names', () => {
      const t =
        'The edge pipeline keeps 0.2 s latency and consumes 0.48 kWh per 5,000 scans and 3.1 mWh per query on the phone.';
      expect(metricOf(t, '0.48 kWh')).toBe('energy');
      expect(metricOf(t, '3.1 mWh')).toBe('energy');
    });
    it('an error set equal to it keeps its own name', () => {
      expect(
        metricOf('The forecaster lowers its error to MAE = 0.31 kWh on the grid data.', '0.31 kWh'),
      ).toBe('mae');
    });
  });

  describe('a share or a multiple of the tokens a method uses', () => {
    it('measures token usage after a verb of using or saving them', () => {
      expect(
        metricOf('Our reader uses only 18% of the image tokens while keeping 97% accuracy.', '18%'),
      ).toBe('token usage');
      expect(metricOf('The pruner cuts 64% visual tokens with a 0.4% accuracy drop.', '64%')).toBe(
        'token usage',
      );
      expect(metricOf('The debate setup spends ~35x single-model tokens but gains 4% accuracy.', '35x')).toBe(
        'token usage',
      );
    });
    it('a share of tokens a method selects or trains on is no token usage', () => {
      expect(
        metricOf('Training only on the 70% highest-entropy tokens raises accuracy by 2.1%.', '70%'),
      ).not.toBe('token usage');
      // (metrics-1.24.0: tokens per second are a rate, read whole as throughput — still no token usage)
      expect(
        metricOf('The server decodes 3,000 tokens per second on one GPU.', '3,000 tokens per second'),
      ).toBe('throughput');
    });
  });

  describe('a change of counted weights or tokens', () => {
    it('measures model size or token usage, not a metric named beside it', () => {
      expect(
        metricOf(
          'It brings a 3.1x reduction in adapter parameters while improving recall on rare classes.',
          '3.1x',
        ),
      ).toBe('model size');
      expect(
        metricOf('Our tuner reduces image encoder parameters by 72% and keeps segmentation quality.', '72%'),
      ).toBe('model size');
      expect(metricOf('The agent lowers planning tokens by 41% and raises accuracy by 3%.', '41%')).toBe(
        'token usage',
      );
    });
  });

  describe('a resource held equal across the compared systems', () => {
    it('is the setting of the comparison, not what its numbers measure', () => {
      expect(
        metricOf(
          'Trained on identical data and compute, our recipe beats the baseline by 2.4 points.',
          '2.4 points',
        ),
      ).not.toBe('compute');
      expect(
        metricOf('At the same FLOPs, the sparse model is better by 1.9% on the suite.', '1.9%'),
      ).not.toBe('compute');
    });
    it('a change of the resource itself still measures it', () => {
      expect(metricOf('Our kernel reduces compute by 37% on long inputs.', '37%')).toBe('compute');
    });
  });
});
