/**
 * The range every date, date-time, since/until, week or month parameter must fall in. Postgres takes
 * far wider ranges, but year 0 (no such year), 275760 (past JavaScript's Date) and the like only ever
 * come from a typo or a probe, and some of them make Postgres fail ("date out of range") instead of
 * match nothing. The catalogue starts with arXiv (1991); nothing is announced more than a year ahead.
 */
export const EARLIEST_DAY = '1991-01-01';
const YEAR_MS = 366 * 24 * 3600 * 1000;

/** The last accepted day: today (UTC) plus one year. */
export function latestDay(now: number = Date.now()): string {
  return new Date(now + YEAR_MS).toISOString().slice(0, 10);
}

export const DATE_RANGE_MESSAGE = `must be between ${EARLIEST_DAY} and one year from today`;

/**
 * True when an already format-checked date or date-time (YYYY-MM-DD…) lies in the accepted range.
 * Compares the calendar day it names (its first 10 characters) so time zones cannot push it out.
 */
export function inDateRange(s: string, now: number = Date.now()): boolean {
  const day = s.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && day >= EARLIEST_DAY && day <= latestDay(now);
}
