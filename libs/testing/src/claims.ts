import type { Claim } from '@paperwire/contracts';

/** A result claim, "12.2x reduction in GPU memory", with no baseline, dataset or qualifier; `over` sets any field. */
export function claimFixture(over: Partial<Claim> = {}): Claim {
  return {
    start: 0,
    end: 5,
    text: '12.2x',
    value: 12.2,
    low: null,
    unit: 'x',
    category: 'result',
    kind: 'reduction',
    metric: 'GPU memory',
    baseline: null,
    comparedTo: null,
    dataset: null,
    qualifier: null,
    ...over,
  };
}
