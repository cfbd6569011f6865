import { scoreClock, trendKey, trendScore, TREND_HALF_LIFE_HOURS } from './read-model';

describe('trendScore: the score a response reports', () => {
  const t0 = new Date('2026-12-06T09:00:00.000Z');
  const key = trendKey(24, t0) as number;
  const minuteStart = new Date('2026-12-06T12:00:00.000Z');
  // The score evaluated exactly at the start of the minute: 24·2^(−3/48).
  const atMinute = 24 * Math.pow(2, -3 / TREND_HALF_LIFE_HOURS);

  it('is the decayed score as of the start of the minute, whatever the millisecond within it', () => {
    for (const ms of [0, 1, 15_000, 30_500, 59_999]) {
      const now = new Date(minuteStart.getTime() + ms);
      // Exactly equal, not just close: a body (and its ETag) must not change within the minute.
      expect(trendScore(key, now)).toBe(trendScore(key, minuteStart));
      expect(Math.abs((trendScore(key, now) as number) / atMinute - 1)).toBeLessThan(1e-9);
    }
  });

  it('differs from the unfloored score late in the minute (the floor is applied by trendScore itself)', () => {
    const late = new Date(minuteStart.getTime() + 59_000);
    const unfloored = Math.exp(key - ((Math.LN2 / TREND_HALF_LIFE_HOURS) * late.getTime()) / 3_600_000);
    expect(trendScore(key, late)).not.toBe(unfloored);
    expect(trendScore(key, late)).toBeGreaterThan(unfloored);
  });

  it('moves to the next minute at the minute boundary', () => {
    const next = new Date(minuteStart.getTime() + 60_000);
    expect(trendScore(key, next)).toBeLessThan(trendScore(key, minuteStart) as number);
    expect(scoreClock(new Date(next.getTime() + 59_999))).toEqual(next);
  });

  it('keeps a null key null (not trending)', () => {
    expect(trendScore(null, minuteStart)).toBeNull();
  });
});
