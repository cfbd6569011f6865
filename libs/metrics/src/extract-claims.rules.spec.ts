// One focused block per rule added or changed in metrics-1.2.0. Sentences are written for the test (not
// copied from the labelled sets) so that they pin the rule, not a labelled abstract.
import { EXTRACTOR_VERSION, extractClaims } from './index';
import { find, findByRules, texts } from './spec-helpers';

describe('metrics-1.2.0 rules', () => {
  it('carries a version from 1.2.0 on', () => {
    // The rules below came with 1.2.0: a version before it would leave papers extracted under the old
    // rules marked current, so reprocessing would skip them.
    const [, ...parts] = /^metrics-(\d+)\.(\d+)\.(\d+)$/.exec(EXTRACTOR_VERSION) ?? [];
    expect(parts).toHaveLength(3);
    const [major, minor] = parts.map(Number);
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(1 * 1000 + 2);
  });

  describe('model sizes listed after a size that names a model', () => {
    it('drops the rest of a brace list that starts with a glued name', () => {
      expect(texts('We fine-tune {Qwen3-4B, 8B, 14B} on 12 tasks.')).toEqual(['12 tasks']);
    });
    it('drops "Llama-2 7B and 13B"', () => {
      expect(texts('We evaluate Llama-2 7B and 13B on six benchmarks.')).toEqual(['six benchmarks']);
    });
    it('keeps a list of sizes that no name introduces', () => {
      expect(texts('We train models with 7B and 13B parameters.').length).toBeGreaterThan(0);
      expect(extractClaims('Models of 1B, 3B and 8B are released.').map((c) => c.value)).toEqual([
        1e9, 3e9, 8e9,
      ]);
    });
  });

  describe('spreads and shapes', () => {
    it('does not claim the spread after ± / +- / $\\pm$', () => {
      expect(
        extractClaims('an Inception score of 10.36$\\pm$0.15 on the test set').map((c) => c.value),
      ).toEqual([10.36]);
      expect(extractClaims('a Dice score of 83.2% ± 5.1% on the test set').map((c) => c.value)).toEqual([
        83.2,
      ]);
    });
    it('gives a bare value the unit of its spread', () => {
      const c = extractClaims('an averaged Dice score of 86.3+-1.2% for segmentation')[0];
      expect(c).toMatchObject({ value: 86.3, unit: '%' });
    });
    it('reads "32 x 32", "1 \\times 1" and "512×512" as shapes, not multipliers', () => {
      expect(texts('images from 32 x 32 to 96 x 96 pixels')).toEqual([]);
      expect(texts('an invertible $1 \\times 1$ convolution')).toEqual([]);
      expect(texts('crops of 512×512')).toEqual([]);
    });
    it('still reads an upper-case X multiplier', () => {
      expect(find('an average speed-up of 499X over the baseline', '499X')).toMatchObject({
        unit: 'x',
        kind: 'speedup',
      });
    });
    it('does not claim "5-fold cross-validation"', () => {
      expect(texts('validated with 5-fold cross-validation on 105 recordings')).toEqual(['105 recordings']);
    });
  });

  describe('counts', () => {
    it('accepts up to two unknown modifiers before a listed noun', () => {
      expect(
        find('on two jailbreak robustness benchmarks', 'two jailbreak robustness benchmarks'),
      ).toMatchObject({ kind: 'scope', value: 2 });
      expect(
        find(
          'across two publicly available real-world datasets',
          'two publicly available real-world datasets',
        ).kind,
      ).toBe('scope');
    });
    it('accepts an unlisted plural before a stop word', () => {
      expect(texts('images of 144 circuits by 12 drafters')).toEqual(['144 circuits', '12 drafters']);
    });
    it('reads a singular listed noun as the modifier of a compound', () => {
      expect(texts('we test three attack strategies')).toEqual(['three attack strategies']);
    });
    it('reads space-grouped thousands before a noun', () => {
      expect(find('and 48 563 annotations', '48 563 annotations').value).toBe(48563);
    });
    it('does not count durations written as words', () => {
      expect(texts('forecasts up to six months ahead')).toEqual([]);
    });
    it('does not count the paper\'s own parts after "the" or a design verb', () => {
      expect(texts('by fusing the two modalities')).toEqual([]);
      expect(texts('we derive two metrics that summarize risk')).toEqual([]);
      expect(texts('With the latter two gates, the relation is explored.')).toEqual([]);
      expect(texts('we evaluate the two datasets')).toEqual(['two datasets']);
      expect(texts('Three VGG models are utilized as feature extractors.')).toEqual([]);
      expect(texts('Three models are evaluated on MMLU.')).toEqual(['Three models']);
    });
    it('reads "<= 1,024" as a bound, not a formula', () => {
      expect(
        find('small graphs (<= 1,024 subgraph isomorphisms in each)', '1,024 subgraph isomorphisms'),
      ).toMatchObject({ value: 1024, qualifier: 'less than' });
    });
    it('reads a spaced scale letter before a counted noun', () => {
      expect(find('with almost 500 K images', '500 K images')).toMatchObject({
        value: 500_000,
        unit: 'count',
      });
      expect(find('cooled to 500 K in the cryostat', '500 K')).toMatchObject({
        unit: 'other',
        unitText: 'K',
      });
    });
  });

  describe('units', () => {
    it('reads number words with "percent"', () => {
      expect(find('accuracy rose by fifteen percent', 'fifteen percent')).toMatchObject({
        value: 15,
        unit: '%',
      });
    });
    it('reads glued units such as "200lbs"', () => {
      expect(find('a load of 200lbs was applied', '200lbs')).toMatchObject({
        value: 200,
        unit: 'other',
        unitText: 'lbs',
      });
    });
    it('keeps a physical condition written as an assignment, drops a hyper-parameter', () => {
      expect(find('measured at T=0.5 K and zero field', '0.5 K')).toMatchObject({
        value: 0.5,
        unit: 'other',
        unitText: 'K',
      });
      expect(texts('we set k=5 and lr=0.1 throughout')).toEqual([]);
    });
    it('reads a rate unit and its metric', () => {
      expect(find('runs at 10 frames per second on a laptop', '10 frames per second')).toMatchObject({
        unit: 'other',
        metric: 'throughput',
      });
    });
    it('reads a signed gain before a bare metric value', () => {
      expect(find('a larger margin of +2.7 box AP for detection', '2.7')).toMatchObject({
        unit: 'score',
        kind: 'relative_improvement',
        metric: 'map',
      });
    });
    it('reads bare values after "gains of"', () => {
      expect(find('with average gains of 1.98 at the per-sample level', '1.98').kind).toBe(
        'relative_improvement',
      );
    });
  });

  describe('coordinated values share what is said once', () => {
    it('shares the kind of a gain', () => {
      const cs = extractClaims(
        'our approach improves AP by about 2.0% and 0.9% on average compared to the baselines',
      );
      expect(cs.map((c) => [c.value, c.kind, c.metric])).toEqual([
        [2, 'relative_improvement', 'map'],
        [0.9, 'relative_improvement', 'map'],
      ]);
    });
    it('distributes a trailing % over a bare number', () => {
      expect(
        extractClaims('it reached 76.17 and 69.97% of average F-measure').map((c) => [c.value, c.unit]),
      ).toEqual([
        [76.17, '%'],
        [69.97, '%'],
      ]);
    });
    it('pairs metrics and values with "respectively"', () => {
      const cs = extractClaims('our method can boost mIoU and accuracy by 1.4% and 8.2% respectively.');
      expect(cs.map((c) => c.metric)).toEqual(['miou', 'accuracy']);
    });
    it('does not pair when the counts differ', () => {
      const cs = extractClaims('precisions of 90.1%, 99.1% and 98.2% for the three waves, respectively.');
      expect(cs.map((c) => c.metric)).toEqual(['precision', 'precision', 'precision']);
    });
  });

  describe('comparison values not written with "vs"', () => {
    it('makes "higher than X\'s 80.1%" the baseline of the claim', () => {
      const cs = extractClaims("It reaches 85.2% accuracy, higher than GPT-4's 80.1% on MMLU.");
      expect(cs).toHaveLength(1);
      expect(cs[0]).toMatchObject({
        value: 85.2,
        baseline: { value: 80.1, text: '80.1%' },
        improvement: true,
      });
    });
    it('reads "compared to 85% for LoRA" and "71.2 against 65.0"', () => {
      expect(
        extractClaims('We obtain 92% accuracy compared to 85% for LoRA.').map((c) => c.baseline?.value),
      ).toEqual([85]);
      expect(
        extractClaims('it reaches an F1 of 71.2 against 65.0 for SFT.').map((c) => c.baseline?.value),
      ).toEqual([65]);
    });
    it('keeps two gains over two comparators, and "over" as a qualifier', () => {
      expect(
        extractClaims('accuracy improves by 5% over LoRA and by 3% over DoRA.').map((c) => c.value),
      ).toEqual([5, 3]);
      expect(extractClaims('it achieves 45% on X, over 40% on Y').map((c) => c.value)).toEqual([45, 40]);
      expect(extractClaims('it improves accuracy by 5% over LoRA (80%).').map((c) => c.value)).toEqual([
        5, 80,
      ]);
    });
  });

  it('pairs "respectively" only with a list of metrics, not a metric a verb separates', () => {
    const cs = extractClaims(
      'it has the lowest false positive rate and improves precision by 30% and 16% in real and synthetic data, respectively.',
    );
    expect(cs.map((c) => c.metric)).toEqual(['precision', 'precision']);
  });

  it('does not report "performance" as a metric', () => {
    expect(extractClaims('performance improves by 4.8% on average').map((c) => c.metric)).toEqual([null]);
  });

  it('reads "70% mIoU threshold" as a condition', () => {
    expect(find('crossing the 70% mIoU threshold for the first time', '70%')).toMatchObject({
      kind: 'other',
      metric: 'miou',
    });
  });

  it('reads "degradation" after a value as a reduction', () => {
    expect(find('we obtain less than 1% accuracy degradation with 4-bit weights', '1%')).toMatchObject({
      kind: 'reduction',
      metric: 'accuracy',
    });
  });
});

