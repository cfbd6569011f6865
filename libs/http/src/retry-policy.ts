import { BodyTooLargeError, HttpError } from './http-error';

// Pure retry decisions, kept apart from the I/O so they can be tested exhaustively.

/** Statuses worth another try. Other 4xx mean the request itself is wrong and will stay wrong. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Timeouts, resets and DNS/connect failures heal; SSRF refusals, size caps and redirect loops do not. */
export function isRetryableError(err: unknown): err is HttpError {
  return err instanceof HttpError && (err.code === 'timeout' || err.code === 'network');
}

/**
 * Failures that no later attempt can fix (SSRF refusals, size caps, redirect loops): a job that hit one ends now,
 * with its reason, instead of being retried by its queue.
 */
export function isPermanentHttpError(err: unknown): err is HttpError {
  return err instanceof HttpError && (err.code === 'ssrf' || err.code === 'too-large' || err.code === 'redirect-loop');
}

/**
 * The failure as one line to record or show: the error class for a size cap (no URL), else `code: message`.
 */
export function httpFailureReason(err: HttpError): string {
  return err instanceof BodyTooLargeError ? err.reason : `${err.code}: ${err.message}`;
}

/**
 * Retry-After as milliseconds from `nowMs`: either delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). A date in the past means "now" (0). Garbage gives undefined.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  // Date.parse accepts things like "1.5" as dates; an HTTP date always has a weekday/month name.
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(maxDelayMs, baseDelayMs * 2^attempt)). */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** The wait before the next attempt: the server's Retry-After when given (capped), else backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxDelayMs);
  return backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
}
