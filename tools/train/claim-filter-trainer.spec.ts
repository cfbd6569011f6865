// The learned claim filter's experiment (tools/train/claim-filter-trainer.ts, brief ext25): examples labelled by the
// scorer's matcher, a deterministic binary trainer that learns, and the scorer at a drop threshold.
import type { Claim } from '@paperwire/contracts';
import type { LabelRow } from '../eval/metrics-score';
import {
  MAX_FULL_SHARE,
  type Row,
  chooseGate,
  chooseThreshold,
  chooseVariant,
  decisionP,
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

  it('gives the cheap first stage the claim\u2019s fields and the filter\u2019s own features, no sentence window', () => {
    const e = examples[1];
    expect(e.fields).toContain('sw=camera');
    expect(e.fields.every((f) => e.features.includes(f))).toBe(true);
    expect(e.features.some((f) => f.startsWith('L1:'))).toBe(true);
    expect(e.fields.some((f) => /^(?:L1|R1|LB|RB|SV):/.test(f))).toBe(false);
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

  it('gates the full model by the cheap one within the cost share, and chooses the variant of best F1', () => {
    // the cheap model is sure of the images (p 0.01) and unsure of the cameras (p 0.3); the full model sure of both
    const cheap = new Map<string, number>();
    const full = new Map<string, number>();
    for (const e of examples) {
      const key = `${e.set}\u0000${e.id}\u0000${e.index}`;
      cheap.set(key, e.right ? 0.01 : 0.3);
      full.set(key, e.right ? 0.02 : 0.97);
    }
    // half the claims reach 0.05 … 0.3: over the share; none reach 0.4
    expect(MAX_FULL_SHARE).toBeLessThan(0.5);
    expect(chooseGate(cheap, ['a', 'b', 'c'])).toBe(0.4);
    const gated = { name: 'gated', cheap, full };
    expect([...decisionP(gated, 0.4).values()].every((p) => p === 0)).toBe(true);
    // at 0.2 the full model runs on the cameras only; the images keep p 0
    expect([...decisionP(gated, 0.2).values()].sort()).toEqual([...Array(30).fill(0), ...Array(30).fill(0.97)]);
    expect(decisionP({ name: 'cheap', cheap }, 0.2)).toBe(cheap);
    // at gate 0.2 the gated variant drops every camera at any threshold; the cheap one at none (p 0.3 < 0.5)
    const chosen = chooseVariant(all, [cheap, decisionP(gated, 0.2)]);
    expect(chosen?.k).toBe(1);
    expect(chosen?.t).toBe(0.5);
    expect(chosen?.s.pooled.claims).toEqual({ tp: 30, pred: 30, gold: 30 });
    // with result claims, a variant that drops the gold ones loses result F1 beyond the slack and is never chosen
    const asResult = <C extends { category: string; kind: string }>(c: C): C => ({
      ...c,
      category: 'result',
      kind: 'absolute_score',
    });
    const results = all.map((r) => ({
      ...r,
      row: { ...r.row, claims: r.row.claims.map(asResult) },
      claims: r.claims.map(asResult),
    }));
    const wrong = new Map([...full].map(([k, p]) => [k, 1 - p]));
    expect(chooseVariant(results, [wrong])).toBeNull();
    expect(chooseVariant(results, [wrong, full])?.k).toBe(1);
  });
});
