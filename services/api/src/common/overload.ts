import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '@paperwire/service-kit';
import { MIN_BYTES, compressBody, compressibleType, negotiateCoding, type Coding, type EncodedBody } from './compression';
import { etagMatches } from './etag';
import { ThrottlerException } from '@nestjs/throttler';
import { RATE_LIMIT_EXEMPT, rateLimitHeaders, type RateLimitState } from '../auth/throttle';
import { problemBody } from './problem';
import { sendProblemOrPage, toProblem } from './problem.filter';
import { routeTemplateFor } from './unmatched-route';

/**
 * Overload is answered, not suffered (issue #16):
 * - per-client concurrency: a client (API key, else IP) with more than `perClient` requests in flight
 *   gets 429 + Retry-After at once instead of queueing behind itself;
 * - global admission: past `maxInFlight` requests in flight the api answers 503 + Retry-After;
 * - a short response cache (`ttlMs`, 1–5 s) for the hottest anonymous JSON/feed reads, keyed by the
 *   normalised URL (path + sorted query), with single-flight: concurrent misses of one key wait for the
 *   one request that computes it, so 200 clients asking for the same page make one query;
 * - HTTP metrics by route template and status, and a latency histogram (prom-client).
 * Database saturation (pool wait or statement timeout) is mapped to 503 + Retry-After in toProblem.
 */
export interface OverloadOptions {
  perClient: number;
  maxInFlight: number;
  ttlMs: number;
  metrics: Metrics;
  /** whether cached bodies are sent compressed to clients that accept it (API_COMPRESSION) */
  compress?: boolean;
  /**
   * counts a request against its caller's rate limit (auth/throttle.ts countRequest) before anything answers it, a
   * cached answer included: every answer carries the caller's own X-RateLimit-* counters (the concurrency 429, a
   * middleware's 400 or 415, the guard's 401, a 404), and an over-limit caller gets its 429. Not the routes
   * RATE_LIMIT_EXEMPT names (the probes, the API's documentation).
   */
  countRequest?: (req: Request) => Promise<RateLimitState>;
}

/** Anonymous GET routes whose responses may be shared for ttlMs (public data, no cookies set). */
const CACHEABLE = [/^\/v1\/daily$/, /^\/v1\/trending$/, /^\/v1\/papers$/, /^\/v1\/claims$/, /^\/v1\/stats\/pipeline$/, /^\/v1\/feeds\/topics\/[^/]+$/, /^\/v1\/feeds\/search\.[a-z]+$/, /^\/v1\/topics$/, /^\/api\/daily_papers$/, /^\/api\/papers\/[^/]+$/];
const MAX_ENTRIES = 2_000;
/**
 * The headers a cached answer keeps and replays: the representation's, as the routes set them (the type, the tag and
 * its cache rules, Link rel=next). Nothing else: a header set per request (CORS, the requester's rate-limit counters,
 * anything a middleware adds later) is the requester's and must not reach the next one. Content-Encoding and
 * Content-Length are set per hit from the coding it gets.
 */
const REPLAYED_HEADERS = ['content-type', 'etag', 'cache-control', 'vary', 'link', 'last-modified', 'content-language', 'content-disposition'] as const;
const MAX_BODY = 2 * 1024 * 1024;

interface Entry {
  at: number;
  status: number;
  headers: Record<string, string>;
  /** the identity body */
  body: Buffer;
  /** its compressed codings, each made once (compression.ts): the miss's own, the others on the first hit asking */
  encoded: Partial<Record<Coding, Buffer>>;
}

