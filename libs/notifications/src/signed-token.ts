// Signed tokens for unsubscribe, confirmation and digest ("see the rest") links: base64url(JSON payload) "." base64url(HMAC).
// The purpose is inside the signed payload, so an unsubscribe token can never confirm and vice versa.
// Every token carries an expiry, checked here against a per-purpose maximum lifetime; a confirmation
// token is also bound to the address it was sent to (a changed address needs a new confirmation).
// Verification accepts several secrets (the current one and, during a rotation, the previous one);
// signing always uses the one given, which is the current secret.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'confirm' | 'digest';
const TOKEN_PURPOSES: readonly string[] = ['unsubscribe', 'confirm', 'digest'] satisfies TokenPurpose[];

export interface TokenPayload {
  /** the subject: the subscription id (unsubscribe, confirm) or the digest's delivery id (digest) */
  sub: string;
  purpose: TokenPurpose;
  /** expiry, unix seconds; the purpose's default lifetime when absent */
  exp?: number;
  /** targetHash() of the address the link was mailed to (confirm links always; unsubscribe links since 2026-12-06) */
  tgt?: string;
}

export interface VerifiedToken {
  sub: string;
  tgt?: string;
}

/** Lifetime of a token signed without `exp`, and the most a verified token may have left, per purpose. */
export const TOKEN_LIFETIME_S: Readonly<Record<TokenPurpose, { default: number; max: number }>> = {
  // Unsubscribe links sit in old mails: a year (every newer mail carries a fresh one).
  unsubscribe: { default: 365 * 86400, max: 400 * 86400 },
  confirm: { default: 7 * 86400, max: 8 * 86400 },
  // A digest's "see the rest" page: as long as the mail is kept, like an unsubscribe link; signed with an expiry fixed
  // from the digest's creation, so a retry of the digest sends the same link.
  digest: { default: 365 * 86400, max: 400 * 86400 },
};

const MIN_SECRET_LENGTH = 16;
const MAX_TOKEN_LENGTH = 2048;
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Domain separation: the same secret signs other things elsewhere (sessions, CSRF).
const CONTEXT = 'paperwire-link-token-v2.';

function mac(body: string, secret: string): Buffer {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`token secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return createHmac('sha256', secret)
    .update(CONTEXT + body)
    .digest();
}

/** A short, stable digest of an address (case-insensitive) for binding a confirmation token to it. */
export function targetHash(target: string): string {
  return createHash('sha256').update(target.trim().toLowerCase(), 'utf8').digest('base64url').slice(0, 22);
}

/**
 * Was the link whose verified claims these are mailed to `target` (the subscription's address now; it changes on
 * PATCH)? The one check for every link: a token bound to another address never acts on this one. A token without
 * a bound address is refused when `requireTarget` (confirm links always carry one) and accepted otherwise
 * (unsubscribe links mailed before 2026-12-06 carry none and stay valid for up to a year).
 */
export function tokenMailedTo(
  claims: { tgt?: string },
  target: string,
  opts: { requireTarget: boolean },
): boolean {
  if (claims.tgt === undefined) return !opts.requireTarget;
  return claims.tgt === targetHash(target);
}

export function signToken(payload: TokenPayload, secret: string, now: Date = new Date()): string {
  if (!payload.sub) throw new Error('token subject is empty');
  if (payload.exp !== undefined && !Number.isFinite(payload.exp))
    throw new Error('token exp must be unix seconds');
  const exp = payload.exp ?? Math.floor(now.getTime() / 1000) + TOKEN_LIFETIME_S[payload.purpose].default;
  const claims: TokenPayload = {
    sub: payload.sub,
    purpose: payload.purpose,
    exp: Math.floor(exp),
    ...(payload.tgt !== undefined ? { tgt: payload.tgt } : {}),
  };
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/**
 * The subject (and bound target) when the token is authentic under one of `secrets`, for this purpose,
 * not expired and not longer-lived than its purpose allows; null otherwise.
 */
export function verifyToken(
  token: string,
  secrets: string | readonly string[],
  purpose: TokenPurpose,
  now: Date = new Date(),
): VerifiedToken | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_RE.test(token)) return null;
  const [body, sig] = token.split('.') as [string, string];
  const given = Buffer.from(sig, 'base64url');
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  let authentic = false;
  for (const secret of keys) {
    const expected = mac(body, secret);
    if (given.length === expected.length && timingSafeEqual(given, expected)) authentic = true;
  }
  if (!authentic) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isPayload(claims) || claims.purpose !== purpose) return null;
  const nowS = Math.floor(now.getTime() / 1000);
  if (nowS >= claims.exp || claims.exp - nowS > TOKEN_LIFETIME_S[purpose].max) return null;
  return { sub: claims.sub, ...(claims.tgt !== undefined ? { tgt: claims.tgt } : {}) };
}

function isPayload(v: unknown): v is TokenPayload & { exp: number } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.sub === 'string' &&
    o.sub.length > 0 &&
    typeof o.purpose === 'string' &&
    TOKEN_PURPOSES.includes(o.purpose) &&
    typeof o.exp === 'number' &&
    Number.isFinite(o.exp) &&
    (o.tgt === undefined || typeof o.tgt === 'string')
  );
}
