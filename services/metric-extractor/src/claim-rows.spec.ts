import type { Claim } from '@paperwire/contracts';
import { extractClaims, headlineClaim } from '@paperwire/metrics';
import { claimFixture } from '@paperwire/testing';
import { claimRows, isStorableClaim } from './claim-rows';

const claim = (over: Partial<Claim> = {}): Claim =>
  claimFixture({
    end: 3,
    text: '85%',
    value: 85,
    unit: '%',
    unitText: null,
    kind: 'absolute_score',
    metric: 'accuracy',
    improvement: null,
    ...over,
  });
const ref = (paperId: string) => ({ paperId, contentHash: `hash-${paperId}` });

describe('isStorableClaim', () => {
  it.each([
    ['value Infinity', { value: Infinity }],
    ['value -Infinity', { value: -Infinity }],
    ['value NaN', { value: NaN }],
    ['low Infinity', { low: Infinity }],
    ['baseline NaN', { baseline: { value: NaN, text: '1.2.3' } }],
    ['start NaN', { start: NaN }],
  ])('rejects a claim with %s', (_name, over) => {
    expect(isStorableClaim(claim(over))).toBe(false);
  });

  it('accepts finite numbers, a null low and a null baseline', () => {
    expect(isStorableClaim(claim())).toBe(true);
    expect(isStorableClaim(claim({ low: 10, baseline: { value: 1e300, text: '1e300' } }))).toBe(true);
  });
});

describe('claimRows', () => {
  it('skips only the non-finite claim, reports it with its paper id, and keeps the rest of the batch', () => {
    const good = claim();
    const bad = claim({ start: 10, end: 33, text: '400 orders of magnitude', value: Infinity, unit: 'x' });
    const other = claim({ start: 5, end: 8, text: '2.1x', value: 2.1, unit: 'x', kind: 'speedup' });
    const skipped: Array<[string, string]> = [];
    const rows = claimRows(
      [
        { ref: ref('p1'), claims: [good, bad], headline: good },
        { ref: ref('p2'), claims: [other], headline: null },
      ],
      (paperId, c) => skipped.push([paperId, c.text]),
    );
    expect(skipped).toEqual([['p1', '400 orders of magnitude']]);
    expect(rows.map((r) => [r.paper_id, r.text, r.value, r.is_headline])).toEqual([
      ['p1', '85%', 85, true],
      ['p2', '2.1x', 2.1, false],
    ]);
    // what goes to Postgres carries no null where a number was
    expect(
      JSON.parse(JSON.stringify(rows)).every((r: { value: unknown }) => typeof r.value === 'number'),
    ).toBe(true);
  });

  it('maps every column of an extracted claim', () => {
    const text = 'Our method improves accuracy from 80.1% to 85.2% on ImageNet.';
    const claims = extractClaims(text);
    const headline = headlineClaim(claims);
    const [row] = claimRows([{ ref: ref('p1'), claims, headline }], () => {
      throw new Error('nothing should be skipped');
    });
    expect(text.slice(row.start, row.end)).toBe('85.2%');
    expect(row).toEqual({
      paper_id: 'p1',
      start: 43,
      end: 48,
      text: '85.2%',
      value: 85.2,
      low: null,
      unit: '%',
      unit_text: null,
      category: 'result',
      kind: 'absolute_score',
      metric: 'accuracy',
      improvement: true,
      baseline: { value: 80.1, text: '80.1%' },
      compared_to: null,
      dataset: 'ImageNet',
      qualifier: null,
      is_headline: true,
    });
  });
});
