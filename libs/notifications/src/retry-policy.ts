// Webhook retry policy: exponential backoff with full jitter (AWS "Exponential Backoff And Jitter"),
// capped per attempt, spreading ~15 attempts over several hours so a receiver's outage is survived.

export const WEBHOOK_BACKOFF_BASE_MS = 15_000;
export const WEBHOOK_BACKOFF_CAP_MS = 2 * 60 * 60 * 1000;
/** a floor so a jitter draw near 0 never produces a hot retry loop */
export const WEBHOOK_BACKOFF_MIN_MS = 1_000;
export const WEBHOOK_MAX_ATTEMPTS = 15;
/**
 * Messages in a row that failed FOR GOOD (retries exhausted, a fatal answer, a refused target), with none
 * delivered in between, after which an endpoint is paused. A failed attempt that is still to be retried
 * counts for nothing: a short outage whose messages get through on a later attempt never pauses.
 */
export const WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES = 20;

/** The ceiling of the jitter window before retry number `attemptsMade` (1 = after the first failure). */
export function webhookBackoffCeilingMs(attemptsMade: number): number {
  const n = Math.max(1, Math.floor(attemptsMade));
  // 2 ** 30 already exceeds the cap; clamping the exponent avoids Infinity for silly inputs.
  return Math.min(WEBHOOK_BACKOFF_CAP_MS, WEBHOOK_BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 30));
}

/** Delay before the next attempt: uniform in [min, ceiling] (full jitter). Usable as a BullMQ backoffStrategy. */
export function webhookBackoffMs(attemptsMade: number, rand: () => number = Math.random): number {
  const ceiling = webhookBackoffCeilingMs(attemptsMade);
  const r = Math.min(1, Math.max(0, rand()));
  return Math.max(WEBHOOK_BACKOFF_MIN_MS, Math.round(r * ceiling));
}

export type WebhookVerdict = 'delivered' | 'retry' | 'gone' | 'fatal';

/**
 * A request that was never sent because the target itself is refused: the SSRF guard said no (a private,
 * loopback or otherwise non-public address, a scheme other than http(s), a URL that does not parse). Such a
 * refusal does not heal by waiting; only changing the subscription's target (or the operator's
 * WEBHOOK_ALLOW_PRIVATE) does. Duck-typed on the `code` of @paperwire/http's SsrfError.
 */
export function isRefusedTarget(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ssrf';
}

/** What to do with a webhook attempt. status null means no response (network error, timeout, refusal).
 * 'fatal' ends this delivery but still counts as a failure of the endpoint. `error` is the failure when
 * there was no response: a refused target (isRefusedTarget) is fatal on the first attempt. */
export function classifyWebhookResponse(status: number | null, error?: unknown): WebhookVerdict {
  if (status === null && isRefusedTarget(error)) return 'fatal';
  if (status === null || !Number.isInteger(status) || status < 100 || status > 599) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  // 1xx as a final status, 3xx (redirects are not followed: SSRF) and other 4xx will not get better.
  return 'fatal';
}

/**
 * The error recorded for a webhook's non-2xx answer: `HTTP 503`; a redirect says it is not followed (a webhook
 * is posted where it is registered, never where it points: SSRF), so the owner knows to register the final URL.
 */
export function webhookStatusError(status: number): string {
  if (status >= 300 && status < 400)
    return `HTTP ${status}: redirects are not followed; register the URL the endpoint redirects to`;
  return `HTTP ${status}`;
}

/** Parses Retry-After (seconds or HTTP date) into a delay, capped; null when absent or unusable. */
export function parseRetryAfterMs(value: string | null | undefined, now: Date = new Date()): number | null {
  if (!value) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(WEBHOOK_BACKOFF_CAP_MS, Math.max(0, ms));
}

/**
 * True when enough messages in a row failed for good to pause the endpoint (`failedMessages` counts
 * only messages that failed for good: see WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES). `threshold` is the
 * notifier's WEBHOOK_MAX_FAILED_MESSAGES when set, this default otherwise.
 */
export function shouldPauseEndpoint(
  failedMessages: number,
  threshold = WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES,
): boolean {
  return failedMessages >= threshold;
}

/** Why an endpoint was paused, as recorded on its subscription and shown on the ops page. */
export function endpointPauseReason(failedMessages: number, lastError: string): string {
  const messages = failedMessages === 1 ? '1 message' : `${failedMessages} messages in a row`;
  return `paused after ${messages} failed for good (retries exhausted or refused), none delivered since; last: ${lastError.slice(0, 500)}`;
}

