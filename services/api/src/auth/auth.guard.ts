import { Inject, Injectable, SetMetadata, applyDecorators, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { ApiKeyScope } from '@paperwire/db';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { SCOPE_EXTENSION } from '../common/api-docs';
import { ProblemException, badRequest } from '../common/problem';
import { hasScope, type ApiKeyRecord } from '@paperwire/db';
import { AuthFailures, clientOf, tooManyFailures } from './auth-failures';

export const SCOPE_KEY = 'paperwire:scope';
/** 'public' routes never need a key; no decorator means 'read' (a key only when API_READ_REQUIRES_KEY). */
export type RouteScope = ApiKeyScope | 'public';
/** Sets the scope the guard checks, and the same scope in the OpenAPI document (its `security`). */
export const RequireScope = (scope: RouteScope) => applyDecorators(SetMetadata(SCOPE_KEY, scope), ApiExtension(SCOPE_EXTENSION, scope));

export interface AuthedRequest extends Request {
  apiKey?: ApiKeyRecord;
}

// Keys in URLs end up in logs, proxies and browser history: refuse them outright.
const QUERY_KEY_NAMES = ['api_key', 'apikey', 'key', 'access_token', 'token', 'x-api-key'];
export const INFRA_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export function keyFromHeaders(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x.trim()) return x.trim();
  return undefined;
}

/**
 * What a route that needs a subscriptions or admin key answers depends on the key (your subscriptions, the operator's
 * keys and sources): no shared cache may store it, and X-API-Key, unlike Authorization, does not keep it out of one
 * by itself (RFC 9111 §3.5). A client may keep it and revalidate with its ETag.
 */
export const KEY_BOUND_CACHE_CONTROL = 'private, no-cache';
export const KEY_BOUND_SCOPES: ReadonlySet<RouteScope> = new Set<RouteScope>(['subscriptions', 'admin']);

const unauthorized = (detail: string) =>
  new ProblemException(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="paperwire"' });

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIG) private readonly config: ApiConfig,
    private readonly failures: AuthFailures,
  ) {}

  /** A failed authentication: counted per client; past the budget (or already over it) a 429 instead of the 401. */
  private async refuse(req: Request, err: ProblemException): Promise<never> {
    const client = clientOf(req);
    const wait = this.failures.blockedFor(client) || (await this.failures.fail(client));
    throw wait > 0 ? tooManyFailures(wait) : err;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const named = Object.keys(req.query ?? {}).filter((k) => QUERY_KEY_NAMES.includes(k.toLowerCase()));
    if (named.length > 0) {
      throw badRequest('API keys are accepted only in the Authorization (Bearer) or X-API-Key header, never in the URL', [
        { field: named[0], detail: 'remove the key from the query string and revoke it: URLs are logged' },
      ]);
    }
    if (INFRA_PATHS.has(req.path)) return true;
    const scope =
      this.reflector.getAllAndOverride<RouteScope | undefined>(SCOPE_KEY, [ctx.getHandler(), ctx.getClass()]) ?? 'read';
    if (KEY_BOUND_SCOPES.has(scope)) {
      const res = ctx.switchToHttp().getResponse<Response>();
      res.setHeader('Cache-Control', KEY_BOUND_CACHE_CONTROL);
      res.vary('Authorization').vary('X-API-Key');
    }
    const key = keyFromHeaders(req);
    const needsKey = scope !== 'public' && (scope !== 'read' || this.config.API_READ_REQUIRES_KEY);
    if (key) {
      // (verified already when the request was counted against its key's rate limit: auth/throttle.ts countRequest)
      // A key that verifies is never refused by the failure limit (it limits failures, not the holders of a key who
      // share an address with someone failing); a bad key from a client over its budget waits, at no Redis round trip
      // (and, repeated, no query: the negative cache).
      const rec = req.apiKey ?? (await this.failures.verify(key));
      if (!rec) return this.refuse(req, unauthorized('API key is unknown or revoked'));
      req.apiKey = rec;
    }
    if (!needsKey) return true;
    if (!req.apiKey) return this.refuse(req, unauthorized(`this endpoint needs an API key with scope "${scope}"`));
    if (!hasScope(req.apiKey.scopes, scope)) throw new ProblemException(403, `this API key lacks scope "${scope}"`);
    return true;
  }
}
