import { isNonMl } from './linear-trainer';

describe('isNonMl (certain negatives for the topic heads)', () => {
  it('takes papers filed only under archives no ML paper is filed under', () => {
    expect(isNonMl(['hep-ph'])).toBe(true);
    expect(isNonMl(['cond-mat.str-el', 'math.MP'])).toBe(true);
    expect(isNonMl(['astro-ph'])).toBe(true);
  });

  it('keeps out any paper cross-listed to an ML-bearing archive, and papers with no categories', () => {
    expect(isNonMl(['physics.comp-ph'])).toBe(false);
    expect(isNonMl(['astro-ph', 'cs.LG'])).toBe(false);
    expect(isNonMl(['q-bio.NC'])).toBe(false);
    expect(isNonMl(['math.ST', 'stat.TH'])).toBe(false);
    expect(isNonMl(['eess.SP'])).toBe(false);
    expect(isNonMl([])).toBe(false);
  });
});
