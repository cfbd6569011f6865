import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@paperwire/telemetry';
import { LOGGER, Metrics } from '@paperwire/service-kit';
import { accessLogMiddleware } from './common/access-log';
import { compressionMiddleware } from './common/compression';
import { createCorsMiddleware, parseCorsOrigins } from './common/cors';
import { createOverloadMiddleware } from './common/overload';
import type { ApiConfig } from './api-config';
import { countRequest, type RateLimitState, type Throttler } from './auth/throttle';
import { AuthFailures } from './auth/auth-failures';
import { keyFromHeaders, type AuthedRequest } from './auth/auth.guard';
import { ProblemFilter, sendProblem, sendProblemOrPage, toProblem } from './common/problem.filter';
import { problemBody } from './common/problem';
import { MAIL_LINK_PATH } from './common/unmatched-route';
import { refuseBadPercentEncoding } from './common/percent-encoding';
import { mountBullBoard } from './ops/bull-board';
import { openApiDocument } from './openapi/openapi-document';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
// Swagger UI is served from this origin (swagger-ui-dist), no CDN.
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  // /ops sets its own nonce-based policy.
  if (!req.path.startsWith('/ops'))
    res.setHeader('Content-Security-Policy', req.path.startsWith('/docs') ? DOCS_CSP : API_CSP);
  next();
}

/**
 * Node's HTTP parser answers oversized headers or URLs (431) and malformed requests (400) itself, with
 * an empty body; answer them as problem documents too, like every other 4xx.
 */
function problemOnClientError(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
    const detail =
      status === 400
        ? 'malformed HTTP request'
        : 'request line or headers are larger than the server accepts';
    const body = JSON.stringify(problemBody(status, detail));
    socket.end(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 414 ? 'URI Too Long' : 'Request Header Fields Too Large'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

// Postgres text cannot hold U+0000, and no field has a use for it: refuse it up front (raw or
// percent-encoded in the URL, anywhere in a JSON body) instead of failing deep in a query.
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  return Object.entries(v as Record<string, unknown>).some(
    ([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1),
  );
}

function refuseNul(req: Request, res: Response, next: NextFunction): void {
  const inUrl = /%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000');
  if (inUrl || hasNul(req.body)) {
    // A browser on a page gets a page (/?q=%00), an API client the problem document.
    sendProblemOrPage(
      req,
      res,
      toProblem(
        { status: 400, message: `NUL characters are not allowed in the ${inUrl ? 'URL' : 'request body'}` },
        req.originalUrl.split('?')[0].replace(/%00/gi, ''),
      ),
    );
    return;
  }
  next();
}

// The JSON API takes JSON bodies only; the links in mails (RFC 8058 one-click unsubscribe, the
// confirmation button: MAIL_LINK_PATH) take the forms mail clients and browsers send.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A body that is not JSON on a /v1 endpoint is 415 (it would otherwise be read as an empty object). */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (
    hasBody &&
    BODY_METHODS.has(req.method) &&
    /^\/v1\//i.test(req.path) &&
    !MAIL_LINK_PATH.test(req.path) &&
    !req.is(['application/json', 'application/*+json'])
  ) {
    sendProblem(
      res,
      toProblem({ status: 415, message: 'request bodies are JSON: send Content-Type: application/json' }, req.originalUrl.split('?')[0]),
    );
    return;
  }
  next();
}

/**
 * The rate limit's counter (auth/throttle.ts countRequest) in its own storage and window (ThrottlerModule, ApiModule):
 * per API key when the request presents one that verifies (set on the request for the guard, which then does not
 * verify it again), else per client address (a bad key too, also from a client blocked for failed authentications).
 */
function rateLimitCounter(app: INestApplication): ((req: Request) => Promise<RateLimitState>) | undefined {
  const options = app.get<ThrottlerModuleOptions>(getOptionsToken(), { strict: false });
  const throttler = (Array.isArray(options) ? options : options.throttlers)[0] as Throttler | undefined;
  if (!throttler) return undefined;
  const failures = app.get(AuthFailures, { strict: false });
  return countRequest(app.get<ThrottlerStorage>(getStorageToken(), { strict: false }), throttler, async (req: AuthedRequest) => {
    const key = keyFromHeaders(req);
    if (!key || req.apiKey) return;
    const rec = await failures.verify(key);
    if (rec) req.apiKey = rec;
  });
}

/**
 * Everything the api needs on top of the Nest app: body limits, security headers, problem+json for
 * every error (including body-parser's), and the OpenAPI document at /docs. Shared by main.ts and the
 * contract tests so they run the same stack.
 */
export function configureApiApp(app: INestApplication, config: ApiConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  // Only configured proxies may set the client address (req.ip, the per-IP rate limit); default none.
  http.set('trust proxy', config.TRUST_PROXY);
  problemOnClientError(app.getHttpServer() as Server);
  const log = app.get<Logger>(LOGGER);
  // First, so refused (429/503, 413) and compressed answers are logged too, with the bytes sent.
  if (config.API_ACCESS_LOG) app.use(accessLogMiddleware(log));
  app.use(securityHeaders);
  // Cross-origin reads of the public API; preflights answered before admission and the cache.
  app.use(createCorsMiddleware(parseCorsOrigins(config.API_CORS_ORIGINS)));
  // Before the response cache, which then keeps the identity body and its compressed codings (compression.ts);
  // off (API_COMPRESSION=false) behind a proxy that compresses.
  if (config.API_COMPRESSION) app.use(compressionMiddleware);
  // The rate limit (every answer but the exempt routes' carries the caller's counters), per-client concurrency,
  // admission, the short response cache and HTTP metrics (issue #16).
  app.use(
    createOverloadMiddleware({
      perClient: config.API_CLIENT_CONCURRENCY,
      maxInFlight: config.API_MAX_IN_FLIGHT,
      ttlMs: config.API_CACHE_MS,
      metrics: app.get(Metrics),
      compress: config.API_COMPRESSION,
      countRequest: rateLimitCounter(app),
    }),
  );
  // Registered before Nest's own parsers, which it then skips (same middleware names).
  app.use(express.json({ limit: config.MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ limit: config.MAX_BODY_BYTES, extended: false }));
  app.use(refuseNul);
  app.use(refuseBadPercentEncoding);
  app.use(requireJsonBody);
  mountBullBoard(app, config);
  // Errors outside Nest's filter (body parsers, Bull Board and its sign-in): every 5xx is logged.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    const body = toProblem(err, req.originalUrl.split('?')[0]);
    if (body.status >= 500)
      log.error({ err: err instanceof Error ? err.message : String(err), stack: (err as Error)?.stack, path: body.instance }, 'request failed');
    if (res.headersSent) return next(err);
    sendProblemOrPage(req, res, body);
  });
  app.useGlobalFilters(new ProblemFilter(log));
  SwaggerModule.setup('docs', app, () => openApiDocument(app, config), { jsonDocumentUrl: 'docs-json' });
}
