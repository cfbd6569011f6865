// The learned metric correction experiment (brief ext23; not shipped): candidate features, the deterministic ranker.
import { definedOtherwise, extractClaimsByRules } from '@paperwire/metrics';
import { type MetricExample, trainRanker } from './metric-correction';
import {
  MetricContext,
  candidateProbs,
  correctMetrics,
  decideMetric,
  metricCandidates,
} from './metric-model';

const TEXT = 'Our model improves accuracy by 3.2% on ImageNet while reducing latency by 20%.';

describe('metric correction experiment', () => {
  const claims = extractClaimsByRules(TEXT);
  const at = (span: string): number => claims.findIndex((c) => c.text === span);
  definedOtherwise(TEXT);
  const ctx = new MetricContext(TEXT);

  it('gives null, the rules’ metric and every metric of the sentence as candidates, with their place', () => {
    const cands = metricCandidates(TEXT, claims, at('3.2%'), ctx);
    expect(cands.map((c) => c.name)).toEqual([null, 'accuracy', 'latency']);
    const acc = cands[1].features;
    expect(acc).toEqual(expect.arrayContaining(['rules', 'nearest', 'side=B', 'mR1=by&B', 'm=accuracy']));
    const lat = cands[2].features;
    expect(lat).toContain('side=A');
    expect(lat).not.toContain('rules');
    // for the second value the first metric lies behind another value
    const second = metricCandidates(TEXT, claims, at('20%'), ctx);
    expect(second.find((c) => c.name === 'accuracy')?.features).toContain('valBetween&B');
  });

  it('replaces the rules’ metric only by a margin', () => {
    const cands = metricCandidates(TEXT, claims, at('20%'), ctx);
    const p = cands.map((c) => (c.name === 'accuracy' ? 0.5 : c.name === 'latency' ? 0.3 : 0.2));
    expect(decideMetric(cands, p, 'latency', 0.4)).toBe('latency');
    expect(decideMetric(cands, p, 'latency', 0.1)).toBe('accuracy');
    const w = { 'side=A': 5 };
    const copy = claims.map((c) => ({ ...c }));
    correctMetrics(TEXT, copy, { version: 'toy', margin: 0.1, weights: w });
    expect(copy[at('3.2%')].metric).toBe('latency');
    expect(candidateProbs(w, cands).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('trains deterministically and learns the gold candidate', () => {
    const ex = (id: string, goldIdx: number): MetricExample => ({
      set: 's',
      id,
      rulesIdx: 0,
      goldIdx,
      cands: [
        { name: null, features: ['null', 'rules'] },
        { name: 'f1', features: ['cand', 'side=B', 'nearest'] },
        { name: 'bleu', features: ['cand', 'side=A'] },
      ],
    });
    const examples = [ex('a', 1), ex('b', 1), ex('c', 1), ex('d', 0)];
    const w1 = trainRanker(examples);
    expect(trainRanker(examples)).toEqual(w1);
    const p = candidateProbs(w1, examples[0].cands);
    expect(p[1]).toBeGreaterThan(p[0]);
    expect(p[1]).toBeGreaterThan(p[2]);
  });
});
