import { createHmac, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { verificationSecrets } from '@paperwire/config';
import { hashApiKey, hasScope, liveApiKeyById } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { AuthFailures, clientOf } from '../auth/auth-failures';
import { keyFromHeaders } from '../auth/auth.guard';
import { readCookie } from '../common/cookies';
import { skipLink } from '../common/html';
import { SKIP_LINK_CSS } from '../common/page-style';

export const BULL_BOARD_PATH = '/ops/queues';
const COOKIE = 'pw_ops_session';
const SESSION_S = 8 * 3600;
// Bull Board's UI is a bundled React app served from this origin.
const BOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * A session for one admin key: `<keyId>.<iat>.<exp>.<mac>`, the MAC over all three keyed with the
 * token secret AND the key's stored hash, so a session can only be made by someone who holds both
 * (the key id alone, which is not secret, is useless), and it dies with the key. The key itself never
 * leaves the login POST. Lifetime: at most SESSION_S, checked on every request whatever the cookie says.
 */
export function signSession(keyId: string, keyHash: string, iat: number, exp: number, secret: string): string {
  return `${keyId}.${iat}.${exp}.${sessionMac(keyId, keyHash, iat, exp, secret)}`;
}

function sessionMac(keyId: string, keyHash: string, iat: number, exp: number, secret: string): string {
  return createHmac('sha256', `${secret}\u0000${keyHash}`).update(`paperwire-ops-session-v2:${keyId}:${iat}:${exp}`).digest('base64url');
}

export interface SessionClaims {
  keyId: string;
  iat: number;
  exp: number;
  mac: string;
}

/** The claims of a well-formed, unexpired session cookie no older than SESSION_S (not yet authenticated). */
export function parseSession(token: string | undefined, now = Date.now()): SessionClaims | null {
  const parts = (token ?? '').split('.');
  if (parts.length !== 4) return null;
  const [keyId, iatS, expS, mac] = parts as [string, string, string, string];
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(keyId) || !/^\d{1,12}$/.test(iatS) || !/^\d{1,12}$/.test(expS) || !/^[A-Za-z0-9_-]{43}$/.test(mac)) return null;
  const iat = Number(iatS);
  const exp = Number(expS);
  const nowS = Math.floor(now / 1000);
  if (exp <= nowS || iat > nowS + 60 || exp - iat > SESSION_S || nowS - iat > SESSION_S) return null;
  return { keyId, iat, exp, mac };
}

/** The session's MAC matches this key hash under one of the secrets (current, then previous). */
export function sessionMatches(claims: SessionClaims, keyHash: string, secrets: readonly string[]): boolean {
  const got = Buffer.from(claims.mac);
  let ok = false;
  for (const secret of secrets) {
    const want = Buffer.from(sessionMac(claims.keyId, keyHash, claims.iat, claims.exp, secret));
    if (want.length === got.length && timingSafeEqual(want, got)) ok = true;
  }
  return ok;
}

