// Signed tokens for unsubscribe and confirmation links: base64url(JSON payload) "." base64url(HMAC).
// The purpose is inside the signed payload, so an unsubscribe token can never confirm and vice versa.

import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'confirm';

export interface TokenPayload {
  /** the subject, normally the subscription id */
  sub: string;
  purpose: TokenPurpose;
  /** expiry, unix seconds; no expiry when absent (unsubscribe links must keep working) */
  exp?: number;
}

const MIN_SECRET_LENGTH = 16;
const MAX_TOKEN_LENGTH = 2048;
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Domain separation: the same secret may sign other things elsewhere.
const CONTEXT = 'paperwire-link-token-v1.';

function mac(body: string, secret: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return createHmac('sha256', secret)
    .update(CONTEXT + body)
    .digest();
}

export function signToken(payload: TokenPayload, secret: string): string {
  if (!payload.sub) throw new Error('token subject is empty');
  if (payload.exp !== undefined && !Number.isFinite(payload.exp))
    throw new Error('token exp must be unix seconds');
  const claims: TokenPayload = {
    sub: payload.sub,
    purpose: payload.purpose,
    ...(payload.exp !== undefined ? { exp: Math.floor(payload.exp) } : {}),
  };
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/** The subject when the token is authentic, for this purpose and not expired; null otherwise. */
export function verifyToken(
  token: string,
  secret: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): { sub: string } | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_RE.test(token)) return null;
  const [body, sig] = token.split('.') as [string, string];
  const expected = mac(body, secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isPayload(claims) || claims.purpose !== purpose) return null;
  if (claims.exp !== undefined && Math.floor(now.getTime() / 1000) >= claims.exp) return null;
  return { sub: claims.sub };
}

function isPayload(v: unknown): v is TokenPayload {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.sub === 'string' &&
    o.sub.length > 0 &&
    (o.purpose === 'unsubscribe' || o.purpose === 'confirm') &&
    (o.exp === undefined || (typeof o.exp === 'number' && Number.isFinite(o.exp)))
  );
}
