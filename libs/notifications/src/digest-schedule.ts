// Digest schedules in the subscriber's IANA time zone, computed with Intl.DateTimeFormat only.
// Wall times are resolved like Temporal's 'compatible' disambiguation (and like cron-parser, which
// BullMQ uses): a time skipped by a spring-forward gap runs that many minutes after the gap
// (02:30 -> 03:30), and a time repeated by a fall-back overlap runs once, at its first occurrence.

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

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `t`, as if it were UTC (ms). */
function wallClockMs(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  // era-less years: the formatter gives the proleptic Gregorian year, fine for any date we schedule.
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** UTC offset (ms) of `timeZone` at instant `t`. */
function offsetMs(t: number, timeZone: string): number {
  return wallClockMs(Math.floor(t / 1000) * 1000, timeZone) - Math.floor(t / 1000) * 1000;
}

function localDate(t: number, timeZone: string): LocalDate {
  const w = new Date(wallClockMs(t, timeZone));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

function addDays(ld: LocalDate, n: number): LocalDate {
  const w = new Date(Date.UTC(ld.y, ld.m - 1, ld.d + n));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

const weekdayOf = (ld: LocalDate) => new Date(Date.UTC(ld.y, ld.m - 1, ld.d)).getUTCDay();

/** The instant a local wall time happens in `timeZone` ('compatible' disambiguation). */
export function zonedTimeToInstant(
  local: { year: number; month: number; day: number; hour: number; minute?: number },
  timeZone: string,
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute ?? 0);
  // Real zones change offset at most once within a day either side, so the offsets a day before and a
  // day after are the only candidates.
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after]
    .filter((t) => wallClockMs(t, timeZone) === wall)
    .sort((a, b) => a - b);
  // Overlap: two valid instants, take the first. Gap: none, use the offset from before the transition.
  return new Date(valid[0] ?? wall - before);
}

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

function runOn(ld: LocalDate, o: { hour: number; minute: number; timeZone: string }): number {
  return zonedTimeToInstant(
    { year: ld.y, month: ld.m, day: ld.d, hour: o.hour, minute: o.minute },
    o.timeZone,
  ).getTime();
}

/** The first digest run strictly after `after`. */
export function nextDigestRun(mode: DigestMode, opts: DigestScheduleOptions, after: Date): Date {
  const o = checkOptions(mode, opts);
  const start = localDate(after.getTime(), o.timeZone);
  // Start a day early: `after`'s local date may be behind the run's date near midnight offsets.
  for (let i = -1; i <= 8; i++) {
    const ld = addDays(start, i);
    if (mode === 'weekly' && weekdayOf(ld) !== o.weekday) continue;
    const t = runOn(ld, o);
    if (t > after.getTime()) return new Date(t);
  }
  throw new Error('unreachable: no digest run within 8 days');
}

/** The last digest run at or before `atOrBefore`. */
export function previousDigestRun(mode: DigestMode, opts: DigestScheduleOptions, atOrBefore: Date): Date {
  const o = checkOptions(mode, opts);
  const start = localDate(atOrBefore.getTime(), o.timeZone);
  for (let i = 1; i >= -8; i--) {
    const ld = addDays(start, i);
    if (mode === 'weekly' && weekdayOf(ld) !== o.weekday) continue;
    const t = runOn(ld, o);
    if (t <= atOrBefore.getTime()) return new Date(t);
  }
  throw new Error('unreachable: no digest run within 8 days');
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
  const ld = localDate(runAt.getTime(), timeZone);
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
