import type { BackoffStrategy } from 'bullmq';
import { WEBHOOK_BACKOFF_BASE_MS, WEBHOOK_BACKOFF_CAP_MS, webhookBackoffMs } from '@paperwire/notifications';

/** BullMQ backoff type of webhook deliveries; the job's `backoff.delay` is the policy's base. */
export const WEBHOOK_BACKOFF_TYPE = 'webhook';

/** A failed attempt whose endpoint said when to come back (Retry-After on a 429/503). */
export class RetryLaterError extends Error {
  /**
   * `reported`: the failure is in the notifier's own (rate-limited) log line already, so the job's retry is not
   * warned about again (StageWorker, isReportedFailure).
   */
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly reported = false,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * The documented webhook retry policy (WEBHOOKS.md): full jitter in [1 s, min(2 h, 15 s × 2ⁿ⁻¹)],
 * scaled by the job's base delay when that is not 15 s (tests use 200 ms); a Retry-After is honoured
 * up to the cap. Other backoff types never reach a custom strategy (BullMQ runs its built-ins).
 */
export const webhookBackoffStrategy: BackoffStrategy = (attemptsMade, type, err, job) => {
  if (type !== WEBHOOK_BACKOFF_TYPE) return -1;
  const opts = job?.opts.backoff;
  const base = typeof opts === 'object' && opts.delay ? opts.delay : WEBHOOK_BACKOFF_BASE_MS;
  return webhookRetryDelayMs(attemptsMade, base, err instanceof RetryLaterError ? err.retryAfterMs : null);
};

/**
 * The delay before the next attempt after `attemptsMade` attempts: the endpoint's Retry-After when it
 * gave one (up to the cap), else the policy scaled by `baseMs`.
 */
export function webhookRetryDelayMs(
  attemptsMade: number,
  baseMs: number,
  retryAfterMs: number | null,
): number {
  if (retryAfterMs !== null) return Math.min(WEBHOOK_BACKOFF_CAP_MS, Math.max(0, retryAfterMs));
  return Math.round((webhookBackoffMs(attemptsMade) * baseMs) / WEBHOOK_BACKOFF_BASE_MS);
}
