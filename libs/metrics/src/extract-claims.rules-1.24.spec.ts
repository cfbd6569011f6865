// metrics-1.24.0: causes metrics-1.23.0 left on the fresh dev-25 and on dev-20..24 (issue #18, brief claims20): the
// degree sign as LaTeX writes it, coordinated measures paired with a "respectively" list of values or a list of
// savings, the comparative of data-efficient, the return an RL agent averages, a measure named in Title Case before
// "of", the steps a result is reached in "with only" N, "N× worse", items processed per unit of time, time units
// written out, a metric of several words before a change noun, and agreement or an "X-index" as measures of their
// own; "%p" as percentage points, angles in LaTeX and angular extents, years that are dates, and thousands grouped with a
// dot; a count of categories stays a size after the learned kind correction; a share of the outputs or units a study
// counts is no level reached; a metric's name modifying a listed noun of the data's size; a bootstrap interval's level. Sentences are written for the test, not
// copied from any labelled set.
import { find, findByRules, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.24.0 rules', () => {
  describe('a degree sign written in LaTeX is a unit of its own', () => {
    it.each([
      ['The probe reads a mean bias of 1.4{\\deg}C over the summer.', '1.4{\\deg}C'],
      ['Cooling lowers the core by 3.5$^\\circ$C at full load.', '3.5$^\\circ$C'],
      ['Peaks reach 41$^{\\circ}$C in the attic.', '41$^{\\circ}$C'],
    ])('%s', (t, span) => {
      const c = find(t, span);
      expect(c.unit).toBe('other');
      expect(c.unitText).not.toBeNull();
    });
    it('so that two such values pair with two named errors, respectively', () => {
      const t =
        'The regional model attains MAE and RMSE values of 0.71{\\deg}C and 1.08{\\deg}C, respectively.';
      expect(metricOf(t, '0.71{\\deg}C')).toBe('mae');
      expect(metricOf(t, '1.08{\\deg}C')).toBe('rmse');
    });
  });

  describe('measures coordinated before a list of values pair with them in order', () => {
    it.each([
      [
        'The planner improves route completion and success rate by +9.1 and +12.4, respectively.',
        [
          ['9.1', null],
          ['12.4', 'success rate'],
        ],
      ],
      [
        'Pruning reduces peak memory and inference time by 35% and 22%, respectively, on the phone.',
        [
          ['35%', 'gpu memory'],
          ['22%', 'inference time'],
        ],
      ],
      [
        'The cache yields energy and latency savings of up to 41% and 18% on the edge board.',
        [
          ['41%', 'energy'],
          ['18%', 'latency'],
        ],
      ],
    ])('%s', (t, pairs) => {
      for (const [span, metric] of pairs as Array<[string, string | null]>)
        expect(metricOf(t, span)).toBe(metric);
    });
    it('but not when the phrase before "by" holds one measure, or the list has no change verb', () => {
      const one =
        'It keeps the lowest error rate and improves recall by 8% and 5% on day and night scenes, respectively.';
      expect(metricOf(one, '8%')).toBe('recall');
      expect(metricOf(one, '5%')).toBe('recall');
      const places = 'Tests in Spain, Chile, and Kenya gave F1 scores of 0.81, 0.77, and 0.69, respectively.';
      for (const span of ['0.81', '0.77', '0.69']) expect(metricOf(places, span)).toBe('f1');
    });
  });

  describe('measures the vocabulary lacked', () => {
    it('"N× more data-efficient" is sample efficiency; compute-efficient names no table metric', () => {
      const t = 'The adapter is 12x more sample-efficient and 5x more compute-efficient than full tuning.';
      expect(metricOf(t, '12x')).toBe('sample efficiency');
      expect(metricOf(t, '5x')).toBeNull();
      expect(metricOf('It is 8x more data-efficient than the baseline.', '8x')).toBe('sample efficiency');
    });
    it('the mean or average return of an agent is its reward', () => {
      expect(metricOf('Curriculum shaping raises mean return by 31% on the maze tasks.', '31%')).toBe(
        'reward',
      );
      expect(metricOf('The policy reaches an average return of 412 on the hopper.', '412')).toBe('reward');
    });
  });

  describe('a measure named in Title Case right before "of" is the value\'s own', () => {
    it("so a coordinated value does not borrow the first value's metric", () => {
      const t =
        'The winning entry reached an mIoU of 0.842 and Boundary Consistency of 0.615 on the test set.';
      expect(metricOf(t, '0.842')).toBe('miou');
      expect(metricOf(t, '0.615')).toBeNull();
    });
    it('a Title Case name the table knows keeps its metric', () => {
      expect(metricOf('The tagger attains a Mean Average Precision of 0.57 overall.', '0.57')).toBe('map');
    });
  });

  describe('the steps a result is reached in, after "only" or "as few as", are counted', () => {
    it.each([
      ['The distilled sampler keeps an FID of 2.9 with only 2 denoising steps.', '2 denoising steps'],
      ['With only 4 NFE, the solver matches the teacher.', '4 NFE'],
      ['Generation stays sharp in as few as 2 to 8 steps.', '2 to 8 steps'],
    ])('%s', (t, span) => {
      const c = find(t, span);
      expect(c.unit).toBe('count');
      expect(c.category).toBe('result');
      expect(c.kind).toBe('other');
      expect(c.metric).toBeNull();
    });
    it("but the steps of the paper's own pipeline are not", () => {
      expect(texts('Our pipeline has three steps and five stages.')).toEqual([]);
      expect(texts('The scheme takes 4 steps to converge in theory.')).not.toContain('4 steps');
    });
  });

  describe('"N× worse" is a degradation', () => {
    it('of the measure it qualifies', () => {
      const c = findByRules(
        'Adding critique tools gives up to 2.6x worse mean return on the hard maps.',
        '2.6x',
      );
      expect(c.kind).toBe('reduction');
      expect(c.metric).toBe('reward');
    });
  });

  describe('items processed per unit of time', () => {
    it.each([
      ['The scanner pipeline handles 340 slides per hour on one GPU.', '340 slides per hour'],
      ['Our server sustains 12,000 queries per second under load.', '12,000 queries per second'],
      ['The sorter reaches 95 parcels per minute.', '95 parcels per minute'],
    ])('%s is a rate of throughput', (t, span) => {
      const c = find(t, span);
      expect(c.unit).toBe('other');
      expect(c.category).toBe('result');
      expect(c.metric).toBe('throughput');
    });
    it('unless the clause names the measure the rate is a value of', () => {
      expect(
        find(
          'Heart rate is tracked with an RMSE of 2.7 beats per minute on the test subjects.',
          '2.7 beats per minute',
        ).metric,
      ).toBe('rmse');
    });
    it('unless the items name a measure of their own', () => {
      expect(find('The arm makes 1.5 errors per hour on the line.', '1.5 errors per hour').metric).not.toBe(
        'throughput',
      );
    });
  });

  describe('time units written out', () => {
    it('a latency in milliseconds is a latency', () => {
      const c = find('The tracker has a latency of ~35 milliseconds on the drone.', '35 milliseconds');
      expect(c.unit).toBe('other');
      expect(c.metric).toBe('latency');
    });
  });

  describe('the metric named right before a change noun', () => {
    it('may be a name of several words', () => {
      expect(
        metricOf('Augmentation gives a mean average precision gain of 4.4% on the drones.', '4.4%'),
      ).toBe('map');
      expect(metricOf('We observe a word error rate reduction of 9% on accented speech.', '9%')).toBe('wer');
    });
    it('a change of parameters is one of model size', () => {
      expect(metricOf('Sharing the heads brings parameter reductions of 38% at equal accuracy.', '38%')).toBe(
        'model size',
      );
    });
  });

  describe("measures the table does not list keep no neighbour's metric", () => {
    it('agreement with a reference', () => {
      expect(
        metricOf('The grader reaches 88% agreement with teachers, a useful reward signal.', '88%'),
      ).toBeNull();
    });
    it('an index or score named with a hyphen', () => {
      const t = 'It beats the survival baselines by 3.1% AUROC and by 2.4% C-index on the cohort.';
      expect(metricOf(t, '3.1%')).toBe('auc');
      expect(metricOf(t, '2.4%')).toBeNull();
    });
  });

  describe('units written the way some abstracts write them', () => {
    it('"%p" (also after an escaped percent sign) is percentage points', () => {
      expect(find('The parser gains 4.1\\%p over the baseline on noisy input.', '4.1\\%p').unit).toBe('pp');
      expect(find('It is 2.7%p more accurate on the rare classes.', '2.7%p').unit).toBe('pp');
    });
    it('an angle in LaTeX is a unit; a 360-degree view and an angular extent are no claims', () => {
      const c = find('The head pose error falls to 4.2{\\deg} on the driver set.', '4.2{\\deg}');
      expect(c.unit).toBe('other');
      expect(c.metric).toBe('error rate');
      expect(texts('The rig stitches a 360$^\\circ$ panorama from the camera ring.')).toEqual([]);
      expect(texts('Forecasts are issued on a grid at 0.25{\\deg} resolution worldwide.')).toEqual([]);
      expect(texts('The display covers a viewing cone of 52.5{\\deg} X 30.2{\\deg} in our tests.')).toEqual(
        [],
      );
    });
  });

  describe('numbers that are no counts of what follows them', () => {
    it('a year after "from", "since", "as" or a name is a date', () => {
      expect(texts('As 2035 approaches, agencies still lack tools.')).toEqual([]);
      expect(texts('Following the STROBE 2021 checklist, we report 42 cohorts.')).toEqual(['42 cohorts']);
      expect(
        find('The archive holds 2021 annotated manuscripts in total.', '2021 annotated manuscripts').value,
      ).toBe(2021);
    });
    it('a count written with a dot before three digits groups thousands', () => {
      expect(
        find('The corpus holds 12.406 scanned pages from 3.117 donors.', '12.406 scanned pages').value,
      ).toBe(12406);
      expect(find('The corpus holds 12.406 scanned pages from 3.117 donors.', '3.117 donors').value).toBe(
        3117,
      );
    });
    it('but not an average, a rate or a fraction below one', () => {
      expect(find('Scenes hold an average of 2.125 objects each.', '2.125 objects').value).toBe(2.125);
    });
  });

  describe('a count of categories is a size, whatever is categorised (GUIDE)', () => {
    it.each([
      ['The benchmark spans 4,200 prompts across eight risk categories.', 'eight risk categories'],
      [
        'The dataset has 3,000 dialogues across four languages and six fine-grained toxicity categories.',
        'six fine-grained toxicity categories',
      ],
      ['We evaluate agents on three categories of compositional operations.', 'three categories'],
    ])('%s', (t, span) => {
      const c = find(t, span);
      expect(c.category).toBe('setup');
      expect(c.kind).toBe('size');
    });
  });

  describe('a share of the outputs, answers or units a study counts', () => {
    it.each([
      ['Across nine assistants we find fabricated citations in 23.5% of outputs overall.', '23.5%'],
      ['The syllabus covers 61.2% of the curriculum knowledge units in both editions.', '61.2%'],
      ['Annotators flagged 12% of the generated suggestions as unsafe.', '12%'],
    ])('%s is how they split, not a level reached', (t, span) => {
      const c = find(t, span);
      expect(c.category).toBe('result');
      expect(c.kind).toBe('other');
      expect(c.metric).toBeNull();
    });
  });

  describe("a metric's name before a listed noun of the data's size is a modifier", () => {
    it('so the count is read', () => {
      const c = find(
        'The corpus splits 8,000 replies into four hallucination categories.',
        'four hallucination categories',
      );
      expect(c.kind).toBe('size');
      expect(c.metric).toBeNull();
    });
  });

  describe('the level of a bootstrap interval', () => {
    it('is a setting of the statistics, no claim', () => {
      expect(texts('Its 90% bootstrap interval excludes zero on every split.')).toEqual([]);
    });
  });
});
