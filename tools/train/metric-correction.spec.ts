// The learned metric correction experiment (briefs ext23, ext24; not shipped): candidate features, the deterministic
// ranker, the training variants.
import { definedOtherwise, extractClaimsByRules } from '@paperwire/metrics';
import { type MetricExample, foldTraining, trainRanker } from './metric-correction';
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

  it('marks the head phrase’s reading, slash pairs and "respectively" lists (ext24)', () => {
    const features = (text: string, span: string): Map<string | null, string[]> => {
      const cs = extractClaimsByRules(text);
      definedOtherwise(text);
      const i = cs.findIndex((c) => c.text === span);
      return new Map(metricCandidates(text, cs, i, new MetricContext(text)).map((c) => [c.name, c.features]));
    };
    const head = features('We reach a PSNR of 31.2 dB while keeping the cost low.', '31.2 dB');
    expect(head.get('psnr')).toContain('head&r=true');
    expect(head.get(null)).toContain('headOther');
    const slash = features('Our model reaches an accuracy/F1 of 94.6%/82.7% on the test set.', '82.7%');
    expect(slash.get('f1')).toContain('slash=11');
    expect(slash.get('accuracy')).toContain('slash=10');
    const resp = features('It obtains BLEU and ROUGE-L scores of 31.2 and 45.1, respectively.', '45.1');
    expect(resp.get('rouge')).toEqual(expect.arrayContaining(['resp&eq', 'ord=eq&B']));
    expect(resp.get('bleu')).toContain('resp&ne');
  });

  it('trains a fold on the variant’s sets, current-rules examples repeated by the recency weight', () => {
    const ex = (set: string, id: string): MetricExample => ({ set, id, rulesIdx: 0, goldIdx: 0, cands: [] });
    const all = [ex('a', '1'), ex('b', '2'), ex('new', '3'), ex('new2', '4')];
    const fresh = new Set(['new', 'new2']);
    const ids = (v: Parameters<typeof foldTraining>[3], fold = 'b'): string[] =>
      foldTraining(all, fold, fresh, v).map((e) => e.id);
    expect(ids({ name: '', train: 'all', recency: 1 })).toEqual(['1', '3', '4']);
    expect(ids({ name: '', train: 'new', recency: 1 })).toEqual(['3', '4']);
    expect(ids({ name: '', train: 'old', recency: 1 })).toEqual(['1']);
    expect(ids({ name: '', train: 'all', recency: 2 }, 'new')).toEqual(['1', '2', '4', '4#1']);
  });
});
