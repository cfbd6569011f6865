import {
  request as httpRequest,
  type Agent as HttpAgent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  type BrotliDecompress,
  type Gunzip,
  type Inflate,
} from 'node:zlib';
import { BodyTooLargeError, HttpError } from './http-error';
import { parseRetryAfter } from './retry-policy';
import { keepAliveAgentFor } from './pinned-agents';
import { checkUrl, type CheckedTarget, type GuardOptions } from './ssrf-guard';

export const DEFAULT_USER_AGENT = 'PaperWire/0.1 (+https://github.com/paperwire; research feed ingester)';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Guard options (allowPrivate, allowPrivateHosts, lookup) apply per call, never as a global default. */
export interface SafeFetchOptions extends GuardOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** TCP (+TLS) connect budget per hop */
  connectTimeoutMs?: number;
  /** Whole-request budget: every redirect hop and the full body, so slow drips are cut too. */
  timeoutMs?: number;
  /** Cap on the body, counted both on the wire and after decompression. */
  maxBytes?: number;
  /** 0 returns a 3xx as is instead of following it. */
  maxRedirects?: number;
  /**
   * Reuse connections: a pooled socket is only ever reused for the same scheme, host, port and the
   * address the guard just checked (see pinned-agents), so it can never reach an unchecked address.
   * For frequent requests to one endpoint (webhooks); each hop is still checked before it is sent.
   */
  keepAlive?: boolean;
  userAgent?: string;
  /** Sends If-None-Match. */
  etag?: string;
  /** Sends If-Modified-Since. */
  lastModified?: string;
  /** Caller cancellation; its reason is rethrown as is (not an HttpError, so never retried). */
  signal?: AbortSignal;
  /**
   * Runs for every hop after its DNS answer passed the guard, right before the request goes out: a
   * politeness gate here spaces what the host sees, not lookups of varying length.
   */
  beforeRequest?: (url: URL) => Promise<void>;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** decoded body; empty for 304 and HEAD-like answers */
  body: Buffer;
  /** final URL after redirects */
  url: string;
  notModified: boolean;
  redirects: number;
  etag?: string;
  lastModified?: string;
  retryAfterMs?: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Credentials must not follow a redirect to another origin.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export async function safeFetch(url: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const budget = new Budget(timeoutMs, () => controller.abort(new HttpError('timeout', `${url} did not complete within ${timeoutMs} ms`)));
  const onCallerAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await followRedirects(url, opts, controller.signal, budget);
  } finally {
    budget.stop();
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** The whole-request timer; time spent in `beforeRequest` (waiting for a politeness slot) is not counted. */
class Budget {
  private deadline: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    ms: number,
    private readonly onExpired: () => void,
  ) {
    this.deadline = Date.now() + ms;
    this.arm();
  }

  async excluding<T>(work: Promise<T>): Promise<T> {
    this.stop();
    const t0 = Date.now();
    try {
      return await work;
    } finally {
      this.deadline += Date.now() - t0;
      this.arm();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = setTimeout(this.onExpired, Math.max(0, this.deadline - Date.now()));
  }
}

async function followRedirects(
  url: string,
  opts: SafeFetchOptions,
  signal: AbortSignal,
  budget: Budget,
): Promise<SafeResponse> {
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let method: 'GET' | 'POST' = opts.method ?? 'GET';
  let body = opts.body;
  let headers = buildHeaders(opts);
  let current: string | URL = url;
  const seen = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    throwIfAborted(signal);
    // Every hop is re-checked: scheme, DNS answer and address class.
    const target = await withAbort(checkUrl(current, opts), signal);
    seen.add(target.url.href);
    if (opts.beforeRequest) await withAbort(budget.excluding(opts.beforeRequest(target.url)), signal);
    const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const res = await send({ target, method, headers, body, signal, connectTimeoutMs }, opts.keepAlive ?? false);
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || !location || maxRedirects === 0) {
      return buildResponse(res, target.url.href, redirects, opts.maxBytes ?? DEFAULT_MAX_BYTES, signal);
    }
    res.destroy();
    const status = res.statusCode ?? 0;
    if (redirects >= maxRedirects)
      throw new HttpError('redirect-loop', `more than ${maxRedirects} redirects from ${url}`, status);
    let next: URL;
    try {
      next = new URL(location, target.url);
    } catch {
      throw new HttpError(
        'network',
        `invalid Location header ${JSON.stringify(location).slice(0, 200)}`,
        status,
      );
    }
    if (seen.has(next.href))
      throw new HttpError('redirect-loop', `redirect loop back to ${next.href}`, status);
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length']);
    }
    if (next.origin !== target.url.origin) headers = withoutHeaders(headers, ORIGIN_BOUND_HEADERS);
    current = next;
  }
}

function buildHeaders(opts: SafeFetchOptions): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
  return headers;
}

function withoutHeaders(headers: OutgoingHttpHeaders, names: string[]): OutgoingHttpHeaders {
  const copy = { ...headers };
  for (const n of names) delete copy[n];
  return copy;
}

/** Connects to exactly the address the guard checked, whatever DNS says by now. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** A pooled socket the server had closed while it sat idle: nothing of the request was processed. */
class StaleSocketError extends Error {}

/** One request to one checked address: a hop of a redirect chain. */
interface Hop {
  target: CheckedTarget;
  method: string;
  headers: OutgoingHttpHeaders;
  body: string | Buffer | undefined;
  signal: AbortSignal;
  connectTimeoutMs: number;
}
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Sends one hop. With keep-alive, a request that fails on a reused socket before any answer (the
 * server closed it idle, a race no timeout fully avoids) is sent once more on a fresh connection.
 */
