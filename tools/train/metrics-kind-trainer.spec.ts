// The learned kind correction's trainer (tools/train/metrics-kind-trainer.ts): deterministic, and it learns.
import type { Claim } from '@paperwire/contracts';
import { kindProbabilities } from '@paperwire/metrics';
import type { LabelRow } from '../eval/metrics-score';
import {
  type Candidate,
  DEFAULT_TRAIN,
  chooseCandidate,
  chooseMargin,
  kindExamples,
  outOfFold,
  trainKindModel,
} from './metrics-kind-trainer';

const claim = (
  text: string,
  start: number,
  value: number,
  kind: Claim['kind'],
  unit: Claim['unit'],
): Claim => ({
  start,
  end: start + text.length,
  text,
  value,
  low: null,
  unit,
  category: kind === 'scope' || kind === 'size' ? 'setup' : 'result',
  kind,
  metric: null,
  baseline: null,
  comparedTo: null,
  dataset: null,
  qualifier: null,
});

// tiny sets: the "rules" call every count a size, the gold calls counts of tasks a scope
const rows = (n: number, set: string): LabelRow[] =>
  Array.from({ length: n }, (_, k) => {
    const noun = k % 2 ? 'tasks' : 'images';
    const text = `We evaluate on ${k + 3} ${noun} in total.`;
    const span = `${k + 3} ${noun}`;
    const start = text.indexOf(span);
    return {
      id: `${set}-${k}`,
      text,
      claims: [claim(span, start, k + 3, noun === 'tasks' ? 'scope' : 'size', 'count')],
    };
  });
const rulesOf = (row: LabelRow): Claim[] =>
  row.claims.map((c) => claim(c.text, c.start, c.value, 'size', 'count'));

describe('metrics kind trainer', () => {
  const examples = ['a', 'b', 'c'].flatMap((set) => kindExamples(set, rows(12, set), rulesOf));

  it('matches emitted claims to gold ones and keeps the rules\u2019 and the gold kind', () => {
    expect(examples).toHaveLength(36);
    expect(examples.filter((e) => e.gold === 'scope' && e.rules === 'size')).toHaveLength(18);
  });

  it('with `unmatched`, every other emitted claim too, its target the rules\u2019 kind, never scored', () => {
    const extra = (row: LabelRow): Claim[] => [
      ...rulesOf(row),
      claim('in total', row.text.indexOf('in total'), 1, 'other', 'other'),
    ];
    const all = kindExamples('a', rows(4, 'a'), extra, true);
    expect(all).toHaveLength(8);
    const unmatched = all.filter((e) => !e.matched);
    expect(unmatched.map((e) => [e.rules, e.gold])).toEqual(Array(4).fill(['other', 'other']));
    expect(kindExamples('a', rows(4, 'a'), extra)).toHaveLength(4);
  });

  it('chooses the best kind among candidates whose result F1 reaches 1.19.0\u2019s and the rules\u2019', () => {
    const ext21: Candidate = { training: 'matched', crossMargin: 0.3, kindAcc: 0.87, resultF1: 0.895 };
    const rules = { kindAcc: 0.836, resultF1: 0.893 };
    const c = (crossMargin: number, kindAcc: number, resultF1: number): Candidate => ({
      training: 'matched',
      crossMargin,
      kindAcc,
      resultF1,
    });
    expect(chooseCandidate([ext21, c(0.5, 0.869, 0.897)], rules, ext21)).toBe(ext21);
    expect(chooseCandidate([ext21, c(0.5, 0.871, 0.894)], rules, ext21)).toBe(ext21);
    expect(chooseCandidate([ext21, c(0.5, 0.87, 0.897)], rules, ext21).crossMargin).toBe(0.5);
    expect(chooseCandidate([ext21, c(0.5, 0.875, 0.896)], rules, ext21).crossMargin).toBe(0.5);
  });

  it('is deterministic: the same examples give the same file, byte for byte', () => {
    const a = JSON.stringify(trainKindModel(examples, 0.2, 0.9, DEFAULT_TRAIN, 't'));
    const b = JSON.stringify(trainKindModel(examples, 0.2, 0.9, DEFAULT_TRAIN, 't'));
    expect(a).toBe(b);
  });

  it('learns what the rules get wrong, out of fold too', () => {
    const model = trainKindModel(examples, 0, 1, DEFAULT_TRAIN, 't');
    const tasks = examples.find((e) => e.gold === 'scope');
    const p = kindProbabilities(model, tasks?.features ?? []);
    expect(model.classes[p.indexOf(Math.max(...p))]).toBe('scope');
    const oof = outOfFold(examples, DEFAULT_TRAIN);
    expect(oof).toHaveLength(36);
    expect(chooseMargin(oof)).toBeLessThan(1);
  });
});
