import { TREND_SCORE_DECIMALS, scoreClock, servedTrendScore, trendKey, trendScore, TREND_HALF_LIFE_HOURS } from './read-model';

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

describe('servedTrendScore: the trendingScore every response shows', () => {
  const t0 = new Date('2026-06-01T00:00:00.000Z');
  it('is 0, not null, for a paper without a signal (the HF API and /v1 agree)', () => {
    expect(trendKey(0, t0)).toBeNull();
    expect(servedTrendScore(null, t0)).toBe(0);
  });

  it('rounds to TREND_SCORE_DECIMALS: never a raw 5.8e-25, monotonic, close to the score', () => {
    const old = trendKey(1, t0) as number;
    const later = new Date(t0.getTime() + 170 * 24 * 3_600_000); // 170 days: the raw score is ~3e-26
    expect(trendScore(old, later)).toBeLessThan(1e-20);
    expect(trendScore(old, later)).toBeGreaterThan(0);
    expect(servedTrendScore(old, later)).toBe(0);
    const step = 10 ** -TREND_SCORE_DECIMALS;
    let prev = Infinity;
    for (const signal of [500, 37, 24, 3, 1]) {
      const key = trendKey(signal, t0) as number;
      const now = new Date(t0.getTime() + 7 * 3_600_000);
      const served = servedTrendScore(key, now);
      expect(Math.abs(served - (trendScore(key, now) as number))).toBeLessThanOrEqual(step / 2 + 1e-12);
      expect(String(served).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(TREND_SCORE_DECIMALS);
      expect(served).toBeLessThanOrEqual(prev);
      prev = served;
    }
  });
});