// metrics-1.5.0: sentences written for the test, one block per rule.
describe('metrics-1.5.0 rules', () => {
  describe('durations joined to their noun by a hyphen', () => {
    it.each([
      ['Patients were followed in a 5-year cohort.', '5-year', 'year'],
      ['Glucose was measured by a 2-hour test.', '2-hour', 'hour'],
      ['An eight-year survey of lakes is reported.', 'eight-year', 'year'],
      ['We enrolled a 64-year-old donor.', '64-year-old', 'year'],
      ['Ten-day-old cultures were stained.', 'Ten-day-old', 'day'],
    ])('%s -> %s, a setup duration', (text, span, unitText) => {
      // (the rules' reading: the learned correction calls the 5-year cohort and the eight-year survey results)
      const c = findByRules(text, span);
      expect([c.category, c.kind, c.unit, c.unitText]).toEqual(['setup', 'size', 'other', unitText]);
    });
    it('still drops compound adjectives that are not durations', () => {
      expect(texts('We propose a two-stage pipeline and a three-layer decoder.')).toEqual([]);
      expect(texts('We fit a 3-D model and a 2-in adapter.')).toEqual([]);
    });
  });

  describe('a leading ± with no value before it', () => {
    it('keeps the quantity it signs', () => {
      expect(find('The tidal range was ±12 m. in the basin.', '12 m').unit).toBe('other');
      expect(texts('Velocities are known to ±70 m/s at best.')).toEqual(['70 m/s']);
    });
    it('still treats a ± after a value as its spread', () => {
      expect(texts('Accuracy reaches 86.3 ± 0.15% on the test set.')).toEqual(['86.3 ± 0.15%']);
      expect(texts('The delay was 12 ms ± 3 ms overall.')).toEqual(['12 ms']);
    });
  });

  describe('added units', () => {
    it.each([
      ['The layer sits near the 1 μbar level.', '1 μbar'],
      ['The site lay at 54 °N in the Eocene.', '54 °N'],
      ['The rate fell to 0.01 Mbps under load.', '0.01 Mbps'],
      ['Hydrogen stays neutral up to 3.4Rp in the model.', '3.4Rp'],
      ['Penicillin was added at 100 U/ml daily.', '100 U/ml'],
      ['The mixer ran at 800 rpm overnight.', '800 rpm'],
      ['The farm produced 4.99 TWh over its life.', '4.99 TWh'],
      ['Cells grew in 100-ml bioreactors.', '100-ml'],
      ['The beam circles a 27-km ring.', '27-km'],
    ])('%s -> %s', (text, span) => {
      expect(find(text, span).unit).toBe('other');
    });
  });

  describe('references to parts of the paper', () => {
    it('drops figure, line and phase numbers, whatever letter is glued to them', () => {
      expect(texts('Levels fell by 35% (Fig. 7A) and by 22% (Figures 3I and 3J).')).toEqual(['35%', '22%']);
      expect(texts('Lines 13–17 update the state; line 4 reads it.')).toEqual([]);
      expect(texts('Phases 3, 5, and 7 provide baseline measures.')).toEqual([]);
    });
  });

  describe('sample sizes in parentheses', () => {
    it('reads "(n = 3)" and "(N = 142)" as setup counts', () => {
      const c = find('Responses were weaker in patients (N = 142) than in controls.', '142');
      // (kind 'size' since metrics-1.15.0: a group's size, as the GUIDE and every dev set label it)
      expect([c.unit, c.category, c.kind, c.value]).toEqual(['count', 'setup', 'size', 142]);
      expect(find('Means are shown (mean ± SD, n = 60).', '60').category).toBe('setup');
    });
    it('still drops assignments outside a parenthetical and non-integers', () => {
      expect(texts('For n = 2 the bound is tight.')).toEqual([]);
      expect(texts('Weights are averaged (n = 0.5) here.')).toEqual([]);
    });
  });

  describe('values coordinated under one head noun share its kind', () => {
    it.each([
      ['The kernel gives 4.1x prefill and 2.3x decoding speedups on our GPUs.', 'speedup'],
      ['We report 3x memory and 2x latency reductions at equal quality.', 'reduction'],
      ['It brings 2.1% accuracy and 3.4% F1 gains over the baseline.', 'relative_improvement'],
    ])('%s -> %s for both values', (text, kind) => {
      expect(extractClaims(text).map((c) => c.kind)).toEqual([kind, kind]);
    });
    it('leaves plain coordinated scores alone', () => {
      expect(extractClaims('It scores 45% and 50% on the two sets.').map((c) => c.kind)).toEqual([
        'absolute_score',
        'absolute_score',
      ]);
    });
  });

  describe('a comparison names its quantity', () => {
    it('takes the metric after "in terms of"', () => {
      expect(
        find('Our network is 96% smaller than the baseline in terms of model parameters.', '96%').metric,
      ).toBe('model size');
    });
    it('takes the noun after faster / higher', () => {
      expect(find('It gives 60% faster inference speeds than the teacher.', '60%').metric).toBe('speed');
      expect(find('The agent reaches a 12% higher win rate against the baseline.', '12%').metric).toBe(
        'win rate',
      );
    });
    it('keeps the rule that a counted noun after fewer/more names no metric', () => {
      expect(find('Accuracy is kept with 2x fewer distance computations.', '2x').metric).toBeNull();
    });
  });
});
