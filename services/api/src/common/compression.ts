import type { NextFunction, Request, Response } from 'express';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Negotiated compression of whole text bodies (HTML, JSON, problem+json, Atom, RSS, XML, the OpenAPI document,
 * JavaScript, CSS) of at least MIN_BYTES: brotli at a fast quality when the client accepts it, else gzip.
 *
 * Only a body sent in one `end()` (Express's `res.send`, Nest's JSON) is compressed; a response written in parts (a
 * stream, server-sent events, a piped file) is left as it is, and so is a body that already has a Content-Encoding
 * (the response cache's stored variant, below). Every compressible response says `Vary: Accept-Encoding`, a 304
 * too. ETags are weak (etag.ts) and name the content, not its coding: one ETag for every coding (RFC 9110 §8.8.1).
 * The response cache (overload.ts) keeps the identity body and each coding's bytes once made, so a cached body is
 * compressed once per coding, not on every hit.
 */
export const MIN_BYTES = 1024;
export type Coding = 'br' | 'gzip';

const COMPRESSIBLE = /^(text\/|application\/(json|problem\+json|[a-z.+-]*\+(json|xml)|xml|javascript|x-javascript)\b)/i;

/** Whether a response of this Content-Type and status may be compressed. */
export function compressibleType(contentType: unknown): boolean {
  return typeof contentType === 'string' && COMPRESSIBLE.test(contentType) && !/^text\/event-stream/i.test(contentType);
}

/**
 * The coding to send for this Accept-Encoding: the one the client weighs higher (q), br when both weigh alike,
 * among those accepted with q > 0 (by name or by `*`); null when none is (no header: identity).
 */
export function negotiateCoding(header: string | string[] | undefined): Coding | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  const q = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const v = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(v) ? v : 0);
  }
  const weight = (c: string) => q.get(c) ?? (c === 'x-gzip' ? undefined : q.get('*')) ?? 0;
  const br = weight('br');
  const gzip = Math.max(weight('gzip'), q.get('x-gzip') ?? 0);
  // the client's preference (its q-values) first; br when it weighs both alike
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return null;
}

/**
 * Fast settings: pages are compressed on every request (their HTML carries a per-request nonce), on the event loop.
 * Measured on this api's bodies (a 158 kB home page, a 13 kB paper page, 37 kB of /v1/papers, a 102 kB feed): brotli
 * quality 1 takes 0.1–1.3 ms for sizes within 4–13% of gzip 6 (which takes 0.9–3.2 ms); gzip 4 ~half of gzip 6's
 * time for 2–9% more bytes. Quality 4–5 brotli saved another 10% at 2–4× the time.
 */
export function compressBody(body: Buffer, coding: Coding): Buffer {
  return coding === 'br'
    ? brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: body.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
      })
    : gzipSync(body, { level: 4 });
}

/** What the compression middleware sent for a body: the response cache keeps it (res.locals.encodedBody). */
export interface EncodedBody {
  coding: Coding;
  body: Buffer;
}

export function compressionMiddleware(req: Request, res: Response, next: NextFunction): void {
  const coding = negotiateCoding(req.headers['accept-encoding']);
  let parts = false;
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => Response;
  (res as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
    parts = true;
    return write(...a);
  };
  (res as unknown as { end: (...a: unknown[]) => Response }).end = (...a: unknown[]) => {
    if (parts || res.headersSent) return end(...a);
    const type = res.getHeader('Content-Type');
    if (res.statusCode === 304 || compressibleType(type)) res.vary('Accept-Encoding');
    const [chunk, encoding] = a;
    if (
      coding === null ||
      req.method === 'HEAD' ||
      res.statusCode < 200 ||
      res.statusCode === 204 ||
      res.statusCode === 304 ||
      res.getHeader('Content-Encoding') !== undefined ||
      !compressibleType(type) ||
      chunk === undefined ||
      chunk === null ||
      typeof chunk === 'function'
    )
      return end(...a);
    const body = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (body.length < MIN_BYTES) return end(...a);
    const encoded = compressBody(body, coding);
    (res.locals as { encodedBody?: EncodedBody }).encodedBody = { coding, body: encoded };
    res.setHeader('Content-Encoding', coding);
    res.setHeader('Content-Length', String(encoded.length));
    const cb = a.find((x) => typeof x === 'function');
    return cb ? end(encoded, cb) : end(encoded);
  };
  next();
}
