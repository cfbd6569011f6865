import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  disagreements,
  formatDisagreement,
  pairRows,
  runAgreement,
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

describe('eval-metrics-agreement on a held-out pair', () => {
  // a dev pair and a held-out pair; the held-out rows carry marks that must never reach the output or the doc
  const SECRET = 'Held-out abstract: it improves F1 by 3.2% on 5 datasets.';
  const secret = (text: string, over: Partial<ScoredClaim> = {}): ScoredClaim => ({
    ...claim('3.2%'),
    start: SECRET.indexOf(text),
    end: SECRET.indexOf(text) + text.length,
    text,
    ...over,
  });
  const hoA = [{ id: 'arxiv:hidden.1', text: SECRET, claims: [secret('3.2%', { metric: 'f1' })] }];
  const hoB = [
    {
      id: 'arxiv:hidden.1',
      text: SECRET,
      claims: [
        secret('3.2%', { kind: 'other' }),
        secret('5 datasets', { value: 5, unit: 'count', category: 'setup', kind: 'scope' }),
      ],
    },
  ];
  const rowsMarks = ['arxiv:hidden', 'Held-out abstract', '3.2%', '5 datasets'];
  let dir = '';
  const jsonl = (rows: LabelRow[]) => rows.map((r) => JSON.stringify(r)).join('\n');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agreement-'));
    writeFileSync(join(dir, 'dev-9.first.jsonl'), jsonl([row('x', [gain, speed])]));
    writeFileSync(join(dir, 'dev-9.second.jsonl'), jsonl([row('x', [gain])]));
    writeFileSync(join(dir, 'heldout-6.first.jsonl'), jsonl(hoA));
    writeFileSync(join(dir, 'heldout-6.second.jsonl'), jsonl(hoB));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...argv: string[]): string => {
    const out: string[] = [];
    runAgreement(argv, dir, (l) => out.push(l));
    return out.join('\n');
  };

  it('refuses a held-out pair without --heldout', () => {
    expect(() => run('--set=heldout-6')).toThrow(/--heldout/);
    expect(() => run('--a=heldout-6.first.jsonl', '--b=heldout-6.second.jsonl')).toThrow(/--heldout/);
  });

  it('prints figures and counts by type, and no row, id, text or claim', () => {
    const out = run('--set=heldout-6', '--heldout');
    expect(out).toMatch(/\| B vs A \| 0\.500 \| 1\.000 \| 0\.667 \|/);
    expect(out).toContain('- **kind** 1: relative_improvement → other ×1');
    expect(out).toContain('- **metric** 1: f1 → null ×1');
    expect(out).toContain('- **only-B** 1: setup/scope ×1');
    for (const mark of rowsMarks) expect(out).not.toContain(mark);
  });

  it('--list prints the rows to the terminal, for adjudication', () => {
    expect(run('--set=heldout-6', '--heldout', '--list')).toContain('arxiv:hidden.1  only-B');
  });

  it('--write regenerates a section per set: the dev set with its rows, the held-out set without', () => {
    const out = run('--set=heldout-6', '--heldout', '--list', '--write');
    expect(out).toContain('arxiv:hidden.1');
    const doc = readFileSync(join(dir, 'AGREEMENT.md'), 'utf8');
    const [dev, held] = doc.split('## heldout-6');
    expect(dev).toContain('## dev-9');
    expect(dev).toContain('### Every disagreement');
    expect(dev).toContain('x  only-A  A: "2x"');
    expect(held).toContain('| A vs B | 1.000 | 0.500 | 0.667 |');
    expect(held).toContain('### Disagreements by type (3)');
    expect(held).not.toContain('Every disagreement');
    for (const mark of rowsMarks) expect(held).not.toContain(mark);
    // the dev pair alone writes the same doc: --write regenerates every set, whichever was asked for
    run('--write');
    expect(readFileSync(join(dir, 'AGREEMENT.md'), 'utf8')).toBe(doc);
  });
});
