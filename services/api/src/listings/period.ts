import { namedMessage } from '@paperwire/actions';
import { DATE_RANGE_MESSAGE, inDateRange } from '../common/dates';
import { badRequest } from '../common/problem';

/** A listing period: a UTC day, an ISO week (Monday..Sunday) or a calendar month. */
export type ListingPeriod = { kind: 'day'; day: string } | { kind: 'week'; week: string } | { kind: 'month'; month: string };

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function validDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d);
  return y >= 1900 && y <= 9999 && ymd(t) === s;
}

/** Monday of ISO week `w` of ISO year `y` (UTC ms), or null when the year has no such week. */
export function isoWeekStart(y: number, w: number): number | null {
  if (w < 1 || w > 53 || y < 1900 || y > 9999) return null;
  const jan4 = Date.UTC(y, 0, 4);
  const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const week1 = jan4 - jan4Dow * DAY_MS;
  const start = week1 + (w - 1) * 7 * DAY_MS;
  // Week 53 exists only when the next year's week 1 starts after it.
  if (w === 53 && isoWeekOf(start).week !== 53) return null;
  return start;
}

export function isoWeekOf(ms: number): { year: number; week: number; key: string } {
  const d = new Date(Math.floor(ms / DAY_MS) * DAY_MS);
  const dow = (d.getUTCDay() + 6) % 7;
  const thursday = d.getTime() + (3 - dow) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return { year, week, key: `${year}-W${String(week).padStart(2, '0')}` };
}

/** The refusal of a period: its detail is the one sentence a reader is shown (the home page, the HF-compatible API). */
const invalid = (field: string, detail: string) => badRequest(namedMessage(field, detail), [{ field, detail }]);

/** The refusal of two periods at once, said once whichever of them were given. */
export const ONE_PERIOD = 'give only one of date, week, month';

/**
 * The period asked for by `date` (YYYY-MM-DD), `week` (YYYY-Www) or `month` (YYYY-MM); undefined when
 * none is given. Throws a 400 problem on an invalid value or on more than one.
 */
export function parsePeriod(q: { date?: unknown; week?: unknown; month?: unknown }): ListingPeriod | undefined {
  const given = (['date', 'week', 'month'] as const).filter((k) => q[k] !== undefined && q[k] !== '');
  if (given.length > 1) throw badRequest(ONE_PERIOD, given.map((field) => ({ field, detail: ONE_PERIOD })));
  if (given.length === 0) return undefined;
  const field = given[0];
  const v = q[field];
  if (typeof v !== 'string') throw invalid(field, 'must be given once');
  if (field === 'date') {
    if (!validDay(v)) throw invalid('date', 'must be a real calendar date YYYY-MM-DD');
    if (!inDateRange(v)) throw invalid('date', DATE_RANGE_MESSAGE);
    return { kind: 'day', day: v };
  }
  if (field === 'week') {
    // "2026-w47" is the week "2026-W47" (fixed values are taken in any case: queryEnum)
    const m = WEEK_RE.exec(v.toUpperCase());
    const start = m ? isoWeekStart(Number(m[1]), Number(m[2])) : null;
    if (start === null) throw invalid('week', 'must be an ISO week YYYY-Www that exists');
    if (!inDateRange(ymd(start + 6 * DAY_MS)) && !inDateRange(ymd(start))) throw invalid('week', DATE_RANGE_MESSAGE);
    return { kind: 'week', week: v.toUpperCase() };
  }
  const m = MONTH_RE.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 1900) throw invalid('month', 'must be a month YYYY-MM');
  if (!inDateRange(`${v}-28`) && !inDateRange(`${v}-01`)) throw invalid('month', DATE_RANGE_MESSAGE);
  return { kind: 'month', month: v };
}

export function periodKey(p: ListingPeriod): string {
  return p.kind === 'day' ? p.day : p.kind === 'week' ? p.week : p.month;
}

/** First and last day of the period (inclusive, YYYY-MM-DD). */
export function periodRange(p: ListingPeriod): { from: string; to: string } {
  if (p.kind === 'day') return { from: p.day, to: p.day };
  if (p.kind === 'week') {
    const m = WEEK_RE.exec(p.week)!;
    const start = isoWeekStart(Number(m[1]), Number(m[2]))!;
    return { from: ymd(start), to: ymd(start + 6 * DAY_MS) };
  }
  const [y, mo] = p.month.split('-').map(Number);
  return { from: ymd(Date.UTC(y, mo - 1, 1)), to: ymd(Date.UTC(y, mo, 0)) };
}

/** The period before (-1) or after (+1). */
export function shiftPeriod(p: ListingPeriod, by: -1 | 1): string {
  if (p.kind === 'day') return ymd(Date.parse(`${p.day}T00:00:00Z`) + by * DAY_MS);
  if (p.kind === 'week') return isoWeekOf(Date.parse(`${periodRange(p).from}T00:00:00Z`) + by * 7 * DAY_MS).key;
  const [y, mo] = p.month.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The key of the week or month holding `day` (YYYY-MM-DD). */
export function periodKeyOfDay(kind: 'week' | 'month', day: string): string {
  return kind === 'week' ? isoWeekOf(Date.parse(`${day}T00:00:00Z`)).key : day.slice(0, 7);
}