/** The normalised cache key: path and sorted query parameters. */
export function cacheKey(req: Request): string {
  const url = new URL(req.originalUrl, 'http://x');
  const params = [...url.searchParams.entries()].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

function send503(res: Response, detail: string, retryAfter: number, status = 503): void {
  const body = { ...problemBody(status, detail), instance: res.req.originalUrl.split('?')[0] };
  sendProblemOrPage(res.req, res, body, { 'Retry-After': String(retryAfter) });
}

/**
 * The route template for metrics: Express's matched route, else the template of the route the path names (a body
 * refused before routing, a 405), else a bounded label (no raw URLs).
 */
function routeLabel(req: Request, cachedTemplate: string | null): string {
  const r = (req as Request & { route?: { path?: string } }).route?.path;
  if (typeof r === 'string') return r;
  if (cachedTemplate) return cachedTemplate;
  return routeTemplateFor(req) ?? 'unmatched';
}

export function createOverloadMiddleware(opts: OverloadOptions) {
  const { httpRequests: requests, httpDuration: duration, httpShed: shed, httpCache: cacheEvents } = opts.metrics;

  const perClient = new Map<string, number>();
  let inFlight = 0;
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<Entry | null>>();

  const serve = (req: Request, res: Response, e: Entry) => {
    // Vary adds to what this request's own middleware set (CORS: Origin); the rest is the stored answer's.
    for (const [k, v] of Object.entries(e.headers)) {
      if (k === 'vary') res.vary(v);
      else res.setHeader(k, v);
    }
    const etag = e.headers.etag;
    // The handler's own rule (etag.ts): a cached answer must not differ from a computed one.
    if (etag && etagMatches(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    const coding = opts.compress === false ? null : negotiateCoding(req.headers['accept-encoding']);
    if (coding && req.method !== 'HEAD' && e.body.length >= MIN_BYTES && compressibleType(e.headers['content-type'])) {
      const body = (e.encoded[coding] ??= compressBody(e.body, coding));
      res.vary('Accept-Encoding');
      res.setHeader('Content-Encoding', coding);
      res.setHeader('Content-Length', String(body.length));
      res.status(e.status).end(body);
      return;
    }
    res.status(e.status).end(e.body);
  };

  /**
   * Counts the request against its caller's budget (opts.countRequest) and goes on with its counters set on the answer;
   * answers the caller's 429 over the limit. When the counters cannot be read (Redis unreachable), `unavailable` says
   * what to do instead.
   */
  const counted = (req: Request, res: Response, go: () => void, unavailable: () => void) => {
    if (!opts.countRequest || RATE_LIMIT_EXEMPT.test(req.path)) return go();
    opts.countRequest(req).then(
      (state) => {
        const headers = rateLimitHeaders(state);
        if (state.retryAfterSeconds !== undefined) return sendProblemOrPage(req, res, toProblem(new ThrottlerException(), req.originalUrl.split('?')[0]), headers);
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        go();
      },
      () => unavailable(),
    );
  };

  /** A cached answer with its caller's own rate-limit counters (never its first requester's), or the caller's 429. */
  const serveCounted = (req: Request, res: Response, e: Entry) =>
    // Redis unreachable: the cached answer needs none, so it is served without counters rather than refused.
    counted(req, res, () => serve(req, res, e), () => serve(req, res, e));

  return function overload(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const anonymous = !req.headers.authorization && !req.headers['x-api-key'];
    const template = CACHEABLE.find((re) => re.test(req.path)) ? req.path.replace(/^\/v1\/feeds\/topics\/[^/]+$/, '/v1/feeds/topics/:file').replace(/^\/api\/papers\/(?!search$)[^/]+$/, '/api/papers/:id') : null;
    let cachedTemplate: string | null = null;
    res.on('finish', () => {
      const route = routeLabel(req, cachedTemplate);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });

    // Cache hits cost no database work and are served before the concurrency limits (counted in the rate limit).
    const cacheable = req.method === 'GET' && anonymous && template !== null && opts.ttlMs > 0;
    const key = cacheable ? cacheKey(req) : '';
    /** This request fills the key (set while it leads, until its handler runs): the others asking meanwhile wait for it. */
    let lead: ((e: Entry | null) => void) | null = null;
    if (cacheable) {
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < opts.ttlMs) {
        cachedTemplate = template;
        cacheEvents.inc({ result: 'hit' });
        serveCounted(req, res, hit);
        return;
      }
      const wait = pending.get(key);
      if (wait) {
        cacheEvents.inc({ result: 'coalesced' });
        void wait.then((e) => {
          if (e) {
            cachedTemplate = template;
            serveCounted(req, res, e);
          } else countAndAdmit();
        });
        return;
      }
    }
    countAndAdmit();

    /**
     * The one request that fills a cacheable key claims it at once (single-flight), before it is counted and admitted:
     * the requests that arrive meanwhile wait for it rather than compute it too.
     */
    function claim(): void {
      if (!cacheable || pending.has(key)) return;
      cacheEvents.inc({ result: 'miss' });
      pending.set(key, new Promise<Entry | null>((r) => (lead = r)));
    }
    /** A leader refused before it ran: its waiters go on their own (each counted and admitted). */
    function refuse(answer: () => void): void {
      if (lead) {
        pending.delete(key);
        lead(null);
        lead = null;
      }
      answer();
    }

    /**
     * Counted first, so a refusal below carries the caller's counters; the rate limit's counters unreadable (Redis
     * unreachable), a 503 as for any request that needs Redis.
     */
    function countAndAdmit(): void {
      claim();
      // A leader answered before its handler ran (the rate limit's 429 `counted` sends, a client gone): its waiters go on.
      if (lead) {
        res.on('finish', () => refuse(() => undefined));
        res.on('close', () => refuse(() => undefined));
      }
      counted(req, res, admit, () => refuse(() => send503(res, 'the rate limiter is unavailable; retry in a few seconds', 5)));
    }

    function admit(): void {
      const client = (req.headers['x-api-key'] as string | undefined) ?? req.headers.authorization ?? req.ip ?? 'unknown';
      const mine = perClient.get(client) ?? 0;
      if (mine >= opts.perClient) {
        shed.inc({ reason: 'client_concurrency' });
        refuse(() => send503(res, `too many concurrent requests from this client (at most ${opts.perClient}); retry shortly`, 1, 429));
        return;
      }
      if (inFlight >= opts.maxInFlight) {
        shed.inc({ reason: 'saturated' });
        refuse(() => send503(res, 'the service is saturated; retry in a few seconds', 2));
        return;
      }
      inFlight += 1;
      perClient.set(client, mine + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        inFlight -= 1;
        const n = (perClient.get(client) ?? 1) - 1;
        if (n <= 0) perClient.delete(client);
        else perClient.set(client, n);
      };
      res.on('finish', release);
      res.on('close', release);

      if (!lead) {
        next();
        return;
      }
      // The one request that fills this key (claimed above); others wait for it (single-flight), settled below.
      const resolve: (e: Entry | null) => void = lead;
      lead = null;
      const chunks: Buffer[] = [];
      let size = 0;
      const write = res.write.bind(res) as (...a: unknown[]) => boolean;
      const end = res.end.bind(res) as (...a: unknown[]) => Response;
      const take = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        size += b.length;
        if (size <= MAX_BODY) chunks.push(b);
      };
      (res as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
        take(a[0], a[1]);
        return write(...a);
      };
      (res as unknown as { end: (...a: unknown[]) => Response }).end = (...a: unknown[]) => {
        take(a[0], a[1]);
        return end(...a);
      };
      const settle = () => {
        pending.delete(key);
        if (res.statusCode === 200 && size <= MAX_BODY && !res.getHeader('set-cookie')) {
          const headers: Record<string, string> = {};
          // (the coding is the requester's: the entry keeps the identity body and each coding's bytes)
          for (const k of REPLAYED_HEADERS) {
            const v = res.getHeader(k);
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
          }
          const sent = (res.locals as { encodedBody?: EncodedBody }).encodedBody;
          const e: Entry = { at: Date.now(), status: 200, headers, body: Buffer.concat(chunks), encoded: sent ? { [sent.coding]: sent.body } : {} };
          if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
          cache.set(key, e);
          resolve(e);
        } else resolve(null);
      };
      res.on('finish', settle);
      res.on('close', () => {
        if (pending.has(key)) {
          pending.delete(key);
          resolve(null);
        }
      });
      next();
    }
  };
}

/**
 * A short in-process cache with single-flight for data behind pages that cannot be cached whole (the
 * home page and /ops carry a per-request nonce and CSRF token): the data is shared, the HTML is not.
 */
export class MicroCache {
  private readonly values = new Map<string, { at: number; value: unknown }>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly ttlMs: number) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.values.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value as T;
    const wait = this.pending.get(key);
    if (wait) return wait as Promise<T>;
    const p = load().then(
      (value) => {
        if (this.values.size >= MAX_ENTRIES) this.values.delete(this.values.keys().next().value as string);
        this.values.set(key, { at: Date.now(), value });
        this.pending.delete(key);
        return value;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }
}
