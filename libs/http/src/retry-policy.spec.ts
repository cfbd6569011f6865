import { HttpError } from './http-error';
import {
  backoffDelay,
  isRetryableError,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from './retry-policy';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
  });

  it('reads HTTP dates relative to now, never negative', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores garbage', () => {
    for (const v of [undefined, '', 'soon', '-5', '1.5', '12abc'])
      expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('is bounded by min(max, base * 2^attempt) with full jitter', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(0);
    expect(backoffDelay(0, 100, 10_000, () => 0.999999)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 10_000, () => 0.999999)).toBe(9999);
    expect(backoffDelay(60, 100, 10_000, () => 0.5)).toBe(5000);
  });

  it('stays in range for random draws', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(5000, 50 * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(attempt, 50, 5000);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });
});

describe('retryDelay', () => {
  it('prefers Retry-After, capped by maxDelayMs', () => {
    expect(retryDelay(0, 2000, 100, 10_000, () => 0.5)).toBe(2000);
    expect(retryDelay(0, 120_000, 100, 10_000, () => 0.5)).toBe(10_000);
    expect(retryDelay(2, undefined, 100, 10_000, () => 0.5)).toBe(200);
  });
});

describe('what is retried', () => {
  it('retries 408, 429 and transient 5xx only', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 304, 400, 401, 403, 404, 410, 422, 501, 505])
      expect(isRetryableStatus(s)).toBe(false);
  });

  it('retries timeouts and network errors only', () => {
    expect(isRetryableError(new HttpError('timeout', 'x'))).toBe(true);
    expect(isRetryableError(new HttpError('network', 'x'))).toBe(true);
    for (const code of ['too-large', 'ssrf', 'http-status', 'redirect-loop'] as const)
      expect(isRetryableError(new HttpError(code, 'x'))).toBe(false);
    expect(isRetryableError(new Error('boom'))).toBe(false);
  });
});
