import type { NextFunction, Request, Response } from 'express';
import { namedMessage } from '@paperwire/actions';
import { badRequest } from './problem';
import { sendProblemOrPage, toProblem } from './problem.filter';

const decodes = (s: string): boolean => {
  try {
    decodeURIComponent(s.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
};

/** A raw URL part as a message quotes it: short, and printable whatever it holds. */
const quoted = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * The first part of a URL whose %-escapes do not decode to UTF-8 text (`%E0%A4%A`, `%ZZ`, a lone `%`), as a
 * refusal naming it; undefined when every part decodes. Express would otherwise read such a query value as its raw
 * text (a search for "%E0%A4%A" answering 200 with nothing found) and such a path with its own words.
 */
export function badPercentEncoding(url: string): { field: string; detail: string } | undefined {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const how = 'is not correctly percent-encoded';
  if (!decodes(path)) return { field: '(path)', detail: `the address ${how} (${quoted(path)}); encode it as UTF-8` };
  if (at < 0) return undefined;
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (!decodes(key)) return { field: '(query)', detail: `a query parameter name ${how} (${quoted(key)}); encode it as UTF-8` };
    if (!decodes(value)) {
      const name = decodeURIComponent(key.replace(/\+/g, ' '));
      return { field: name, detail: namedMessage(name, `${how} (${quoted(value)}); encode the value as UTF-8`) };
    }
  }
  return undefined;
}

/** Refuses a URL with a broken %-escape anywhere in its path or query: a 400 naming the part (a page for a browser). */
export function refuseBadPercentEncoding(req: Request, res: Response, next: NextFunction): void {
  const bad = badPercentEncoding(req.originalUrl);
  if (!bad) return next();
  sendProblemOrPage(req, res, toProblem(badRequest(bad.detail, [bad]), req.originalUrl.split('?')[0]));
}
