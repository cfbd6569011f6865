// metrics-1.25.0: causes metrics-1.24.0 left on the fresh dev-26 (issue #18, brief claims21), each a general phrasing:
// metric names the table lacked (a jailbreak's success rate, the hyphenated false-positive rate, plural balanced
// accuracies); a measure the value's own "a/an … of" names; a change's object that ends at a parenthesis; the measure in
// parentheses after the benchmark a value was measured on; a comparison written in math before "by"; the object of a
// change that a comparison follows; ranges whose two ends are each in math of their own; a percent sign after bold math;
// rivals' scores written "at N" after the verb that beats them, and a list naming each rival after its value; k-fold
// cross-validation with modifiers between; decades; comma-listed modifiers with more modifiers before the counted noun;
// the noun a comparative governs; a change in parentheses after a noun phrase; a bare "M" a parameter count is set to;
// a short unit before a measure the table names.
// Sentences are written for the test, not copied from any labelled set.
import { find, texts } from './spec-helpers';

const metricOf = (t: string, span: string): string | null => find(t, span).metric;

describe('metrics-1.25.0 rules', () => {
  describe('metric names the table lacked', () => {
    it.each([
      [
        'The attack raises the jailbreak success rate to 87.5% on the aligned model.',
        '87.5%',
        'attack success rate',
      ],
      [
        'Filtering brings a 1.8 percentage point drop in false-positive rate.',
        '1.8 percentage point',
        'false positive rate',
      ],
      ['All probes reach balanced accuracies above 91% on the clean split.', '91%', 'balanced accuracy'],
    ])('%s', (t, span, metric) => {
      expect(metricOf(t, span)).toBe(metric);
    });
  });

  describe('a measure the value\'s own "a/an … of" names is its own', () => {
    it('a measure the table does not know is not lent the clause metric', () => {
      const t = 'The ranker reaches 88.1% accuracy with a calibration effect of 0.41 on the test split.';
      expect(metricOf(t, '88.1%')).toBe('accuracy');
      expect(metricOf(t, '0.41')).toBeNull();
    });
    it('nor is an acronym the table does not know, while one it knows keeps its metric', () => {
      const t = 'The sampler reaches an FID of 2.31 and an IS of 210.4 on the class-conditional task.';
      expect(metricOf(t, '2.31')).toBe('fid');
      expect(metricOf(t, '210.4')).toBeNull();
      expect(metricOf('The decoder restores frames with a PSNR of 31.2 dB.', '31.2 dB')).toBe('psnr');
    });
  });

  it("a change's object ends at a parenthesis that explains it", () => {
    const t = 'Accuracy rises by 2.1%, driven by a 12% reduction in label bias (0.25 to 0.22).';
    expect(metricOf(t, '2.1%')).toBe('accuracy');
    expect(metricOf(t, '12%')).toBeNull();
  });

  describe('the measure in parentheses after the benchmark a value was measured on', () => {
    it.each([
      ['The coder improves by 4.4% on HumanEval (pass@1) over its base.', '4.4%', 'pass@k'],
      ['The detector gains 3.2% on the harbour benchmark (mAP) after tuning.', '3.2%', 'map'],
    ])('%s', (t, span, metric) => {
      expect(metricOf(t, span)).toBe(metric);
    });
    it('not a setting in the parentheses', () => {
      expect(metricOf('The model reaches 71.2% on the quiz (5-shot) without tools.', '71.2%')).toBeNull();
    });
  });

  describe('math around the value', () => {
    it('a change written in math after "by" is of its own object, not a speed-up named before', () => {
      const t =
        'The method accelerates decoding with a $2.5\\times$ speedup and reduces the cache miss rate by $18\\%$.';
      expect(metricOf(t, '18\\%')).toBeNull();
    });
    it('a comparison after the object does not hide it', () => {
      expect(
        metricOf('It speeds up computation compared to full retraining by $40$ times.', '40$ times'),
      ).toBe('compute');
    });
    it.each([
      ['It cuts latency by $4$-$7\\times$ on the phone.', '4$-$7\\times$', 4, 7, 'x'],
      ['It trims memory by $20\\%$-$35\\%$ at long context.', '20\\%$-$35\\%', 20, 35, '%'],
      ['The gain is $2$--$6$ points on the harder split.', '2$--$6$ points', 2, 6, 'pp'],
    ])('a range whose ends are each in math: %s', (t, span, low, value, unit) => {
      const c = find(t, span);
      expect([c.low, c.value, c.unit]).toEqual([low, value, unit]);
    });
    it('a percent sign after bold math', () => {
      const c = find('It trims generated tokens by up to $\\textbf{41.2}$% on long prompts.', '41.2}$%');
      expect([c.unit, c.kind, c.metric]).toEqual(['%', 'reduction', 'token usage']);
    });
  });

  describe('rivals\' scores written "at N" after the verb that beats them are comparisons', () => {
    it('after a claim of the method: they are its baseline', () => {
      const t =
        'Our parser reaches an F1 of 0.87, beating both the rule baseline at 0.79 and the neural baseline at 0.82.';
      expect(texts(t)).toEqual(['0.87']);
      expect(find(t, '0.87').baseline?.value).toBe(0.79);
    });
    it('with a pronoun for the method', () => {
      expect(texts('It outperforms both ChatGPT at 61.0% and the best open model at 55.4%.')).toEqual([]);
    });
    it('not a condition the rivals were compared at', () => {
      expect(texts('It surpasses dense attention at 85% sparsity with a 2.1x speedup.')).toContain('85%');
    });
    it('a list naming each rival after its value', () => {
      expect(texts('The planner solves 78% of cases against 52% (greedy) and 47% (random).')).toEqual([
        '78%',
      ]);
    });
  });

  describe('protocol and dates', () => {
    it('k-fold cross-validation with modifiers between', () => {
      expect(
        texts('Models are scored with 10-fold repeated stratified cross-validation on 312 patients.'),
      ).toEqual(['312 patients']);
      expect(texts('We see a 3-fold increase in cross-validation accuracy.')).toEqual(['3-fold']);
    });
    it('a decade', () => {
      expect(texts('Such detectors date back to the 1990s and were revived in the early 2010s.')).toEqual([]);
      expect(texts('One epoch took 1900s on the small GPU.')).toEqual(['1900s']);
    });
  });

  describe('comma-listed modifiers, then more modifiers before the counted noun', () => {
    it('counts the noun', () => {
      const c = find(
        'We test on three small, noisy hospital datasets from two countries.',
        'three small, noisy hospital datasets',
      );
      expect([c.value, c.unit, c.category]).toEqual([3, 'count', 'setup']);
    });
    it('not a plural noun followed by a participle', () => {
      expect(texts('We mine 64 tasks from 12 repositories, covering diverse languages and tools.')).toEqual([
        '64 tasks',
        '12 repositories',
      ]);
    });
    it('not across a clause word', () => {
      const c = find(
        'The video fits a context of about 5k length, where random frames can be fetched.',
        '5k',
      );
      expect(c.unit).toBe('tokens');
    });
  });

  describe('the noun a comparative right after the value governs', () => {
    it('names no metric: the list the value is in lends it none', () => {
      const t = 'The segmenter gives 2-5% Dice improvements and 6-9% higher robustness over prior work.';
      expect(metricOf(t, '2-5%')).toBe('miou');
      expect(metricOf(t, '6-9%')).toBeNull();
    });
    it('names a metric further on in its phrase, or is no object at all', () => {
      expect(
        metricOf('The index serves 4x higher queries-per-second (QPS) throughput than HNSW.', '4x'),
      ).toBe('throughput');
      expect(metricOf('The tagger reaches 91% accuracy, 3% higher overall.', '3%')).toBe('accuracy');
      // (a speed's comparative is left to the speed rules)
      expect(
        metricOf('It reduces decoding time by 9% and gives 11% faster decoding on long inputs.', '11%'),
      ).toBe('inference time');
    });
  });

  describe('units', () => {
    it('a bare "M" a parameter count is set to is a parameter count', () => {
      const c = find('When the parameter count grows to 410M, the sampler improves further.', '410M');
      expect([c.unit, c.value]).toEqual(['params', 410e6]);
    });
    it('a short physical unit before a measure the table names', () => {
      const c = find('The probe locates the tip with a 0.021 m RMSE on the phantom.', '0.021 m');
      expect([c.unit, c.unitText, c.metric]).toEqual(['other', 'm', 'rmse']);
    });
  });

  it('a change in parentheses right after a noun phrase is of that phrase', () => {
    const t =
      'The editor keeps fluency while raising edit locality (by up to 27%) and latency (by 12%) on long inputs.';
    expect(metricOf(t, '27%')).toBeNull();
    expect(metricOf(t, '12%')).toBe('latency');
  });
});
