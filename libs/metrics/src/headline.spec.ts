import type { Claim } from '@paperwire/contracts';
import { claimFixture } from '@paperwire/testing';
import {
  METRIC_TABLE,
  extractClaims,
  formatClaim,
  headlineClaim,
  headlineScore,
  metricDisplayName,
} from './index';

const claim = (over: Partial<Claim>): Claim =>
  claimFixture({
    end: 3,
    text: '10%',
    value: 10,
    unit: '%',
    kind: 'other',
    metric: null,
    improvement: null,
    ...over,
  });

describe('headlineClaim: the claim that best states the main result', () => {
  it('never picks a setup claim, and answers null when there is no result claim', () => {
    const setup = [
      claim({ category: 'setup', kind: 'scope', unit: 'count', value: 26 }),
      claim({ category: 'setup', kind: 'size', unit: 'params', value: 7e9 }),
    ];
    expect(headlineClaim(setup)).toBeNull();
    expect(headlineScore(setup[0])).toBeNull();
    const result = claim({ kind: 'absolute_score', metric: 'accuracy', value: 80 });
    expect(headlineClaim([...setup, result])).toBe(result);
  });

  it('prefers a claim with a metric and a comparison over a larger bare number', () => {
    const bare = claim({ kind: 'relative_improvement', value: 90, text: '90%' });
    const compared = claim({
      kind: 'relative_improvement',
      value: 12,
      metric: 'F1',
      comparedTo: 'SFT',
      text: '12%',
      start: 40,
      end: 43,
    });
    expect(headlineClaim([bare, compared])).toBe(compared);
    const withBaseline = claim({
      kind: 'absolute_score',
      value: 71,
      metric: 'accuracy',
      baseline: { value: 64, text: '64%' },
    });
    const noBaseline = claim({ kind: 'absolute_score', value: 90, metric: 'accuracy' });
    expect(headlineClaim([noBaseline, withBaseline])).toBe(withBaseline);
  });

  it('prefers relative improvements, speedups and reductions over absolute scores', () => {
    const score = claim({ kind: 'absolute_score', value: 85, metric: 'accuracy', dataset: 'MMLU' });
    const speed = claim({ kind: 'speedup', unit: 'x', value: 3, metric: 'throughput' });
    const cut = claim({ kind: 'reduction', value: 40, metric: 'memory' });
    expect(headlineClaim([score, speed])).toBe(speed);
    expect(headlineClaim([score, cut])).toBe(cut);
  });

  it('never leads with a known regression, and keeps the earlier claim on a tie', () => {
    const worse = claim({
      kind: 'relative_improvement',
      metric: 'latency',
      improvement: false,
      comparedTo: 'X',
    });
    const better = claim({ kind: 'absolute_score', metric: 'accuracy' });
    expect(headlineClaim([worse, better])).toBe(better);
    expect(headlineClaim([worse])).toBeNull();
    const a = claim({ kind: 'reduction', metric: 'memory', start: 0 });
    const b = claim({ kind: 'reduction', metric: 'memory', start: 50 });
    expect(headlineClaim([a, b])).toBe(a);
  });

  it('on real abstracts: the improvement over a baseline, not the setup count or the absolute score', () => {
    const claims = extractClaims(
      'We evaluate on 14 tasks. Our model reaches 77% accuracy, a 41.2% improvement in F1 over SFT on NarrativeQA.',
    );
    expect(headlineClaim(claims)?.text).toBe('41.2%');
    const speed = extractClaims(
      'Trained on 1.2M images, our sampler is 4.5x faster than DDIM while keeping 98% of the FID.',
    );
    expect(headlineClaim(speed)?.kind).toBe('speedup');
  });

  it('shows nothing rather than a number without a named metric (a speedup excepted) or a condition', () => {
    const bare = claim({ kind: 'relative_improvement', value: 80, improvement: true, comparedTo: 'X' });
    const share = claim({ kind: 'retention', value: 0.35, qualifier: 'about' });
    const condition = claim({
      kind: 'other',
      unit: 'other',
      unitText: 'GHz',
      value: 100,
      metric: 'throughput',
    });
    expect(headlineClaim([bare, share, condition])).toBeNull();
    const speed = claim({ kind: 'speedup', unit: 'x', value: 3, text: '3x' });
    expect(headlineClaim([bare, speed])).toBe(speed);
    // a background statistic and shares of parameters trained head no card
    const background =
      'By one industry survey, 70% of hospital records sit in scanned forms that no search tool indexes. In this paper, we introduce FormGraph, a pipeline that turns such forms into linked tables.';
    expect(headlineClaim(extractClaims(background), background)).toBeNull();
    const adapter =
      'Tuning only the gating layers (2.7% of all weights for speech tasks and 1.9% for music tasks) is enough to match full fine-tuning on both.';
    expect(headlineClaim(extractClaims(adapter), adapter)).toBeNull();
  });
});

