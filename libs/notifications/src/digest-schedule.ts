// Digest schedules in the subscriber's IANA time zone. Runs are computed with cron-parser, the library
// BullMQ's job schedulers fire them with, on the very pattern `cronFor` gives the scheduler, so a run
// this module names is a run the scheduler fires. Its wall-time resolution is Temporal's 'compatible'
// disambiguation: a time skipped by a spring-forward gap runs that many minutes after the gap
// (02:30 -> 03:30), and a time repeated by a fall-back overlap runs once, at its first occurrence.
// Only `next()` is used: cron-parser 4's `prev()` resolves gaps and overlaps differently from `next()`.

import { parseExpression } from 'cron-parser';
import { z } from 'zod';

export type DigestMode = 'daily' | 'weekly';

export interface DigestScheduleOptions {
  hour: number;
  minute?: number;
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday; required for weekly */
  weekday?: number;
}

const knownZones = new Set<string>();

export function isValidTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    knownZones.add(tz);
    return true;
  } catch {
    return false;
  }
}

export const digestScheduleSchema = z
  .object({
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).optional(),
    timeZone: z.string().min(1).refine(isValidTimeZone, { message: 'unknown IANA time zone' }),
    weekday: z.number().int().min(0).max(6).optional(),
  })
  .strict();

const DAY_MS = 86_400_000;

function checkOptions(
  mode: DigestMode,
  opts: DigestScheduleOptions,
): Required<Omit<DigestScheduleOptions, 'weekday'>> & { weekday?: number } {
  const parsed = digestScheduleSchema.safeParse(opts);
  if (!parsed.success) {
    throw new RangeError(
      `invalid digest schedule: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (mode === 'weekly' && parsed.data.weekday === undefined)
    throw new RangeError('weekly digests need a weekday (0-6)');
  return { ...parsed.data, minute: parsed.data.minute ?? 0 };
}

/** The scheduler's runs strictly after `after`, in order. */
function runsAfter(pattern: string, timeZone: string, after: Date): () => Date {
  const it = parseExpression(pattern, { tz: timeZone, currentDate: after });
  return () => it.next().toDate();
}

/** The instant a local wall time happens in `timeZone` ('compatible' disambiguation, as the scheduler). */
export function zonedTimeToInstant(
  local: { year: number; month: number; day: number; hour: number; minute?: number },
  timeZone: string,
): Date {
  // The first yearly run of that wall time from two days before its date (every offset is within a day).
  const from = new Date(Date.UTC(local.year, local.month - 1, local.day) - 2 * DAY_MS);
  return runsAfter(`${local.minute ?? 0} ${local.hour} ${local.day} ${local.month} *`, timeZone, from)();
}

/** The first digest run strictly after `after`. */
export function nextDigestRun(mode: DigestMode, opts: DigestScheduleOptions, after: Date): Date {
  const { pattern, tz } = cronFor(mode, opts);
  return runsAfter(pattern, tz, after)();
}

/** The last digest run at or before `atOrBefore`: the last of the scheduler's runs from a period earlier. */
export function previousDigestRun(mode: DigestMode, opts: DigestScheduleOptions, atOrBefore: Date): Date {
  const { pattern, tz } = cronFor(mode, opts);
  // A period and a day back holds at least one run whatever the offsets do.
  const lookBack = (mode === 'weekly' ? 8 : 2) * DAY_MS;
  const next = runsAfter(pattern, tz, new Date(atOrBefore.getTime() - lookBack));
  let last: Date | undefined;
  for (let t = next(); t.getTime() <= atOrBefore.getTime(); t = next()) last = t;
  if (!last) throw new Error(`unreachable: no digest run in the ${mode} period before ${atOrBefore.toISOString()}`);
  return last;
}

/** The window of the digest due at `firedAt`: (the run before, the scheduled run at or before `firedAt`].
 * A job that fires late still maps to its scheduled run; key the delivery with `digestPeriodKey(end)`. */
export function digestWindow(
  mode: DigestMode,
  opts: DigestScheduleOptions,
  firedAt: Date,
): { start: Date; end: Date } {
  const end = previousDigestRun(mode, opts, firedAt);
  return { start: previousDigestRun(mode, opts, new Date(end.getTime() - 1)), end };
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date in `timeZone` at instant `t`. */
function localDate(t: Date, timeZone: string): { y: number; m: number; d: number } {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dateFormatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year ?? NaN, m: parts.month ?? NaN, d: parts.day ?? NaN };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO-8601 week of a calendar date: [week-year, week]. */
export function isoWeek(y: number, m: number, d: number): [number, number] {
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = date.getUTCDay() || 7;
  // The Thursday of this week decides the year.
  date.setUTCDate(date.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return [date.getUTCFullYear(), Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7)];
}

/** Natural key of a digest delivery: local date of the run ('2026-11-24') or its ISO week ('2026-W48'). */
export function digestPeriodKey(mode: DigestMode, runAt: Date, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown IANA time zone: ${timeZone}`);
  const ld = localDate(runAt, timeZone);
  switch (mode) {
    case 'daily':
      return `${ld.y}-${pad(ld.m)}-${pad(ld.d)}`;
    case 'weekly': {
      const [wy, w] = isoWeek(ld.y, ld.m, ld.d);
      return `${wy}-W${pad(w)}`;
    }
  }
}

/** A BullMQ job-scheduler repeat option ({ pattern, tz }) for cron-parser 4.x, which honours `tz`. */
export function cronFor(mode: DigestMode, opts: DigestScheduleOptions): { pattern: string; tz: string } {
  const o = checkOptions(mode, opts);
  switch (mode) {
    case 'daily':
      return { pattern: `${o.minute} ${o.hour} * * *`, tz: o.timeZone };
    case 'weekly':
      return { pattern: `${o.minute} ${o.hour} * * ${o.weekday}`, tz: o.timeZone };
  }
}
