import type { ClaimDto } from '../papers/paper.dto';
import { claimFields, fmtNum } from './paper-page';

describe('a claim as its tooltip shows it', () => {
  it.each([
    [11_200_000, '11,200,000'],
    [1234.5678, '1,234.568'],
    [78.45, '78.45'],
    [0.0012, '0.0012'],
    [-3.5, '-3.5'],
    [0, '0'],
    [123.456789, '123.457'],
  ])('writes %p as %p', (v, text) => {
    expect(fmtNum(v)).toBe(text);
  });

  it('names the metric as the field writes it and groups a range', () => {
    const claim = { value: 12_000_000, low: 4_500_000, unit: 'count', unitText: null, metric: 'gpu memory', baseline: null, comparedTo: null, dataset: null, kind: 'absolute', qualifier: null } as unknown as ClaimDto;
    expect(Object.fromEntries(claimFields(claim))).toMatchObject({ Value: '4,500,000–12,000,000', Metric: 'GPU memory' });
    expect(Object.fromEntries(claimFields({ ...claim, metric: null } as ClaimDto)).Metric).toBe('—');
  });
});