describe("headlineClaim with the abstract: what the claim's sentence says", () => {
  /** A claim at `needle` of `text` (offsets into it), with these fields. */
  const at = (text: string, needle: string, over: Partial<Claim>): Claim =>
    claim({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length, text: needle, ...over });

  it('drops a background number stated before the paper speaks of its own work', () => {
    const text =
      'Current reasoning models reach an accuracy below 50% on this task. We propose Tracer, which reaches 42% accuracy on its harder split.';
    const background = at(text, '50%', { kind: 'absolute_score', metric: 'accuracy', value: 50 });
    const own = at(text, '42%', { kind: 'absolute_score', metric: 'accuracy', value: 42 });
    expect(headlineClaim([background, own])).toBe(background); // claims alone: the larger of two scores
    expect(headlineClaim([background, own], text)).toBe(own);
    expect(headlineScore(background, text)).toBeNull();
    // once the paper has spoken of its own work, a later sentence is no background
    const later = 'We propose Tracer. Prior tools reach an accuracy below 10% on this task.';
    expect(
      headlineScore(at(later, '10%', { kind: 'absolute_score', metric: 'accuracy', value: 10 }), later),
    ).not.toBeNull();
  });

  it('drops a share of the parameters, a metric only held equal, and a number stated of another rate', () => {
    const share =
      'Our adapter matches full fine-tuning accuracy while training 0.42% of the total parameters.';
    expect(
      headlineScore(at(share, '0.42%', { kind: 'retention', metric: 'accuracy', value: 0.35 }), share),
    ).toBeNull();
    const held =
      'The student achieves 0.748 precision versus 0.653 for direct training, a 14.5% gain at equivalent recall.';
    const gain = at(held, '14.5%', { kind: 'relative_improvement', metric: 'recall', value: 14.5 });
    expect(headlineScore(gain)).not.toBeNull();
    expect(headlineScore(gain, held)).toBeNull();
    const precision = at(held, '0.748', {
      kind: 'absolute_score',
      metric: 'precision',
      unit: 'score',
      value: 0.748,
    });
    expect(headlineClaim([gain, precision], held)).toBe(precision);
    const rate =
      'We find that most zero-shot errors resist correction, with an overall rescue rate (fraction of initial errors corrected by prompting) of only 34.8%.';
    expect(
      headlineScore(at(rate, '34.8%', { kind: 'absolute_score', metric: 'error rate', value: 34.8 }), rate),
    ).toBeNull();
    const own = 'Our method lowers the error rate of the detector to 4.1%.';
    expect(
      headlineScore(at(own, '4.1%', { kind: 'absolute_score', metric: 'error rate', value: 4.1 }), own),
    ).not.toBeNull();
    const named = 'Our attack reaches an attack success rate of 83.5%.';
    expect(
      headlineScore(
        at(named, '83.5%', { kind: 'absolute_score', metric: 'attack success rate', value: 83.5 }),
        named,
      ),
    ).not.toBeNull();
  });

  it("prefers, all else equal, the claim stated as the paper's own improvement", () => {
    const text =
      'We study tutoring. Baselines score 64% accuracy on MMLU. Tutor improves accuracy to 63% on MMLU.';
    const prior = at(text, '64%', { kind: 'absolute_score', metric: 'accuracy', value: 64 });
    const ours = at(text, '63%', { kind: 'absolute_score', metric: 'accuracy', value: 63 });
    expect(headlineClaim([prior, ours])).toBe(prior);
    expect(headlineClaim([prior, ours], text)).toBe(ours);
  });

  it('judges a claim on its own fields when its offsets do not index the text', () => {
    const held = 'A 14.5% gain at equivalent recall.';
    const moved = claim({
      start: 40,
      end: 45,
      text: '14.5%',
      kind: 'relative_improvement',
      metric: 'recall',
      value: 14.5,
    });
    expect(headlineScore(moved, held)).toBe(headlineScore(moved));
  });
});

describe('formatClaim: metric names as the field writes them', () => {
  it('keeps mixed-case names and English words, capitalises acronyms', () => {
    const show = (metric: string, over: Partial<Claim> = {}): string =>
      formatClaim(claim({ kind: 'absolute_score', value: 41.2, text: '41.2%', metric, ...over }));
    expect(show('map')).toBe('41.2% mAP');
    expect(show('miou')).toBe('41.2% mIoU');
    expect(show('cider')).toBe('41.2% CIDEr');
    expect(show('f1')).toBe('41.2% F1');
    expect(show('cost', { kind: 'reduction', unit: 'x', value: 5, text: '5x' })).toBe('5x cost reduction');
    expect(show('loss')).toBe('41.2% loss');
    expect(show('gpu memory', { kind: 'reduction', unit: 'x', value: 9.6 })).toBe(
      '9.6x GPU memory reduction',
    );
  });

  it('words a change by what the number did: a lower-is-better metric improved is a reduction, never a "gain"', () => {
    const change = (metric: string | null, improvement: boolean | null): string =>
      formatClaim(
        claim({
          kind: 'relative_improvement',
          value: 0.28,
          unit: 'score',
          text: '0.28',
          metric,
          improvement,
        }),
      );
    expect(change('fid', true)).toBe('0.28 FID reduction');
    expect(change('wer', null)).toBe('0.28 WER reduction');
    expect(change('latency', false)).toBe('0.28 latency increase');
    expect(change('accuracy', true)).toBe('0.28 accuracy gain');
    expect(change(null, true)).toBe('0.28 gain');
  });

  it('spells every name of the metric table with its own letters, upper-casing none wholesale but acronyms', () => {
    for (const { name } of METRIC_TABLE) {
      const shown = metricDisplayName(name);
      expect(shown.toLowerCase()).toBe(name);
      if (shown !== name && shown === name.toUpperCase())
        expect(/^[a-z]+\d*$/.test(name) && name.length <= 6).toBe(true);
    }
    expect(metricDisplayName('some new metric')).toBe('some new metric');
  });
});
