// metrics-1.26.0: causes metrics-1.25.0 left on the fresh dev-26 … dev-27 draw (issue #18, brief claims22) and the shapes a
// user review found on sample papers, each a general phrasing: the metric of a result claim (a passive subject with a
// complement, "average precision" written out, a cut-off metric right after the value, the object of a change before
// the operating point it is read at, a share of a resource list, a metric form that only modifies a kind of system, a
// participle clause reporting what a result shows); a model made N× smaller; datasets N× larger; figures a clause
// reports from earlier work; a reference's value in parentheses or before "baseline", and "reaching B from A"; the
// false-positive rate a detection rate is read at; a rival's size "N× its size"; horizons of an outcome; lists sharing
// a kind past a qualifier; LaTeX's "\(…\)" math and control space; a bound "+" before "%"; counts listed before one noun.
// Sentences are written for the test, not copied from any labelled set or from the review.
import { extractClaims } from './extract-claims';
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.26.0 rules', () => {
  describe('the metric of a result claim', () => {
    it('a passive subject with a complement: its head is before the complement', () => {
      const t = 'The mean detection recall over all six sensor types is raised by 5.4% with the new prior.';
      expect(metricOf(t, '5.4%')).toBe('recall');
    });
    it('"average precision" written out is AP (map), not precision', () => {
      const t = 'The detector gains 2.2 points of average precision on the crowded split.';
      expect(metricOf(t, '2.2 points')).toBe('map');
    });
    it('a metric read at a cut-off, right after the value, over the measure named before', () => {
      const t = 'The agent reaches a success of 41.3% pass@1 on the repository tasks.';
      expect(metricOf(t, '41.3%')).toBe('pass@k');
    });
    it('the object of a change, not the rate of the operating point it is read at', () => {
      const t = 'The probe increases TPR at 0.1% FPR by 2.5x over the loss-based attack.';
      expect(metricOf(t, '2.5x')).toBe('recall');
      expect(texts(t)).not.toContain('0.1%');
    });
    it('a share of a resource list takes the first resource the table names, and is a retention', () => {
      const t =
        'The planner ranks first on two suites with roughly 30% of the time and cost of the strongest agent.';
      const c = find(t, '30%');
      expect(c.metric).toBe('cost');
      expect(c.kind).toBe('retention');
    });
    it('a metric form that only modifies a kind of system names no metric', () => {
      const t = 'Our agent beats retrieval-free latency baselines, with gains of up to 9% on the web tasks.';
      expect(metricOf(t, '9%')).toBeNull();
      // (a unit after a number stays a measure: "a 25 FPS system")
      expect(metricOf('It runs as a 25 FPS system on the drone.', '25 FPS')).toBe('throughput');
    });
    it('a participle clause reporting what a result shows has measures of its own', () => {
      const t =
        'More anchors improve localisation by 6-9%, showing that the remaining error is mostly label noise.';
      expect(metricOf(t, '6-9%')).toBeNull();
    });
  });

  describe('sizes compared: the model and the data', () => {
    it('a model made N× smaller measures model size, whatever precision the clause names', () => {
      const t = 'Low-bit quantization with FP8 precision yields a 4.7× smaller model for the phone.';
      const c = find(t, '4.7×');
      expect(c.metric).toBe('model size');
      expect(c.kind).toBe('reduction');
    });
    it('datasets N× larger name no memory the clause mentions', () => {
      const t = 'Streaming shards lets the trainer handle corpora 60× larger than its GPU memory holds.';
      expect(metricOf(t, '60×')).toBeNull();
    });
  });

  describe('figures reported from earlier work are background', () => {
    it('a clause opening on what earlier studies showed states no claim of the paper', () => {
      const t =
        'Earlier studies have reported that caching cuts serving cost by 64%. We present ReCache, which lowers latency by 12%.';
      expect(texts(t)).toEqual(['12%']);
    });
    it('the clause ends where the abstract turns to its own work', () => {
      const t =
        'It has been shown that pruning keeps 90% of accuracy; we find that our router adds 3.5% on top.';
      expect(texts(t)).toEqual(['3.5%']);
    });
  });

  describe('a reference and the change measured over it', () => {
    it('the value in parentheses after the baseline a change is measured over is its baseline', () => {
      const t = 'The tuned model improves by 8.40% over the zero-shot baseline (52.10%).';
      const claims = extractClaims(t);
      expect(claims.map((c) => c.text)).toEqual(['8.40%']);
      expect(claims[0].unit).toBe('%'); // (GUIDE: "%" as written; "points" or "absolute" would make it pp)
      expect(claims[0].baseline?.value).toBe(52.1);
    });
    it('a reference value opening the sentence is the baseline of its claim', () => {
      const t = 'Relative to the 47.5% baseline, the student improves by 6.25%.';
      const claims = extractClaims(t);
      expect(claims.map((c) => c.text)).toEqual(['6.25%']);
      expect(claims[0].baseline?.value).toBe(47.5);
    });
    it('"reaching B from A": A is the baseline of B', () => {
      const t = 'The success rate climbs by 11.2%, reaching 63.0% from 51.8%.';
      expect(texts(t)).toEqual(['11.2%', '63.0%']);
      expect(find(t, '63.0%').baseline?.value).toBe(51.8);
    });
    it('the upper end of a range compared with is part of the comparison', () => {
      const t = 'The aligned decoders reach 71--78% vs. 52--60% of the ceiling.';
      expect(texts(t)).toEqual(['71--78%']);
    });
  });

  describe('values that are no claims', () => {
    it('a rival N× its size', () => {
      expect(texts('Our 1B model beats a dense rival 12x its size on reasoning.')).not.toContain('12x');
    });
    it('the horizon of an outcome', () => {
      const t = 'We predict 3-year relapse risk and 30-day readmission for 812 patients.';
      expect(texts(t)).toEqual(['812 patients']);
    });
  });

  describe('lists, math and bounds', () => {
    it('a listed value keeps the list kind past a qualifier', () => {
      const t = 'It lifts pass rates by 14% on easy puzzles and about 40% on hard puzzles.';
      expect(find(t, '40%').kind).toBe('relative_improvement');
    });
    it('a share of a rival of three words and its quality is a retention', () => {
      expect(find("The small model reaches 88.5% of Mega Chat 3.1's quality.", '88.5%').kind).toBe(
        'retention',
      );
    });
    it('"\\(…\\)" math reads as "$" math; the spans are the abstract\'s own', () => {
      const t = 'Pruning removes \\(62.5\\%\\) of FLOPs and gives a \\(1.9\\times\\) inference speed-up.';
      const c = find(t, '1.9\\times');
      expect(c.kind).toBe('speedup');
      expect(t.slice(c.start, c.end)).toBe(c.text);
    });
    it('a LaTeX control space after "vs." keeps the comparison', () => {
      const t = 'The judge agrees with experts more often ($71\\%$ vs.\\ $64\\%$).';
      expect(texts(t)).toEqual(['71\\%']);
    });
    it('a metric right before math opened after a space scores the value', () => {
      expect(metricOf('The probe reaches AUC $0.912 \\pm 0.01$ on the shifted split.', '0.912')).toBe('auc');
    });
    it('a bound "+" between the number and its percent sign', () => {
      const c = find('The filter raises precision by 20+% on noisy labels.', '20+%');
      expect(c.unit).toBe('%');
      expect(c.metric).toBe('precision');
    });
    it('whole numbers listed before one counted noun each count it; "3 or 4 orders of magnitude" does not', () => {
      expect(texts('We run trials with 4, 8, and 16 robots in the warehouse.')).toEqual(
        expect.arrayContaining(['8', '16 robots']),
      );
      expect(texts('Such models need 2 or 3 orders of magnitude more data.')).not.toContain('2');
    });
  });
});
