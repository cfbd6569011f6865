import {
  emptyTally,
  headlineAccuracy,
  headlineCoverage,
  headlinePrecision,
  headlineRight,
  headlineWorthy,
  tallyHeadline,
} from './headline-score';
import type { ScoredClaim } from './metrics-score';

const gold = (over: Partial<ScoredClaim>): ScoredClaim => ({
  start: 10,
  end: 13,
  text: '12%',
  value: 12,
  unit: '%',
  category: 'result',
  kind: 'relative_improvement',
  metric: 'accuracy',
  ...over,
});

describe('eval-headline scorer', () => {
  it('counts a headline right only with the gold claim\'s value, kind and (canonical) metric', () => {
    const g = [gold({}), gold({ start: 30, end: 33, value: 40, category: 'setup', kind: 'scope', metric: null })];
    expect(headlineRight(g, gold({}))).toBe(true);
    expect(headlineRight(g, gold({ metric: 'f1' }))).toBe(false);
    expect(headlineRight(g, gold({ kind: 'absolute_score' }))).toBe(false);
    expect(headlineRight(g, gold({ value: 13 }))).toBe(false);
    expect(headlineRight(g, gold({ start: 30, end: 33, value: 40, category: 'setup', kind: 'scope', metric: null }))).toBe(false);
    // a synonym in the label file is the extractor's canonical name
    expect(headlineRight([gold({ metric: 'top-1 accuracy' })], gold({}))).toBe(true);
    expect(headlineRight([gold({ metric: 'mAP' })], gold({ metric: 'map' }))).toBe(true);
  });

  it('counts no headline right only when the paper has no headline-worthy gold claim', () => {
    expect(headlineRight([gold({ metric: null })], null)).toBe(true);
    expect(headlineRight([gold({})], null)).toBe(false);
    expect(headlineWorthy(gold({ metric: null, kind: 'speedup', unit: 'x' }))).toBe(true);
    expect(headlineWorthy(gold({ metric: null }))).toBe(false);
  });

  it('tallies precision over shown headlines, coverage over papers, accuracy over both', () => {
    const t = emptyTally();
    tallyHeadline(t, [gold({})], gold({})); // right
    tallyHeadline(t, [gold({})], gold({ metric: 'recall' })); // wrong
    tallyHeadline(t, [gold({ metric: null })], null); // rightly none
    tallyHeadline(t, [gold({})], null); // missed
    expect(t).toEqual({ papers: 4, worthy: 3, shown: 2, shownRight: 1, noneRight: 1 });
    expect(headlinePrecision(t)).toBe(0.5);
    expect(headlineCoverage(t)).toBe(0.5);
    expect(headlineAccuracy(t)).toBe(0.5);
  });
});
