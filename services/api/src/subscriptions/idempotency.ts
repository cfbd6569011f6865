import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { badRequest, conflict, ProblemException } from '../common/problem';

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** A header value: 1-255 visible ASCII characters (a UUID is the usual choice). */
const KEY = /^[\x21-\x7e]{1,255}$/;

interface Entry {
  /** sha256 of the request body as sent (canonical JSON) */
  body: string;
  /** null while the first request with the key is still running */
  response: unknown;
}

/** JSON with object keys sorted: the same body whatever the order its fields were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * `Idempotency-Key` on a create, per API key, kept in Redis for 24 hours: the first request with a key runs and
 * its answer is stored; a repeat with the same body gets that answer again and creates nothing; a repeat with
 * another body is a 422, one while the first still runs a 409. A request that fails stores nothing (it can be
 * retried with the same key). The stored answer holds what the create returned, a webhook's secret included:
 * that is what lets a client that lost the answer recover it.
 */
export async function idempotent<T>(
  redis: Redis,
  scope: string,
  header: string | string[] | undefined,
  body: unknown,
  run: () => Promise<T>,
): Promise<T> {
  if (header === undefined) return run();
  if (Array.isArray(header) || !KEY.test(header))
    throw badRequest('invalid Idempotency-Key', [
      { field: 'Idempotency-Key', detail: 'one value of 1-255 visible ASCII characters' },
    ]);
  const key = `${scope}:${sha256(header)}`;
  const mine: Entry = { body: sha256(canonical(body)), response: null };
  const claimed = await redis.set(key, JSON.stringify(mine), 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX');
  if (claimed !== 'OK') {
    const raw = await redis.get(key);
    const seen = raw ? (JSON.parse(raw) as Entry) : null;
    if (!seen) throw conflict('a request with this Idempotency-Key just ended; retry it');
    if (seen.body !== mine.body)
      throw new ProblemException(
        422,
        'this Idempotency-Key was used with another request body in the last 24 hours',
        [{ field: 'Idempotency-Key', detail: 'use a new key for a different request' }],
      );
    if (seen.response === null)
      throw new ProblemException(409, 'a request with this Idempotency-Key is still running', undefined, {
        'Retry-After': '1',
      });
    return seen.response as T;
  }
  let response: T;
  try {
    response = await run();
  } catch (err) {
    await redis.del(key);
    throw err;
  }
  await redis.set(key, JSON.stringify({ ...mine, response }), 'KEEPTTL');
  return response;
}
