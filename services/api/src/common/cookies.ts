import { parse } from 'cookie';
import type { Request } from 'express';

/**
 * One cookie's value from the request's Cookie header (split by `cookie`, as Express does). A value that
 * is not valid percent-encoding (`%E0%A4%A`, a lone `%`) is treated as absent, never thrown and never
 * passed on raw: the header is whatever the client sent, and no cookie PaperWire sets looks like that.
 */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const raw = parse(header, { decode: (v) => v })[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
