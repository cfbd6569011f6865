import { cronFor, digestPeriodKey, digestWindow } from '@paperwire/notifications';
import { digestRunOf, scheduleOptions } from './digest-run';

describe('digestRunOf', () => {
  it('takes a scheduler job’s due time from its id, not its creation timestamp', () => {
    const due = Date.UTC(2026, 10, 24, 7, 0);
    // The scheduler creates the next iteration when the previous one runs, a day earlier.
    const run = digestRunOf({ id: `repeat:digest-5f0c:${due}`, timestamp: due - 86_400_000 });
    expect(run).toEqual({ firedAt: new Date(due), onDemand: false });
    // …so the window is the day that just ended, keyed by the run's local date.
    const schedule = { hour: 8, minute: 0, timeZone: 'Europe/Berlin' };
    const w = digestWindow('daily', schedule, run.firedAt);
    expect(w).toEqual({ start: new Date(due - 86_400_000), end: new Date(due) });
    expect(digestPeriodKey('daily', w.end, schedule.timeZone)).toBe('2026-11-24');
  });

  it('treats any other job as on demand, fired when it was enqueued', () => {
    const at = Date.UTC(2026, 10, 24, 15, 30);
    expect(digestRunOf({ id: 'digest-now-5f0c-abc', timestamp: at })).toEqual({
      firedAt: new Date(at),
      onDemand: true,
    });
    expect(digestRunOf({ id: undefined, timestamp: at }).onDemand).toBe(true);
  });
});

describe('scheduleOptions', () => {
  it('drops the stored extras the strict schedule schema rejects', () => {
    const stored = { hour: 7, timeZone: 'Asia/Kolkata', limit: 20, sort: 'trending' as const };
    expect(() => cronFor('daily', stored)).toThrow(/invalid digest schedule/);
    expect(scheduleOptions(stored)).toEqual({ hour: 7, minute: 0, timeZone: 'Asia/Kolkata' });
    expect(cronFor('daily', scheduleOptions(stored))).toEqual({ pattern: '0 7 * * *', tz: 'Asia/Kolkata' });
    expect(cronFor('weekly', scheduleOptions({ ...stored, minute: 30, weekday: 1 }))).toEqual({
      pattern: '30 7 * * 1',
      tz: 'Asia/Kolkata',
    });
  });
});
