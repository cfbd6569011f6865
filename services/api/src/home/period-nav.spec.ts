import { isoWeekOf, monthLabel, monthOf, weekLabel } from './period-nav';

describe('period helpers', () => {
  it.each([
    ['2026-01-01', '2026-W01'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2026-03-10', '2026-W11'],
    ['2026-03-15', '2026-W11'],
    ['2026-03-16', '2026-W12'],
  ])('ISO week of %s is %s', (day, week) => expect(isoWeekOf(day)).toBe(week));

  it('labels months and weeks', () => {
    expect(monthOf('2026-03-10')).toBe('2026-03');
    expect(monthLabel('2026-03')).toBe('March 2026');
    expect(weekLabel('2026-W11', '2026-03-09', '2026-03-15')).toBe('Week 11, 2026 (Mar 9 – Mar 15)');
  });
});
