import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { badRequest, ProblemException } from '../common/problem';

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * How long a claim outlives the last sign of its process (answered 409 meanwhile). While the create runs the process
 * renews its claim every third of this, so a create holds its key however long it takes: its life has no bound the
 * config sets (several statements, each with its own pool wait and statement timeout, the webhook target's DNS
 * lookup, the confirmation mail's enqueue). A process that dies mid-request leaves its claim behind, which must not
 * answer 409 for a day: it lapses after this, and a retry then runs.
 */
export const IDEMPOTENCY_IN_FLIGHT_SECONDS = 60;

// The claim, if still this request's, replaced by the answer (kept IDEMPOTENCY_TTL_SECONDS) or, the request
// failed, removed. A claim that lapsed and was taken by a retry is that retry's: left alone.
const SETTLE_LUA = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;
// The claim, if still this request's, held for another ARGV[2] seconds (a settled or lapsed claim is left alone).
const RENEW_LUA = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('EXPIRE', KEYS[1], ARGV[2])`;
/** A header value: 1-255 visible ASCII characters (a UUID is the usual choice). */
const KEY = /^[\x21-\x7e]{1,255}$/;

interface Entry {
  /** sha256 of the request body as sent (canonical JSON) */
  body: string;
  /** null while the first request with the key is still running */
  response: unknown;
  /** which request holds the claim (random) */
  claim?: string;
}

/**
 * How deep a body may nest to be keyed (a create's deepest field is 4 levels down). A body of a few kilobytes
 * can nest thousands of levels deep, past what the recursion below has stack for (a 500): refused as a 400.
 */
const MAX_BODY_DEPTH = 32;

/** JSON with object keys sorted: the same body whatever the order its fields were written in. */
function canonical(value: unknown, depth = 0): string {
  if (depth > MAX_BODY_DEPTH && value !== null && typeof value === 'object')
    throw badRequest('invalid body', [{ field: '/', detail: `nested more than ${MAX_BODY_DEPTH} levels deep` }]);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * `Idempotency-Key` on a create, per API key, kept in Redis for 24 hours: the first request with a key runs and
 * its answer is stored; a repeat with the same body gets that answer again and creates nothing; a repeat with
 * another body is a 422, one while the first still runs a 409 (however long it runs; a request whose process died holds its
 * key IDEMPOTENCY_IN_FLIGHT_SECONDS at most). A request that fails stores nothing (it can be retried with the same key). The stored answer holds what the create returned, a webhook's secret included:
 * that is what lets a client that lost the answer recover it.
 */
export async function idempotent<T>(
  redis: Redis,
  scope: string,
  header: string | string[] | undefined,
  body: unknown,
  run: () => Promise<T>,
  inFlightSeconds = IDEMPOTENCY_IN_FLIGHT_SECONDS,
): Promise<T> {
  if (header === undefined) return run();
  if (Array.isArray(header) || !KEY.test(header))
    throw badRequest('invalid Idempotency-Key', [
      { field: 'Idempotency-Key', detail: 'one value of 1-255 visible ASCII characters' },
    ]);
  const key = `${scope}:${sha256(header)}`;
  const mine: Entry = { body: sha256(canonical(body)), response: null, claim: randomUUID() };
  const claim = JSON.stringify(mine);
  const claimed = await redis.set(key, claim, 'EX', inFlightSeconds, 'NX');
  if (claimed !== 'OK') {
    const raw = await redis.get(key);
    const seen = raw ? (JSON.parse(raw) as Entry) : null;
    if (!seen)
      throw new ProblemException(409, 'a request with this Idempotency-Key just ended; retry it', undefined, {
        'Retry-After': '1',
      });
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
  // Settling is best effort: the claim lapses by itself. A create that succeeded is answered even when its
  // answer cannot be stored (it holds the secret, shown only here), and a refusal stays that refusal.
  const settle = (answer: string) =>
    redis.eval(SETTLE_LUA, 1, key, claim, answer, IDEMPOTENCY_TTL_SECONDS).catch(() => undefined);
  // Renewed until the create ends, before it settles; best effort too: a renewal Redis fails leaves the claim its
  // remaining two thirds for the next one.
  const renewing = async () => {
    const renewal = setInterval(
      () => void redis.eval(RENEW_LUA, 1, key, claim, inFlightSeconds).catch(() => undefined),
      (inFlightSeconds * 1000) / 3,
    );
    renewal.unref();
    try {
      return await run();
    } finally {
      clearInterval(renewal);
    }
  };
  let response: T;
  try {
    response = await renewing();
  } catch (err) {
    await settle('');
    throw err;
  }
  await settle(JSON.stringify({ body: mine.body, response }));
  return response;
}
