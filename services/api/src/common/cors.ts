import type { NextFunction, Request, Response } from 'express';

// Cross-origin reads (CORS) for the public read API, so a dashboard in a browser can use the HF-compatible
// /api/* and the /v1 reads as Hugging Face's own API allows: safe methods only (GET, HEAD), never credentials
// (keys travel in the Authorization or X-API-Key header a page sets itself, no cookie is ever read), never the
// writes, the admin-key routes or the operator pages. Preflights are answered here, before admission and the cache.

/** Paths whose GET/HEAD other origins may read: the HF-compatible API, /v1 but its admin-key routes (/v1/admin,
 * /v1/sources), the OpenAPI document, and /papers/{id}.json (its redirect to /v1 must carry the header too). */
const READABLE = /^\/(?:api\/|v1\/(?!(?:admin|sources)(?:\/|$))|docs-json$|papers\/.+\.json$)/i;
/** Request headers a cross-origin read may send (a preflight asking for others is not allowed). */
const ALLOWED_HEADERS = new Set(['authorization', 'x-api-key', 'if-none-match', 'if-modified-since', 'accept', 'accept-language', 'cache-control', 'content-type']);
/** Response headers a page may read besides the CORS-safelisted ones. */
const EXPOSED = 'ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Location';
const SAFE_METHODS = new Set(['GET', 'HEAD']);
const PREFLIGHT_MAX_AGE_S = 86_400;

/** `*` (any origin, the default), a comma-separated list of origins, or empty (no cross-origin reads). */
export type CorsOrigins = '*' | readonly string[];

export function parseCorsOrigins(value: string): CorsOrigins {
  const v = value.trim();
  if (v === '*') return '*';
  return v
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, '').toLowerCase())
    .filter((o) => o.length > 0);
}

/** The Access-Control-Allow-Origin for a request's Origin, or null when that origin may not read. */
function allowedOrigin(origins: CorsOrigins, origin: string | undefined): string | null {
  if (origins === '*') return '*';
  if (!origin) return null;
  return origins.includes(origin.toLowerCase()) ? origin : null;
}

export function createCorsMiddleware(origins: CorsOrigins): (req: Request, res: Response, next: NextFunction) => void {
  const enabled = origins === '*' || origins.length > 0;
  return (req, res, next) => {
    if (!enabled || !READABLE.test(req.path)) return next();
    if (origins !== '*') res.vary('Origin');
    const allow = allowedOrigin(origins, req.headers.origin);
    const requested = req.headers['access-control-request-method'];
    if (req.method === 'OPTIONS' && typeof requested === 'string') {
      // A preflight: answered here whatever the route (it carries no key and reaches no handler).
      const headers = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h.length > 0);
      const ok = allow !== null && SAFE_METHODS.has(requested.toUpperCase()) && headers.every((h) => ALLOWED_HEADERS.has(h));
      if (ok) {
        res.setHeader('Access-Control-Allow-Origin', allow);
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
        if (headers.length > 0) res.setHeader('Access-Control-Allow-Headers', headers.join(', '));
        res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      }
      // Without the Allow-* headers the browser refuses the request; the answer itself is the same empty 204.
      res.setHeader('Cache-Control', 'no-store');
      res.status(204).end();
      return;
    }
    if (allow !== null && SAFE_METHODS.has(req.method)) {
      res.setHeader('Access-Control-Allow-Origin', allow);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    next();
  };
}
