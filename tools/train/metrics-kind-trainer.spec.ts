// The learned kind correction's trainer (tools/train/metrics-kind-trainer.ts): deterministic, and it learns.
import type { Claim } from '@paperwire/contracts';
import { kindProbabilities } from '@paperwire/metrics';
import type { LabelRow } from '../eval/metrics-score';
import { DEFAULT_TRAIN, chooseMargin, kindExamples, outOfFold, trainKindModel } from './metrics-kind-trainer';

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
