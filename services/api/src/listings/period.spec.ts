import { isoWeekOf, isoWeekStart, parsePeriod, periodRange, shiftPeriod } from './period';
import { abstractPreview } from './listings.service';

describe('listing periods', () => {
  it('parses a day, an ISO week or a month, and refuses the invalid or several at once', () => {
    expect(parsePeriod({ date: '2026-03-10' })).toEqual({ kind: 'day', day: '2026-03-10' });
    expect(parsePeriod({ week: '2026-W11' })).toEqual({ kind: 'week', week: '2026-W11' });
    // review 26d: a lower-case w was refused while other fixed values are taken in any case
    expect(parsePeriod({ week: '2026-w11' })).toEqual({ kind: 'week', week: '2026-W11' });
    expect(parsePeriod({ month: '2026-02' })).toEqual({ kind: 'month', month: '2026-02' });
    expect(parsePeriod({})).toBeUndefined();
    for (const bad of [{ date: '2026-02-30' }, { week: '2026-W54' }, { week: '2021-W53' }, { month: '2026-13' }, { date: '2026-03-10', week: '2026-W11' }, { date: ['2026-03-10', '2026-03-11'] }])
      expect(() => parsePeriod(bad)).toThrow();
  });

  it('computes ISO weeks (Monday to Sunday, week 1 holds the first Thursday) and month ranges', () => {
    // 2026-01-01 is a Thursday: week 1 runs 2025-12-29 .. 2026-01-04.
    expect(periodRange({ kind: 'week', week: '2026-W01' })).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    expect(isoWeekOf(Date.parse('2027-01-01T12:00:00Z')).key).toBe('2026-W53');
    expect(isoWeekStart(2020, 53)).not.toBeNull();
    expect(periodRange({ kind: 'month', month: '2024-02' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(shiftPeriod({ kind: 'week', week: '2026-W01' }, -1)).toBe('2025-W52');
    expect(shiftPeriod({ kind: 'month', month: '2026-12' }, 1)).toBe('2027-01');
    expect(shiftPeriod({ kind: 'day', day: '2024-02-28' }, 1)).toBe('2024-02-29');
  });

  it('previews an abstract at a word boundary', () => {
    const long = 'word '.repeat(100).trim();
    const p = abstractPreview(long, 50);
    expect(p.endsWith('…')).toBe(true);
    expect(p.length).toBeLessThanOrEqual(51);
    expect(p).not.toMatch(/wor…$/);
    expect(abstractPreview('short', 50)).toBe('short');
  });
});
