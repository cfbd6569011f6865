import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/**
 * One canned answer. Fields combine: `{ file, etag }` serves a file with an ETag and answers 304 to a
 * matching If-None-Match; `{ bigBody: 50, gzip: true }` is a gzip bomb; `{ status: 429, retryAfter: 2 }`
 * is rate limiting.
 */
export interface RouteSpec {
  status?: number;
  body?: string | Buffer;
  /** path of a file to serve (read when the route is hit) */
  file?: string;
  contentType?: string;
  headers?: Record<string, string>;
  etag?: string;
  /** HTTP date; If-Modified-Since at or after it gets a 304 */
  lastModified?: string;
  /** Retry-After header: seconds, or an HTTP date string */
  retryAfter?: number | string;
  /** Location to redirect to (absolute, or a path on this server); status defaults to 302 */
  redirect?: string;
  /** 'reset' destroys the socket before answering, 'reset-mid-body' after headers and half the body, 'hang' never answers */
  fault?: 'reset' | 'reset-mid-body' | 'hang';
  /** send the body `bytes` at a time every `intervalMs` */
  slowDrip?: { bytes: number; intervalMs: number };
  /** shorthand for encoding: 'gzip' */
  gzip?: boolean;
  encoding?: 'gzip' | 'deflate' | 'br';
  /** a body of this many MiB (zeros), streamed; with gzip it compresses to a few KB (a zip bomb) */
  bigBody?: number;
  /** wait before sending headers */
  delayMs?: number;
  /** when true, no Content-Length header is sent */
  chunked?: boolean;
}

export interface ReplayRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface ReplayServer {
  url: string;
  port: number;
  requests: ReplayRequest[];
  /** requests seen for one path (path + query as requested) */
  hits(path: string): ReplayRequest[];
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  /** loopback interface to bind; IPv6 loopback for tests of v6 literals */
  host?: '127.0.0.1' | '::1';
}

/**
 * A local HTTP server on 127.0.0.1 (port 0) with canned answers per path. An array of specs is played
 * in order, one per request to that path; the last one repeats. Unknown paths answer 404.
 */
export async function startReplayServer(
  routes: Record<string, RouteSpec | RouteSpec[]>,
  opts: ReplayServerOptions = {},
): Promise<ReplayServer> {
  const bind = opts.host ?? '127.0.0.1';
  const requests: ReplayRequest[] = [];
  const counters = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const pick = (path: string): RouteSpec | undefined => {
    const key = path in routes ? path : new URL(path, 'http://x').pathname;
    const route = routes[key];
    if (!route) return undefined;
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    return Array.isArray(route) ? route[Math.min(n, route.length - 1)] : route;
  };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, at: Date.now() });
    const spec = pick(path);
    // Drain the request body so the client is never blocked writing it.
    req.resume();
    if (!spec) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
      return;
    }
    const answer = () => serve(spec, req, res, timers);
    if (spec.delayMs) later(timers, spec.delayMs, answer);
    else answer();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, bind, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: bind === '::1' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`,
    port,
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function later(timers: Set<NodeJS.Timeout>, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
}

function serve(
  spec: RouteSpec,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  if (spec.fault === 'hang') return;
  if (spec.fault === 'reset') {
    req.socket.destroy();
    return;
  }
  const headers: Record<string, string | number> = { ...(spec.headers ?? {}) };
  if (spec.contentType) headers['content-type'] = spec.contentType;
  if (spec.etag) headers['etag'] = spec.etag;
  if (spec.lastModified) headers['last-modified'] = spec.lastModified;
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  if (spec.redirect) headers['location'] = spec.redirect;

  if (isNotModified(spec, req.headers)) {
    res.writeHead(304, headers).end();
    return;
  }
  const status = spec.status ?? (spec.redirect ? 302 : 200);
  const encoding = spec.encoding ?? (spec.gzip ? 'gzip' : undefined);
  if (spec.bigBody !== undefined && !encoding) {
    streamZeros(res, status, headers, Math.round(spec.bigBody * 1024 * 1024), spec);
    return;
  }
  let body = rawBody(spec);
  if (encoding) {
    body = encode(body, encoding);
    headers['content-encoding'] = encoding;
  }
  if (!spec.chunked) headers['content-length'] = body.length;
  if (spec.fault === 'reset-mid-body') {
    res.writeHead(status, headers);
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
    return;
  }
  if (spec.slowDrip) {
    res.writeHead(status, headers);
    drip(res, body, spec.slowDrip, timers);
    return;
  }
  res.writeHead(status, headers).end(body);
}

function rawBody(spec: RouteSpec): Buffer {
  if (spec.bigBody !== undefined) return Buffer.alloc(Math.round(spec.bigBody * 1024 * 1024));
  if (spec.file) return readFileSync(spec.file);
  if (spec.body === undefined) return Buffer.alloc(0);
  return typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body;
}

function encode(body: Buffer, encoding: 'gzip' | 'deflate' | 'br'): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(body, { level: 9 });
    case 'deflate':
      return deflateSync(body, { level: 9 });
    case 'br':
      return brotliCompressSync(body);
  }
}

function isNotModified(spec: RouteSpec, headers: IncomingHttpHeaders): boolean {
  const inm = headers['if-none-match'];
  if (spec.etag && inm) {
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => strip(t) === strip(spec.etag as string));
  }
  const ims = headers['if-modified-since'];
  if (spec.lastModified && ims) {
    const since = Date.parse(ims);
    const modified = Date.parse(spec.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

function streamZeros(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  size: number,
  spec: RouteSpec,
): void {
  if (!spec.chunked) headers['content-length'] = size;
  res.writeHead(status, headers);
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    sent = size;
  });
  pump();
}

function drip(
  res: ServerResponse,
  body: Buffer,
  { bytes, intervalMs }: { bytes: number; intervalMs: number },
  timers: Set<NodeJS.Timeout>,
): void {
  let offset = 0;
  const step = () => {
    if (res.destroyed) return;
    if (offset >= body.length) {
      res.end();
      return;
    }
    res.write(body.subarray(offset, offset + bytes));
    offset += bytes;
    later(timers, intervalMs, step);
  };
  step();
}
