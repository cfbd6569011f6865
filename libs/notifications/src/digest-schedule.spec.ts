import { parseExpression } from 'cron-parser';
import {
  cronFor,
  digestPeriodKey,
  digestWindow,
  isoWeek,
  nextDigestRun,
  previousDigestRun,
  zonedTimeToInstant,
  type DigestMode,
  type DigestScheduleOptions,
} from './digest-schedule';

const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

describe('zonedTimeToInstant', () => {
  it('resolves ordinary, skipped and repeated wall times like Temporal "compatible"', () => {
    const berlin = (day: number, month: number, hour: number, minute = 0) =>
      iso(zonedTimeToInstant({ year: 2026, month, day, hour, minute }, 'Europe/Berlin'));
    expect(berlin(28, 3, 8)).toBe('2026-03-28T07:00:00.000Z'); // CET
    expect(berlin(29, 3, 8)).toBe('2026-03-29T06:00:00.000Z'); // CEST
    expect(berlin(29, 3, 2, 30)).toBe('2026-03-29T01:30:00.000Z'); // skipped: 03:30 CEST
    expect(berlin(25, 10, 2, 30)).toBe('2026-10-25T00:30:00.000Z'); // repeated: first (CEST)
    expect(berlin(25, 10, 3, 0)).toBe('2026-10-25T02:00:00.000Z'); // CET
    expect(
      iso(zonedTimeToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')),
    ).toBe('2026-11-01T05:30:00.000Z');
    expect(
      iso(zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')),
    ).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('nextDigestRun', () => {
  it('daily 08:00 Europe/Berlin across the last Sunday of March and of October', () => {
    const o = { hour: 8, timeZone: 'Europe/Berlin' };
    expect(iso(nextDigestRun('daily', o, at('2026-03-28T06:00:00Z')))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(nextDigestRun('daily', o, at('2026-03-28T07:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(nextDigestRun('daily', o, at('2026-10-24T06:00:00Z')))).toBe('2026-10-25T07:00:00.000Z');
    expect(iso(nextDigestRun('daily', o, at('2026-10-25T06:30:00Z')))).toBe('2026-10-25T07:00:00.000Z');
  });

  it('daily 02:30 Europe/Berlin: runs once on both transition days', () => {
    const o = { hour: 2, minute: 30, timeZone: 'Europe/Berlin' };
    const spring = nextDigestRun('daily', o, at('2026-03-28T12:00:00Z'));
    expect(iso(spring)).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(nextDigestRun('daily', o, spring))).toBe('2026-03-30T00:30:00.000Z');
    const autumn = nextDigestRun('daily', o, at('2026-10-24T12:00:00Z'));
    expect(iso(autumn)).toBe('2026-10-25T00:30:00.000Z');
    // the second 02:30 (01:30Z) is skipped
    expect(iso(nextDigestRun('daily', o, autumn))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('weekly Sunday 08:00 America/New_York across the March and November changes', () => {
    const o = { hour: 8, timeZone: 'America/New_York', weekday: 0 };
    const mar1 = at('2026-03-01T13:00:00Z'); // exactly Sun 08:00 EST: strictly after
    expect(iso(nextDigestRun('weekly', o, mar1))).toBe('2026-03-08T12:00:00.000Z');
    expect(iso(nextDigestRun('weekly', o, at('2026-03-01T12:59:59Z')))).toBe('2026-03-01T13:00:00.000Z');
    expect(iso(nextDigestRun('weekly', o, at('2026-10-26T00:00:00Z')))).toBe('2026-11-01T13:00:00.000Z');
  });

  it('weekly Monday 00:15 in a zone ahead of UTC (local date differs from the UTC date)', () => {
    const o = { hour: 0, minute: 15, timeZone: 'Asia/Tokyo', weekday: 1 };
    // Sun 2026-11-22 15:00Z = Mon 00:00 JST
    expect(iso(nextDigestRun('weekly', o, at('2026-11-22T15:00:00Z')))).toBe('2026-11-22T15:15:00.000Z');
  });

  it('agrees with cron-parser (what BullMQ schedules with) for DST windows and a year of weekly runs', () => {
    const cases: [DigestMode, DigestScheduleOptions][] = [
      ['daily', { hour: 8, timeZone: 'Europe/Berlin' }],
      ['daily', { hour: 2, minute: 30, timeZone: 'Europe/Berlin' }],
      ['daily', { hour: 1, minute: 30, timeZone: 'America/New_York' }],
      ['daily', { hour: 2, minute: 15, timeZone: 'America/New_York' }],
      ['weekly', { hour: 9, minute: 45, timeZone: 'Asia/Kolkata', weekday: 5 }],
      ['weekly', { hour: 2, minute: 30, timeZone: 'Australia/Sydney', weekday: 0 }],
      ['daily', { hour: 23, minute: 59, timeZone: 'Pacific/Auckland' }],
    ];
    // cron-parser (luxon) is slow, so daily schedules are compared over windows around the changes.
    const windows = ['2026-01-01', '2026-03-05', '2026-03-25', '2026-10-22', '2026-10-29', '2026-12-28'];
    for (const [mode, opts] of cases) {
      const { pattern, tz } = cronFor(mode, opts);
      const starts = mode === 'daily' ? windows : ['2026-01-01'];
      for (const start of starts) {
        const it = parseExpression(pattern, { tz, currentDate: new Date(`${start}T00:00:00Z`) });
        let ours = new Date(`${start}T00:00:00Z`);
        for (let i = 0; i < (mode === 'daily' ? 12 : 53); i++) {
          ours = nextDigestRun(mode, opts, ours);
          expect([pattern, tz, iso(ours)]).toEqual([pattern, tz, iso(it.next().toDate())]);
        }
      }
    }
  });

  it('validates options', () => {
    expect(() => nextDigestRun('weekly', { hour: 8, timeZone: 'UTC' }, new Date())).toThrow(/weekday/);
    expect(() => nextDigestRun('daily', { hour: 24, timeZone: 'UTC' }, new Date())).toThrow(RangeError);
    expect(() => nextDigestRun('daily', { hour: 8, timeZone: 'Mars/Olympus' }, new Date())).toThrow(
      /time zone/,
    );
  });
});

describe('previousDigestRun / digestWindow', () => {
  it('finds the run at or before, and the window a run covers across a DST change', () => {
    const o = { hour: 8, timeZone: 'Europe/Berlin' };
    expect(iso(previousDigestRun('daily', o, at('2026-03-29T06:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(previousDigestRun('daily', o, at('2026-03-29T05:59:59Z')))).toBe('2026-03-28T07:00:00.000Z');
    const w = digestWindow('daily', o, at('2026-03-29T06:00:00Z'));
    expect([iso(w.start), iso(w.end)]).toEqual(['2026-03-28T07:00:00.000Z', '2026-03-29T06:00:00.000Z']);
    const late = digestWindow('daily', o, at('2026-03-29T06:00:07.250Z'));
    expect([iso(late.start), iso(late.end)]).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ]);
    const weekly = digestWindow('weekly', { ...o, weekday: 1 }, at('2026-11-23T07:00:00Z'));
    expect(iso(weekly.start)).toBe('2026-11-16T07:00:00.000Z');
  });
});

describe('digestPeriodKey', () => {
  it('uses the local date of the run', () => {
    expect(digestPeriodKey('daily', at('2026-11-24T07:00:00Z'), 'Europe/Berlin')).toBe('2026-11-24');
    expect(digestPeriodKey('daily', at('2026-11-24T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-25');
    expect(digestPeriodKey('daily', at('2026-11-24T03:00:00Z'), 'America/New_York')).toBe('2026-11-23');
  });
  it('uses ISO weeks, including week-year boundaries', () => {
    expect(digestPeriodKey('weekly', at('2026-11-24T07:00:00Z'), 'Europe/Berlin')).toBe('2026-W48');
    expect(digestPeriodKey('weekly', at('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(digestPeriodKey('weekly', at('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
    expect(isoWeek(2021, 1, 3)).toEqual([2020, 53]);
    expect(isoWeek(2026, 1, 1)).toEqual([2026, 1]);
  });
});

describe('cronFor', () => {
  it('builds cron patterns with the zone', () => {
    expect(cronFor('daily', { hour: 8, timeZone: 'Europe/Berlin' })).toEqual({
      pattern: '0 8 * * *',
      tz: 'Europe/Berlin',
    });
    expect(cronFor('weekly', { hour: 7, minute: 5, timeZone: 'America/New_York', weekday: 1 })).toEqual({
      pattern: '5 7 * * 1',
      tz: 'America/New_York',
    });
  });
});
