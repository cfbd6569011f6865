import type { NotifierEnv } from '@paperwire/config';
import { safeFetch } from '@paperwire/http';
import {
  classifyWebhookResponse,
  isRefusedTarget,
  parseRetryAfterMs,
  signWebhook,
  webhookStatusError,
  type WebhookVerdict,
} from '@paperwire/notifications';

/** What one signed webhook request came to. */
export interface WebhookSendResult {
  verdict: WebhookVerdict;
  /** the endpoint's HTTP status; null when no response arrived */
  status: number | null;
  /** '' when delivered; else `HTTP <status>`, the transport error, or `refused: …` for a refused target */
  error: string;
  /** the endpoint's Retry-After on 429 / 503, in ms; null otherwise */
  retryAfterMs: number | null;
}

type SenderConfig = Pick<NotifierEnv, 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_TIMEOUT_MS'>;

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * POSTs one Standard Webhooks message: `body` exactly as signed, one signature per active secret,
 * `webhook-id` = the delivery id (stable across retries, receivers dedupe on it). The target is
 * checked against private addresses (unless allowed), redirects stay off (a webhook answers where it
 * was registered, on a connection reused only for the address the guard checked for this request),
 * and the response body is capped. Never throws: every failure is a verdict.
 */
export async function sendSignedWebhook(
  config: SenderConfig,
  target: string,
  message: { id: string; body: string; secrets: string[] },
): Promise<WebhookSendResult> {
  const headers = signWebhook({
    id: message.id,
    timestamp: new Date(),
    body: message.body,
    secrets: message.secrets,
  });
  let status: number | null = null;
  let retryAfterMs: number | null = null;
  let error = '';
  let failure: unknown;
  try {
    const res = await safeFetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: message.body,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      connectTimeoutMs: Math.min(config.WEBHOOK_TIMEOUT_MS, 5_000),
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      keepAlive: true,
    });
    status = res.status;
    if (res.status < 200 || res.status >= 300) error = webhookStatusError(res.status);
    if (res.status === 429 || res.status === 503)
      retryAfterMs = parseRetryAfterMs(headerValue(res.headers['retry-after']));
  } catch (err) {
    failure = err;
    // A refused target is recorded as such: it is the reason the delivery failed for good.
    error = isRefusedTarget(err) ? `refused: ${(err as Error).message}` : (err as Error).message;
  }
  return { verdict: classifyWebhookResponse(status, failure), status, error, retryAfterMs };
}
