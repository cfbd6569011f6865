import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ActionError, actionErrorText } from '@paperwire/actions';
import type { Logger } from '@paperwire/telemetry';
import { randomBytes } from 'node:crypto';
import { renderStatusPage } from '../paper-page/paper-page';
import { sendHtml } from './html';
import { HF_PATH_PREFIX, PROBLEM_CONTENT_TYPE, ProblemException, problemBody, type ProblemBody } from './problem';
import { allowedMethods, isReaderPath, isUnmatchedRoute, wantsHtmlPage } from './unmatched-route';

/** Express errors (body-parser) carry a status; anything else without one is a bug → 500. */
function statusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object') {
    const s = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return undefined;
}

/** Redis unreachable, paused or too slow: the request can be retried shortly. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Command timed out|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET/.test(err.message)
  );
}

/**
 * The database is saturated: no pool connection within the bounded wait, or a statement ran past its
 * timeout (57014), or the server refuses connections (53300). The request can be retried shortly: 503
 * with Retry-After, never a 500.
 */
export function isDatabaseSaturated(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = e.code ?? e.driverError?.code;
  if (code === '57014' || code === '53300') return true;
  return typeof e.message === 'string' && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(e.message);
}

/** Turns any error into a problem document: never a stack trace, never a framework HTML page. */
export function toProblem(err: unknown, instance: string): ProblemBody {
  let body: ProblemBody;
  if (err instanceof ProblemException) {
    body = err.getResponse() as ProblemBody;
  } else if (err instanceof ActionError) {
    // the detail says what is wrong (the fields' sentences), never a bare "invalid body": as the CLI says it
    body = problemBody(err.status, actionErrorText(err), err.details?.map((d) => ({ field: d.field, detail: d.message })));
  } else if (err instanceof ThrottlerException) {
    body = problemBody(429, 'rate limit exceeded; retry after the number of seconds in Retry-After');
  } else if (err instanceof HttpException) {
    const res = err.getResponse();
    const msg = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    const detail = Array.isArray(msg) ? msg.join('; ') : typeof msg === 'string' ? msg : err.message;
    body = problemBody(err.getStatus(), detail);
  } else {
    const status = statusOf(err);
    const type = (err as { type?: string } | null)?.type;
    if (isRedisUnavailable(err)) body = problemBody(503, 'the queue is unavailable; retry in a few seconds');
    else if (isDatabaseSaturated(err)) body = problemBody(503, 'the service is busy; retry in a few seconds');
    else if (status === 413) body = problemBody(413, 'request body is larger than the allowed maximum');
    else if (type === 'entity.parse.failed') body = unparsedBody(err);
    else if (status && status < 500) body = problemBody(status, (err as Error).message);
    else body = problemBody(500, 'unexpected error');
  }
  return { ...body, instance };
}

const JSON_KIND: Record<string, string> = { string: 'text', number: 'a number', boolean: 'a boolean' };

/**
 * A body the JSON parser refused: text that is no JSON at all, or JSON that is no object or array (`null`, `"x"`, `5`;
 * the parser takes only those two), which is said as such rather than called invalid JSON.
 */
function unparsedBody(err: unknown) {
  const raw = (err as { body?: unknown }).body;
  let value: unknown;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    value = undefined;
  }
  if (value === undefined) return problemBody(400, 'request body is not valid JSON');
  const detail = `the body must be a JSON object (got ${value === null ? 'null' : JSON_KIND[typeof value] ?? typeof value})`;
  return problemBody(400, detail, [{ field: '/', detail }]);
}

/** Whether a request is on the HF-compatible API (its path, not its query). */
export const isHfPath = (req: Request | undefined): boolean => (req?.originalUrl ?? req?.url ?? '').startsWith(HF_PATH_PREFIX);

/**
 * An error as its client reads it: a problem document (application/problem+json), or on the HF-compatible API HF's
 * own shape, `{"error": "…"}` as application/json, whatever answers it (the route, the guard's 401 and 429, the
 * overload limits' 429 and 503, the 405 of a wrong method), so an HF client reads every error alike. The headers
 * (Retry-After, rate limits) are the same either way.
 */
