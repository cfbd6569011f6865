import { setTimeout as delay } from 'node:timers/promises';
import { HttpError } from './http-error';
import { isRetryableError, isRetryableStatus, retryDelay } from './retry-policy';
import { safeFetch, type SafeFetchOptions, type SafeResponse } from './safe-fetch';

export interface AttemptInfo {
  /** 0-based */
  attempt: number;
  url: string;
  status?: number;
  error?: HttpError;
  /** set when another attempt follows after this many ms */
  delayMs?: number;
  /** 'retry-after' when the server said how long to wait, else 'backoff' */
  delaySource?: 'retry-after' | 'backoff';
}

export interface RetryOptions extends SafeFetchOptions {
  /** extra attempts after the first */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onAttempt?: (info: AttemptInfo) => void;
  /** Runs before every attempt, e.g. to wait for the host's politeness slot. */
  beforeAttempt?: (attempt: number) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
  /** for deterministic jitter in tests */
  random?: () => number;
}

/**
 * safeFetch with retries on network errors, timeouts, resets and 408/429/500/502/503/504. Retry-After
 * (seconds or HTTP date) is honoured up to maxDelayMs; otherwise exponential backoff with full jitter.
 * Returns the last response (a retryable status included, once retries run out); throws HttpError
 * for failures without a response.
 */
export async function fetchWithRetry(url: string, opts: RetryOptions): Promise<SafeResponse> {
  const sleep = opts.sleep ?? ((ms: number) => delay(ms, undefined, { signal: opts.signal }));
  for (let attempt = 0; ; attempt++) {
    await opts.beforeAttempt?.(attempt);
    const last = attempt >= opts.retries;
    let res: SafeResponse | undefined;
    try {
      res = await safeFetch(url, opts);
    } catch (err) {
      if (!isRetryableError(err) || last) {
        if (err instanceof HttpError) opts.onAttempt?.({ attempt, url, error: err, status: err.status });
        throw err;
      }
      const delayMs = retryDelay(attempt, undefined, opts.baseDelayMs, opts.maxDelayMs, opts.random);
      opts.onAttempt?.({ attempt, url, error: err, status: err.status, delayMs, delaySource: 'backoff' });
      await sleep(delayMs);
      continue;
    }
    if (!isRetryableStatus(res.status) || last) {
      opts.onAttempt?.({ attempt, url, status: res.status });
      return res;
    }
    const delayMs = retryDelay(attempt, res.retryAfterMs, opts.baseDelayMs, opts.maxDelayMs, opts.random);
    const delaySource = res.retryAfterMs === undefined ? 'backoff' : 'retry-after';
    opts.onAttempt?.({ attempt, url, status: res.status, delayMs, delaySource });
    await sleep(delayMs);
  }
}