const loginPage = (
  message = '',
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>PaperWire queues — sign in</title><style>*{box-sizing:border-box}body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#111}label{display:block;margin:.5rem 0}input{width:100%;padding:.5rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}p.err{color:#a00}${SKIP_LINK_CSS}</style></head>
<body>${skipLink('content', 'Skip to content')}<main id="content" tabindex="-1"><h1>Queues (Bull Board)</h1><p>Sign in with an API key that has the <code>admin</code> scope.</p>${message ? `<p class="err" role="alert">${message}</p>` : ''}
<form method="post" action="${BULL_BOARD_PATH}/login"><label for="key">Admin API key</label><input id="key" name="key" type="password" autocomplete="off" required><button type="submit">Sign in</button></form></main></body></html>`;

/**
 * Bull Board at /ops/queues, behind the admin key: a login form posts the key once (never in a URL),
 * which is verified against the hashed keys and exchanged for a signed HttpOnly SameSite=Strict
 * session cookie; every board request re-checks the key is still unrevoked and admin.
 */
export function mountBullBoard(app: INestApplication, config: ApiConfig): void {
  const queues = app.get<QueueSet>(QUEUE_SET);
  const ds = app.get<DataSource>(DATA_SOURCE);
  // Failed sign-ins share the per-client failed-authentication budget of API keys.
  const failures = app.get(AuthFailures);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter: adapter });

  const html = (res: Response, status: number, body: string) =>
    res
      .status(status)
      .setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      )
      .type('html')
      .send(body);

  const problem = (res: Response, status: number, detail: string) =>
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail }));

  // Bull Board's own API refuses in its own JSON ({"error":{"key":"ERRORS.QUEUE_NOT_FOUND"}}): as every 4xx of the api,
  // an RFC 9457 problem instead, its detail in words ("queue not found").
  const boardErrorsAsProblems = (req: Request, res: Response): void => {
    if (!req.path.startsWith('/api/')) return;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 400) return json(body);
      const error = (body as { error?: unknown } | null)?.error;
      const said = typeof error === 'string' ? error : typeof (error as { key?: unknown })?.key === 'string' ? (error as { key: string }).key : '';
      const detail = said.replace(/^ERRORS\./, '').replace(/_/g, ' ').toLowerCase().slice(0, 200) || 'request refused';
      return problem(res, res.statusCode, detail);
    };
  };

  app.use(`${BULL_BOARD_PATH}/login`, async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return html(res, 200, loginPage());
    try {
      const client = clientOf(req);
      // An active admin key signs in even from an address over its failed-authentication budget (the limit is on
      // failures); any other attempt from there waits, without counting again.
      const key = typeof req.body?.key === 'string' ? req.body.key.trim() : '';
      const record = key ? await failures.verify(key) : null;
      if (!record || !hasScope(record.scopes, 'admin')) {
        const wait = failures.blockedFor(client) || (await failures.fail(client));
        if (wait > 0) return html(res.setHeader('Retry-After', String(wait)), 429, loginPage('Too many failed sign-ins; try again later.'));
        return html(res, 401, loginPage('That is not an active admin key.'));
      }
      const iat = Math.floor(Date.now() / 1000);
      const secure = req.secure ? '; Secure' : '';
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${encodeURIComponent(signSession(record.id, hashApiKey(key), iat, iat + SESSION_S, config.TOKEN_SECRET))}; Path=${BULL_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_S}${secure}`,
      );
      res.redirect(303, `${BULL_BOARD_PATH}/`);
    } catch (err) {
      next(err);
    }
  });
  app.use(
    BULL_BOARD_PATH,
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        // An admin key by header (Authorization: Bearer, or X-API-Key), as /ops and the API take it: a script or
        // a proxy that holds the key needs no session. Checked as the API's guard checks it: counted against the
        // client's failed-authentication budget, and a valid key without the admin scope is a 403.
        const headerKey = keyFromHeaders(req);
        if (headerKey !== undefined) {
          const client = clientOf(req);
          // only failures are refused: a key that verifies passes from an address over its budget, as on the API
          const record = await failures.verify(headerKey);
          if (!record) {
            const blocked = failures.blockedFor(client);
            if (blocked > 0) return problem(res.setHeader('Retry-After', String(blocked)), 429, 'too many failed authentications; try again later');
            const wait = await failures.fail(client);
            if (wait > 0) return problem(res.setHeader('Retry-After', String(wait)), 429, 'too many failed authentications; try again later');
            return problem(res.setHeader('WWW-Authenticate', 'Bearer realm="paperwire"'), 401, 'API key is unknown or revoked');
          }
          if (!hasScope(record.scopes, 'admin')) return problem(res, 403, 'this API key lacks scope "admin"');
          res.setHeader('Content-Security-Policy', BOARD_CSP);
          boardErrorsAsProblems(req, res);
          return next();
        }
        const claims = parseSession(readCookie(req, COOKIE));
        const key = claims ? await liveApiKeyById(ds, claims.keyId) : null;
        const live = key && claims && sessionMatches(claims, key.key_hash, verificationSecrets(config)) ? key : undefined;
        if (!live || !live.scopes.includes('admin')) {
          if (req.path.startsWith('/api/')) return problem(res, 401, 'sign in at /ops/queues/login, or send an admin key (Authorization: Bearer)');
          return html(res, 401, loginPage());
        }
        res.setHeader('Content-Security-Policy', BOARD_CSP);
        boardErrorsAsProblems(req, res);
        next();
      } catch (err) {
        next(err);
      }
    },
    adapter.getRouter(),
  );
}
