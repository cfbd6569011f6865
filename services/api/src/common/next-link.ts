import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { tap, type Observable } from 'rxjs';

// A cursor-paged list says where its next page is in the body (`nextCursor`) and, as RFC 8288 web linking has
// clients (and GitHub's API) expect, in a `Link: <…>; rel="next"` header: the request's own path and query
// with the cursor replaced. Relative, so it is right behind any proxy (RFC 8288 §3.1 resolves it against the
// request's URL).

/** `originalUrl` (path and query) with one query parameter set (and `drop` removed): the next page's address. */
function withParam(originalUrl: string, name: string, value: string, drop?: string): string {
  const url = new URL(originalUrl, 'http://x');
  url.searchParams.set(name, value);
  if (drop) url.searchParams.delete(drop);
  return `${url.pathname}${url.search}`;
}

/** The next page's address: `originalUrl` with its `cursor` parameter set to `cursor`. */
export const nextPageHref = (originalUrl: string, cursor: string): string => withParam(originalUrl, 'cursor', cursor);

/** The next page's address of an offset-paged list (/v1/daily): `originalUrl` with its `offset` set. */
export const nextOffsetHref = (originalUrl: string, offset: number): string => withParam(originalUrl, 'offset', String(offset));

/** The next page of a day by keyset (/v1/daily): `originalUrl` with its `after` set, and no `offset`. */
export const nextAfterHref = (originalUrl: string, after: string): string => withParam(originalUrl, 'after', after, 'offset');

/** Sets the Link header of a page whose body carries a (non-null) `nextCursor`, or `nextAfter` / `nextOffset` (/v1/daily). */
export function setNextLink(req: Request, res: Response, body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const { nextCursor: cursor, nextAfter: after, nextOffset: offset } = body as { nextCursor?: unknown; nextAfter?: unknown; nextOffset?: unknown };
  if (typeof cursor === 'string' && cursor.length > 0) res.append('Link', `<${nextPageHref(req.originalUrl, cursor)}>; rel="next"`);
  else if (typeof after === 'string' && after.length > 0) res.append('Link', `<${nextAfterHref(req.originalUrl, after)}>; rel="next"`);
  else if (typeof offset === 'number' && Number.isInteger(offset) && offset > 0)
    res.append('Link', `<${nextOffsetHref(req.originalUrl, offset)}>; rel="next"`);
}

/** The same for handlers that return their page (those that send it themselves call setNextLink: etag.ts). */
@Injectable()
export class NextLinkInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    return next.handle().pipe(tap((body) => setNextLink(http.getRequest<Request>(), http.getResponse<Response>(), body)));
  }
}
