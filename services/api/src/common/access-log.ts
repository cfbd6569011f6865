import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@paperwire/telemetry';

/**
 * Query parameters whose values are secrets or stand for one: the mail links' token (`t`), any key, token,
 * secret, password, signature or auth code. Their values are written `redacted` in the access log.
 */
const SECRET_PARAM = /^(?:t|k|s|sig|code)$|key|token|secret|pass|sign|auth|session|cred|jwt/i;
/** Values that are secrets whatever their parameter is called: API keys (pw_…), webhook secrets (whsec_…). */
const SECRET_VALUE = /^(?:pw|whsec)_/i;

const secretParam = (name: string, value: string): boolean => SECRET_PARAM.test(name) || SECRET_VALUE.test(value.trim());

/**
 * A path with its matrix parameters (`/confirm;t=…`, `;jsessionid=…`) redacted as query parameters are: a
 * secret-bearing name's value, and any value shaped like a key, written `redacted`.
 */
function loggedPath(path: string): string {
  if (!path.includes(';')) return path;
  return path.replace(/;([^;/]*)/g, (_, param: string) => {
    const eq = param.indexOf('=');
    const [name, value] = eq < 0 ? ['', param] : [param.slice(0, eq), param.slice(eq + 1)];
    if (!secretParam(name, value)) return `;${param}`;
    return eq < 0 ? ';redacted' : `;${name}=redacted`;
  });
}

/**
 * The path and query of a request as the access log writes it: every value of a secret-bearing parameter
 * (and every value shaped like a key), in the query or in the path's matrix parameters (`;t=…`), replaced by
 * `redacted`; a query that does not parse is dropped whole.
 */
export function loggedUrl(originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  const path = loggedPath(q < 0 ? originalUrl : originalUrl.slice(0, q)).slice(0, 2000);
  if (q < 0 || q === originalUrl.length - 1) return path;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(originalUrl.slice(q + 1));
  } catch {
    return `${path}?(unparsed)`;
  }
  const out = new URLSearchParams();
  for (const [k, v] of params) out.append(k, secretParam(k, v) ? 'redacted' : v);
  return `${path}?${out.toString().slice(0, 2000)}`;
}

/**
 * One info line per request once its response is sent (or the client went away): method, path and query
 * (loggedUrl), status, milliseconds and bytes written (after compression). Never a header, a body or a secret.
 */
export function accessLogMiddleware(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    let bytes = 0;
    const count = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    res.write = ((...a: unknown[]) => {
      count(a[0], a[1]);
      return write(...a);
    }) as Response['write'];
    res.end = ((...a: unknown[]) => {
      if (typeof a[0] !== 'function') count(a[0], a[1]);
      return end(...a);
    }) as Response['end'];
    let done = false;
    const line = (aborted: boolean) => {
      if (done) return;
      done = true;
      const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
      const url = loggedUrl(req.originalUrl ?? req.url);
      log.info(
        { method: req.method, url, status: res.statusCode, ms, bytes, ...(aborted ? { aborted: true } : {}) },
        `${req.method} ${url} ${res.statusCode} ${ms}ms ${bytes}B${aborted ? ' (client went away)' : ''}`,
      );
    };
    res.once('finish', () => line(false));
    res.once('close', () => line(!res.writableFinished));
    next();
  };
}
