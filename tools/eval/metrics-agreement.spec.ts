import {
  disagreements,
  formatDisagreement,
  pairRows,
  scoreWay,
  tally,
  type LabelRow,
} from './metrics-agreement';
import type { ScoredClaim } from './metrics-score';

const TEXT = 'It improves F1 by 3.2% and runs 2x faster on 5 datasets; three of four tasks pass.';
const claim = (text: string, over: Partial<ScoredClaim> = {}, from = 0): ScoredClaim => {
  const start = TEXT.indexOf(text, from);
  if (start < 0) throw new Error(text);
  return {
    start,
    end: start + text.length,
    text,
    value: Number.parseFloat(text),
    low: null,
    unit: '%',
    category: 'result',
    kind: 'relative_improvement',
    metric: null,
    ...over,
  };
};
const gain = claim('3.2%', { metric: 'f1' });
const speed = claim('2x', { unit: 'x', kind: 'speedup', metric: null });
const sets = claim('5 datasets', { value: 5, unit: 'count', category: 'setup', kind: 'scope' });
const row = (id: string, claims: ScoredClaim[]): LabelRow => ({ id, text: TEXT, claims });

describe('metrics agreement', () => {
  it('pairs rows by id and refuses different abstracts', () => {
    const a = [row('x', []), row('y', [])];
    expect(pairRows(a, [row('y', []), row('x', [])]).map(([p, q]) => [p.id, q.id])).toEqual([
      ['x', 'x'],
      ['y', 'y'],
    ]);
    expect(() => pairRows(a, [row('x', []), row('z', [])])).toThrow(/y is in A but not in B/);
    expect(() => pairRows([row('x', [])], [{ ...row('x', []), text: 'other' }])).toThrow(
      /texts of A and B differ/,
    );
  });

  it('scores B against A as eval:metrics scores the extractor, and A against B the other way round', () => {
    const pairs = pairRows(
      [row('x', [gain, speed, sets])],
      [row('x', [gain, { ...speed, metric: 'speed' }])],
    );
    const bVsA = scoreWay(pairs, 'B vs A');
    const aVsB = scoreWay(pairs, 'A vs B');
    expect([bVsA.p, bVsA.r]).toEqual([1, 2 / 3]);
    expect([aVsB.p, aVsB.r]).toEqual([2 / 3, 1]);
    expect(bVsA.f1).toBeCloseTo(0.8);
    // metric compared where either names one: f1 = f1, null ≠ speed
    expect(bVsA.metricAcc).toBe(0.5);
    expect(bVsA.resultMetricN).toBe(2);
  });

  it('a gold synonym of the metric table counts as the canonical name', () => {
    const pairs = pairRows([row('x', [{ ...gain, metric: 'macro f1' }])], [row('x', [gain])]);
    expect(scoreWay(pairs, 'B vs A').metricAcc).toBe(1);
  });

  it('lists matched claims by differing field, overlapping claims of other values, and one-sided claims', () => {
    const threeA = claim('three', { value: 3, unit: 'count', kind: 'other' });
    const fourB = claim('four', { value: 4, unit: 'count', category: 'setup', kind: 'scope' });
    const ds = disagreements(
      'x',
      [gain, speed, { ...sets, kind: 'size' }, threeA],
      [{ ...gain, unit: 'pp' }, { ...speed, value: 2.5 }, sets, fourB],
    );
    expect(ds.map((d) => d.type)).toEqual(['unit', 'kind', 'value', 'only-A', 'only-B']);
    expect(formatDisagreement(ds[1])).toBe(
      'x  kind  A: "5 datasets" 5 count setup/size — | B: "5 datasets" 5 count setup/scope —',
    );
    // same value on spans that do not overlap is two one-sided claims, not agreement
    const elsewhere = { ...threeA, start: 0, end: 2 };
    expect(disagreements('x', [threeA], [elsewhere]).map((d) => d.type)).toEqual(['only-A', 'only-B']);
  });

  it('tallies the disagreements by type and by what was swapped, most frequent first', () => {
    const ds = disagreements(
      'x',
      [gain, speed, sets],
      [
        { ...gain, kind: 'other' },
        { ...speed, kind: 'other' },
      ],
    );
    expect(tally(ds)).toEqual([
      {
        type: 'kind',
        count: 2,
        examples: [
          ['relative_improvement → other', 1],
          ['speedup → other', 1],
        ],
      },
      { type: 'only-A', count: 1, examples: [['setup/scope', 1]] },
    ]);
  });
});
