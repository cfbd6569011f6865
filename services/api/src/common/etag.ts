import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { setNextLink } from './next-link';

export function weakEtag(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match matches when any listed tag equals ours under weak comparison (RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const ours = strip(etag);
  return header.split(',').some((t) => strip(t) === ours);
}

/**
 * Sends a body with a weak ETag, or 304 when the client already has it. Used by list endpoints and
 * feeds, whose bodies are built in full before sending.
 */
export function sendWithEtag(req: Request, res: Response, body: string, contentType: string, maxAge = 60): void {
  const etag = weakEtag(body);
  res.setHeader('ETag', etag);
  const scope = req.headers.authorization || req.headers['x-api-key'] ? 'private' : 'public';
  res.setHeader('Cache-Control', `${scope}, max-age=${maxAge}`);
  res.vary('Authorization').vary('X-API-Key');
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type(contentType).send(body);
}

export function sendJsonWithEtag(req: Request, res: Response, value: unknown, maxAge = 30): void {
  setNextLink(req, res, value);
  sendWithEtag(req, res, JSON.stringify(value), 'application/json; charset=utf-8', maxAge);
}