async function send(hop: Hop, keepAlive: boolean): Promise<IncomingMessage> {
  if (!keepAlive) return requestOnce(hop, false);
  try {
    return await requestOnce(hop, keepAliveAgentFor(hop.target));
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return requestOnce(hop, false);
  }
}

function requestOnce(hop: Hop, agent: HttpAgent | false): Promise<IncomingMessage> {
  const { target, method, headers, body, signal, connectTimeoutMs } = hop;
  const isHttps = target.url.protocol === 'https:';
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)({
      host: target.hostname,
      port: target.url.port || (isHttps ? 443 : 80),
      path: `${target.url.pathname}${target.url.search}`,
      method,
      headers,
      // Without keep-alive, a fresh socket per request; a keep-alive agent is one per checked address.
      agent,
      lookup: pinnedLookup(target.address, target.family),
      family: target.family,
      signal,
      // SNI must be a name, never an IP literal.
      ...(isHttps && !isIP(target.hostname) ? { servername: target.hostname } : {}),
    });
    const connectTimer = setTimeout(
      () =>
        req.destroy(
          new HttpError(
            'timeout',
            `connecting to ${target.url.host} (${target.address}) took over ${connectTimeoutMs} ms`,
          ),
        ),
      connectTimeoutMs,
    );
    req.once('socket', (socket) => {
      // A pooled socket is connected already and will not emit connect again.
      if (req.reusedSocket) clearTimeout(connectTimer);
      else socket.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      resolve(res);
    });
    // `on`, not `once`: a request can error more than once (connect timeout, then abort) and an
    // unhandled second 'error' would crash the process.
    req.on('error', (err) => {
      clearTimeout(connectTimer);
      const stale =
        req.reusedSocket &&
        !signal.aborted &&
        STALE_SOCKET_CODES.has((err as NodeJS.ErrnoException).code ?? '');
      reject(stale ? new StaleSocketError(err.message) : toHttpError(err, signal, target));
    });
    req.end(body);
  });
}

function toHttpError(err: unknown, signal: AbortSignal, target?: CheckedTarget): unknown {
  if (signal.aborted) return signal.reason;
  if (err instanceof HttpError) return err;
  const e = err as NodeJS.ErrnoException;
  const where = target ? ` (${target.url.host} at ${target.address})` : '';
  if (e.code === 'ETIMEDOUT')
    return new HttpError('timeout', `${e.message}${where}`, undefined, { cause: err });
  return new HttpError('network', `${e.code ? `${e.code}: ` : ''}${e.message}${where}`, undefined, {
    cause: err,
  });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/** DNS lookups take no signal; race them so a hung resolver still ends at the total timeout. */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

type Decoder = Gunzip | Inflate | BrotliDecompress;

/** Decoders in the order to apply them (Content-Encoding lists codings in the order they were applied). */
function decodersFor(encoding: string | undefined): Decoder[] {
  if (!encoding) return [];
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  return codings.reverse().map((c) => {
    switch (c) {
      case 'gzip':
      case 'x-gzip':
        return createGunzip();
      case 'deflate':
        return createInflate();
      case 'br':
        return createBrotliDecompress();
      default:
        throw new HttpError('network', `unsupported content-encoding ${c}`);
    }
  });
}

async function buildResponse(
  res: IncomingMessage,
  url: string,
  redirects: number,
  maxBytes: number,
  signal: AbortSignal,
): Promise<SafeResponse> {
  const status = res.statusCode ?? 0;
  const notModified = status === 304;
  const body = notModified ? (res.resume(), Buffer.alloc(0)) : await readBody(res, url, maxBytes, signal);
  const header = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    status,
    headers: res.headers,
    body,
    url,
    notModified,
    redirects,
    etag: header('etag'),
    lastModified: header('last-modified'),
    retryAfterMs: parseRetryAfter(res.headers['retry-after']),
  };
}

async function readBody(
  res: IncomingMessage,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const tooLarge = (what: string) => new BodyTooLargeError(url, what, maxBytes, res.statusCode);
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(`declared length ${declared}`);
  }
  let decoders: Decoder[];
  try {
    decoders = decodersFor(res.headers['content-encoding']);
  } catch (err) {
    res.destroy();
    throw err;
  }
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
    res.destroy();
    for (const d of decoders) d.destroy();
  };
  let wire = 0;
  res.on('data', (chunk: Buffer) => {
    wire += chunk.length;
    if (wire > maxBytes) fail(tooLarge('body on the wire'));
  });
  const onAbort = () => fail(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const stream: Readable =
    decoders.length > 0 ? (pipeline([res, ...decoders], () => undefined) as unknown as Readable) : res;
  const chunks: Buffer[] = [];
  // A plain body of a declared length is copied into one buffer of that length as it arrives: collecting the
  // chunks and concatenating them at the end would hold the body twice (issue 19: 50 MB pages).
  const whole = decoders.length === 0 && Number.isFinite(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
  let filled = 0;
  let decoded = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // The decoded cap is what stops zip bombs: a few KB on the wire can inflate to gigabytes.
      if (decoded + chunk.length > maxBytes) {
        fail(tooLarge('decoded body'));
        break;
      }
      if (whole && chunks.length === 0 && filled + chunk.length <= whole.length) filled += chunk.copy(whole, filled);
      else chunks.push(chunk);
      decoded += chunk.length;
    }
  } catch (err) {
    failure ??= toHttpError(err, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  if (!res.complete && decoders.length === 0)
    throw new HttpError('network', `${url}: connection closed before the body was complete`, res.statusCode);
  if (!whole) return Buffer.concat(chunks);
  return chunks.length === 0 ? whole.subarray(0, filled) : Buffer.concat([whole.subarray(0, filled), ...chunks]);
}
