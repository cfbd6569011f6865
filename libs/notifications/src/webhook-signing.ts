// Standard Webhooks signatures (https://www.standardwebhooks.com/): HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>" with the base64-decoded `whsec_` secret, sent as
// "v1,<base64>" and one entry per active secret so receivers can rotate without downtime. Signed with
// node:crypto (the reference library `standardwebhooks` costs ~8× more per signature on the delivery
// hot path); the spec checks every signature against that library, the one receivers verify with.

import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** 'whsec_' + base64 of `bytes` random bytes (24–64; 32 by default). */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`webhook secrets are ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes, got ${bytes}`);
  }
  return WEBHOOK_SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** The key bytes of a `whsec_` secret (the prefix is optional, as in the reference libraries). */
export function webhookSecretKey(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('webhook secret is not base64');
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new Error("webhook secret can't be empty");
  return key;
}

/** Validates a secret without exposing it in the error. */
export function isValidWebhookSecret(secret: string): boolean {
  try {
    return webhookSecretKey(secret).length >= MIN_SECRET_BYTES;
  } catch {
    return false;
  }
}

/** The v1 signature of one message with one secret: "v1,<base64>". */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookSecretKey(secret));
  return `v1,${mac.update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;
}

/**
 * The secrets that sign a message at `now`: the stored ones (newest first), less the previous one once the
 * grace period of its rotation ended (`previousExpiresAt`; null or absent: it signs until retired).
 */
export function signingSecrets(secrets: readonly string[], previousExpiresAt: Date | string | null | undefined, now = new Date()): string[] {
  if (previousExpiresAt === null || previousExpiresAt === undefined || secrets.length < 2) return [...secrets];
  return new Date(previousExpiresAt).getTime() <= now.getTime() ? secrets.slice(0, 1) : [...secrets];
}

export interface SignWebhookOptions {
  /** unique per message and stable across retries (receivers dedupe on it); the delivery id */
  id: string;
  timestamp: Date;
  /** the exact bytes sent: sign the serialised body, never re-serialise after signing */
  body: string;
  /** active secrets, newest first; one signature each */
  secrets: string[];
}

/** Headers webhook-id, webhook-timestamp (unix seconds) and webhook-signature. */
export function signWebhook(opts: SignWebhookOptions): Record<string, string> {
  if (opts.secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  if (!opts.id || /\s/.test(opts.id)) throw new Error('webhook id must be a non-empty token without spaces');
  const ts = Math.floor(opts.timestamp.getTime() / 1000);
  if (!Number.isFinite(ts)) throw new Error('webhook timestamp is not a valid date');
  const signatures = [...new Set(opts.secrets)].map((s) => webhookSignature(s, opts.id, ts, opts.body));
  return {
    'webhook-id': opts.id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signatures.join(' '),
  };
}
