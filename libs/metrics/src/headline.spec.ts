import type { Claim } from '@paperwire/contracts';
import { claimFixture } from '@paperwire/testing';
import { extractClaims, headlineClaim, headlineScore } from './index';

const claim = (over: Partial<Claim>): Claim =>
  claimFixture({ end: 3, text: '10%', value: 10, unit: '%', kind: 'other', metric: null, improvement: null, ...over });

describe('headlineClaim: the claim that best states the main result', () => {
  it('never picks a setup claim, and answers null when there is no result claim', () => {
    const setup = [claim({ category: 'setup', kind: 'scope', unit: 'count', value: 26 }), claim({ category: 'setup', kind: 'size', unit: 'params', value: 7e9 })];
    expect(headlineClaim(setup)).toBeNull();
    expect(headlineScore(setup[0])).toBeNull();
    const result = claim({ kind: 'absolute_score', metric: 'accuracy', value: 80 });
    expect(headlineClaim([...setup, result])).toBe(result);
  });

  it('prefers a claim with a metric and a comparison over a larger bare number', () => {
    const bare = claim({ kind: 'relative_improvement', value: 90, text: '90%' });
    const compared = claim({ kind: 'relative_improvement', value: 12, metric: 'F1', comparedTo: 'SFT', text: '12%', start: 40, end: 43 });
    expect(headlineClaim([bare, compared])).toBe(compared);
    const withBaseline = claim({ kind: 'absolute_score', value: 71, metric: 'accuracy', baseline: { value: 64, text: '64%' } });
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

  it('ranks a known regression last and keeps the earlier claim on a tie', () => {
    const worse = claim({ kind: 'relative_improvement', metric: 'latency', improvement: false, comparedTo: 'X' });
    const better = claim({ kind: 'absolute_score', metric: 'accuracy' });
    expect(headlineClaim([worse, better])).toBe(better);
    const a = claim({ kind: 'reduction', metric: 'memory', start: 0 });
    const b = claim({ kind: 'reduction', metric: 'memory', start: 50 });
    expect(headlineClaim([a, b])).toBe(a);
  });

  it('on real abstracts: the improvement over a baseline, not the setup count or the absolute score', () => {
    const claims = extractClaims(
      'We evaluate on 26 tasks. Our model reaches 80% accuracy, a 63.5% improvement in F1 over SFT on StreamingQA.',
    );
    expect(headlineClaim(claims)?.text).toBe('63.5%');
    const speed = extractClaims('Trained on 1.2M images, our sampler is 4.5x faster than DDIM while keeping 98% of the FID.');
    expect(headlineClaim(speed)?.kind).toBe('speedup');
  });
});
