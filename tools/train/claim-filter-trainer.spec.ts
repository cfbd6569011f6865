// The learned claim filter's experiment (tools/train/claim-filter-trainer.ts, brief ext25): examples labelled by the
// scorer's matcher, a deterministic binary trainer that learns, and the scorer at a drop threshold.
import type { Claim } from '@paperwire/contracts';
import type { LabelRow } from '../eval/metrics-score';
import {
  type Row,
  chooseThreshold,
  filterExamples,
  filterFeatures,
  isOwn,
  outOfFold,
  pFalse,
  scoreAt,
  tokenShape,
  trainBinary,
} from './claim-filter-trainer';
import { DEFAULT_TRAIN } from './metrics-kind-trainer';

const claim = (text: string, start: number, value: number): Claim => ({
  start,
  end: start + text.length,
  text,
  value,
  low: null,
  unit: 'count',
  category: 'setup',
  kind: 'size',
  metric: null,
  baseline: null,
  comparedTo: null,
  dataset: null,
  qualifier: null,
});

// the "rules" emit "<n> images" (gold) and "<n> cameras" (never gold) in every abstract
const rows = (n: number, set: string): Row[] =>
  Array.from({ length: n }, (_, k) => {
    const text = `We train on ${k + 3} images from ${k + 2} cameras.`;
    const at = (s: string): number => text.indexOf(s);
    const gold = claim(`${k + 3} images`, at(`${k + 3} images`), k + 3);
    const row: LabelRow = { id: `${set}-${k}`, text, claims: [gold] };
    return { set, row, claims: [gold, claim(`${k + 2} cameras`, at(`${k + 2} cameras`), k + 2)] };
  });

describe('claim filter experiment', () => {
  const all = ['a', 'b', 'c'].flatMap((s) => rows(10, s));
  const examples = filterExamples(all);

  it('labels each emitted claim by the scorer\u2019s matcher', () => {
    expect(examples).toHaveLength(60);
    expect(examples.filter((e) => e.right).map((e) => e.index)).toEqual(Array(30).fill(0));
  });

  it('reads the kind model\u2019s features and its own (shapes, span words)', () => {
    const { row, claims } = rows(1, 'a')[0];
    const f = filterFeatures(row.text, claims, 1);
    expect(f).toContain('sw=camera');
    expect(f).toContain('ps=x');
    expect(f.some((x) => !isOwn(x))).toBe(true);
    expect(tokenShape('ResNet-50')).toBe('XxXx-9');
  });

  it('trains deterministically and learns which claims are false', () => {
    const m = trainBinary(examples, DEFAULT_TRAIN);
    expect(trainBinary(examples, DEFAULT_TRAIN)).toEqual(m);
    const camera = examples.find((e) => !e.right);
    const image = examples.find((e) => e.right);
    expect(pFalse(m, camera?.features ?? [])).toBeGreaterThan(0.8);
    expect(pFalse(m, image?.features ?? [])).toBeLessThan(0.2);
  });

  it('drops the claims at or above the threshold out of fold, and chooses the threshold of best F1', () => {
    const oof = outOfFold(examples, DEFAULT_TRAIN, () => 1);
    expect(oof.size).toBe(60);
    const none = scoreAt(all, oof, 2);
    expect(none.dropped).toBe(0);
    expect(none.pooled.claims).toEqual({ tp: 30, pred: 60, gold: 30 });
    const { t, s } = chooseThreshold(all, oof);
    expect(t).toBeLessThanOrEqual(1);
    expect(s.dropped).toBe(30);
    expect(s.droppedRight).toBe(0);
    expect(s.pooled.claims).toEqual({ tp: 30, pred: 30, gold: 30 });
  });
});
