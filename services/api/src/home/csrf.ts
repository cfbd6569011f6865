import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { verificationSecrets, type TokenSecrets } from '@paperwire/config';
import { readCookie } from '../common/cookies';

export { readCookie };

/** A secret, or the configured TOKEN_SECRET (signing) and TOKEN_SECRET_PREVIOUS (verifying too). */
export type CsrfSecrets = string | TokenSecrets;
const signingSecret = (s: CsrfSecrets): string => (typeof s === 'string' ? s : s.TOKEN_SECRET);
const checkingSecrets = (s: CsrfSecrets): string[] => (typeof s === 'string' ? [s] : verificationSecrets(s));

// Double submit, bound to a secret: the page sets a random SameSite=Strict cookie and renders
// HMAC(secret, cookie) into the form. A cross-site form post carries neither the cookie (SameSite) nor
// a token that matches it, and a token lifted from another browser does not match this one's cookie.
export const CSRF_COOKIE = 'pw_csrf';

export function csrfToken(secret: string, cookie: string): string {
  return createHmac('sha256', secret).update(`paperwire-csrf-v1:${cookie}`).digest('base64url');
}

/** The browser's CSRF cookie, set (HttpOnly, SameSite=Strict) when missing; returns the form token. */
export function issueCsrf(req: Request, res: Response, secrets: CsrfSecrets): string {
  let cookie = readCookie(req, CSRF_COOKIE);
  if (!cookie || !/^[A-Za-z0-9_-]{16,64}$/.test(cookie)) {
    cookie = randomBytes(18).toString('base64url');
    const secure = req.secure ? '; Secure' : '';
    res.append(
      'Set-Cookie',
      `${CSRF_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400${secure}`,
    );
  }
  return csrfToken(signingSecret(secrets), cookie);
}

/** The form token matches this browser's cookie under the current (or, in a rotation, previous) secret. */
export function checkCsrf(req: Request, secrets: CsrfSecrets, token: unknown): boolean {
  const cookie = readCookie(req, CSRF_COOKIE);
  if (!cookie || typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
  const got = Buffer.from(token);
  let ok = false;
  for (const secret of checkingSecrets(secrets)) {
    const want = Buffer.from(csrfToken(secret, cookie));
    if (want.length === got.length && timingSafeEqual(want, got)) ok = true;
  }
  return ok;
}

/** A browser's Origin (or Referer) must be this site when present. */
export function sameOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
  if (!origin || origin === 'null') return origin !== 'null';
  const own = new Set([safeOrigin(publicUrl), `${req.protocol}://${req.headers.host ?? ''}`]);
  return own.has(origin);
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