export function sendProblem(res: Response, body: ProblemBody, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (isHfPath(res.req)) {
    res.status(body.status).json({ error: body.detail ?? body.title });
    return;
  }
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * A problem as a browser on a reader's path sees it (an HTML page with the same status and headers),
 * or as the problem document everyone else gets.
 */
export function sendProblemOrPage(req: Request, res: Response, body: ProblemBody, headers: Record<string, string> = {}): void {
  // On a reader's path the answer depends on Accept: caches must key on it.
  if (isReaderPath(req)) res.append('Vary', 'Accept');
  if (!wantsHtmlPage(req)) return sendProblem(res, body, headers);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const nonce = randomBytes(16).toString('base64');
  sendHtml(res, body.status, nonce, renderStatusPage(nonce, body.status, body.title, pageMessage(body, res.getHeader('Retry-After'))));
}

/** What a reader is told: never "see the header", the seconds themselves when the answer says when to retry. */
function pageMessage(body: ProblemBody, retryAfter: unknown): string {
  const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  const when =
    retryAfter !== undefined && Number.isInteger(seconds) && seconds >= 0
      ? `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
      : 'Try again in a moment.';
  if (body.status >= 500) return `Something went wrong on our side. ${when}`;
  const text = body.detail ?? body.title;
  // The API's "retry after the number of seconds in Retry-After" points at a header a reader does not see.
  const pointsAtHeader = /[;,.]?\s*retry after (?:the number of seconds in )?Retry-After\.?/i;
  return pointsAtHeader.test(text) ? `${text.replace(pointsAtHeader, '.')} ${when}` : text;
}

function headersOf(err: unknown, body: ProblemBody): Record<string, string> {
  if (err instanceof ProblemException) return err.headers;
  if (err instanceof ActionError && err.retryAfterSeconds !== undefined) return { 'Retry-After': String(err.retryAfterSeconds) };
  return body.status === 503 ? { 'Retry-After': '5' } : {};
}

const NO_PAGE = 'There is no page at this address. Start from the Daily Papers page.';

/** What a request no route takes is told: a reader's path is no page; an API path names the API's list of paths. */
export function noRouteMessage(req: Request, path: string): string {
  if (isReaderPath(req)) return NO_PAGE;
  const collapsed = path.replace(/\/{2,}/g, '/');
  const meant = collapsed !== path ? ` (did you mean ${collapsed}?)` : '';
  return `there is nothing at ${path.slice(0, 200)}${meant}; the API's paths are listed at /docs`;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const unmatched = isUnmatchedRoute(err, req);
    if (unmatched && !res.headersSent && this.answerUnmatched(req, res)) return;
    const instance = req.originalUrl?.split('?')[0] ?? req.url;
    // never Express' "Cannot GET /stats": a plain 404 in the API's error shape
    const body = unmatched ? { ...problemBody(404, noRouteMessage(req, instance)), instance } : toProblem(err, instance);
    if (body.status >= 500) this.log.error({ err: err instanceof Error ? err.message : String(err), stack: (err as Error)?.stack, path: body.instance }, 'request failed');
    if (res.headersSent) return;
    sendProblemOrPage(req, res, body, headersOf(err, body));
  }

  /**
   * No route took the request: 405 (OPTIONS: 204) with Allow when the path exists under other methods,
   * an HTML 404 page for a browser on a reader's path; false leaves it to the problem document.
   */
  private answerUnmatched(req: Request, res: Response): boolean {
    const allow = allowedMethods(req);
    if (allow.length > 0) {
      res.setHeader('Allow', allow.join(', '));
      if (req.method === 'OPTIONS') res.status(204).end();
      else sendProblemOrPage(req, res, { ...problemBody(405, `${req.method} is not allowed here; allowed: ${allow.join(', ')}`), instance: req.originalUrl.split('?')[0] });
      return true;
    }
    if (!wantsHtmlPage(req)) return false;
    sendProblemOrPage(req, res, { ...problemBody(404, NO_PAGE), title: 'Page not found' });
    return true;
  }
}