/**
 * The failure streak a batch of attempts at one endpoint leaves, the verdicts in the order the attempts
 * finished: how many failed, whether any succeeded, and how many failed after the last success (the
 * streak restarts there). Over every attempt it is the endpoint's `consecutive_failures` (/ops).
 */
export function failureStreak(verdicts: readonly WebhookVerdict[]): {
  succeeded: boolean;
  failures: number;
  trailingFailures: number;
} {
  const lastSuccess = verdicts.lastIndexOf('delivered');
  const failures = verdicts.filter((v) => v !== 'delivered').length;
  return {
    succeeded: lastSuccess >= 0,
    failures,
    trailingFailures: lastSuccess >= 0 ? verdicts.length - 1 - lastSuccess : failures,
  };
}

/** How one attempt ended for the endpoint's failed-message streak. */
export interface StreakOutcome {
  verdict: WebhookVerdict;
  /** the message is done: delivered, or failed for good (no attempt follows) */
  final: boolean;
}

/**
 * The streak of messages that failed for good (what pauses an endpoint): `failureStreak` over the messages that
 * ended in this batch, delivered or failed for good. An attempt that failed but will be retried is neither, so a
 * burst of first-attempt failures that succeed on a retry never adds up to a pause.
 */
export function failedMessageStreak(outcomes: readonly StreakOutcome[]): ReturnType<typeof failureStreak> {
  return failureStreak(outcomes.filter((o) => o.verdict === 'delivered' || o.final).map((o) => o.verdict));
}

/** What a failed SMTP send came to: whether to try again, and the error to record for it. */
export interface MailFailure {
  /**
   * 'fatal': the server refused this recipient or this message for good (a 5xx to RCPT TO or DATA), the
   * only failure that is the subscription's own; 'retry': anything else, the mail server's state or the
   * operator's setup, which counts against no subscription.
   */
  verdict: 'retry' | 'fatal';
  /**
   * Safe to show the subscriber (it ends up in a paused subscription's status reason): the SMTP reply
   * code at most, never the mail server's address, port, credentials or reply text.
   */
  error: string;
  /** A short class of the failure for the ops page (`connection refused`, `timeout`, `SMTP 421`…): no address, no text. */
  errorClass: string;
}

const PERMANENT_REFUSALS: Readonly<Record<string, string>> = {
  'RCPT TO': 'the mail server refused this address',
  DATA: 'the mail server refused this message',
};

// nodemailer's error codes (`code`) for failures without a reply code, and the class each one names.
const TRANSPORT_CLASSES: Readonly<Record<string, string>> = {
  ECONNECTION: 'connection refused',
  ETIMEDOUT: 'timeout',
  ESOCKET: 'connection error',
  ETLS: 'TLS failure',
  EAUTH: 'authentication failed',
  EDNS: 'DNS failure',
  EPROTOCOL: 'protocol error',
};

/** The class of a failed send without a reply code, from nodemailer's `code` and the system error behind it. */
function transportClass(e: { code?: unknown; message?: unknown }): string {
  const message = typeof e.message === 'string' ? e.message : '';
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/timeout|ETIMEDOUT/i.test(message)) return 'timeout';
  return (typeof e.code === 'string' && TRANSPORT_CLASSES[e.code]) || 'unavailable';
}

/**
 * Classifies a failed SMTP send (nodemailer's error: `responseCode` is the SMTP reply code when the
 * server answered, `command` the command it answered). A permanent refusal (5xx) of the recipient
 * (RCPT TO) or of the message (DATA) will not get better by retrying it: 'fatal'. Everything else is
 * the mail server's state or the operator's setup and is retried: a temporary refusal (4xx), a
 * refused sender or login, a connection, TLS or timeout failure.
 */
export function classifyMailError(error: unknown): MailFailure {
  const e =
    typeof error === 'object' && error !== null
      ? (error as { responseCode?: unknown; command?: unknown; code?: unknown; message?: unknown })
      : {};
  const code = typeof e.responseCode === 'number' && Number.isInteger(e.responseCode) ? e.responseCode : null;
  const refusal = typeof e.command === 'string' ? PERMANENT_REFUSALS[e.command] : undefined;
  const errorClass = code !== null ? `SMTP ${code}` : transportClass(e);
  if (code !== null && code >= 500 && code <= 599 && refusal)
    return { verdict: 'fatal', error: `${refusal} (SMTP ${code})`, errorClass };
  if (code !== null && code >= 400 && code <= 499)
    return { verdict: 'retry', error: `the mail server deferred this message (SMTP ${code})`, errorClass };
  return { verdict: 'retry', error: 'the mail server was not available', errorClass };
}
