import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import type { AuthedRequest } from './auth.guard';

/**
 * Lua that counts a hit on KEYS[1] and starts its window of ARGV[1] ms on the first one, leaving the
 * count in `hits` and the window's ms left in `ttl`. Shared by the rate limit and the auth-failure counter.
 */
export const COUNT_IN_WINDOW_LUA = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
`;

// One round trip, atomic: count the hit, start the window on the first hit, and block once over the
// limit. Returns {hits, windowMs, blocked, blockMs}.
const INCREMENT_LUA = `${COUNT_IN_WINDOW_LUA}
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  return {hits, ttl, 1, blockTtl}
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

type RedisWithThrottle = Redis & {
  pwThrottleIncrement(
    hitKey: string,
    blockKey: string,
    ttl: number,
    limit: number,
    block: number,
  ): Promise<number[]>;
};

/** Rate-limit counters in Redis, so every api replica shares them. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: RedisWithThrottle;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('pwThrottleIncrement' in redis))
      redis.defineCommand('pwThrottleIncrement', { numberOfKeys: 2, lua: INCREMENT_LUA });
    this.redis = redis as RedisWithThrottle;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:${throttlerName}:${key}`;
    const [hits, windowMs, blocked, blockMs] = await this.redis.pwThrottleIncrement(
      `${base}:hits`,
      `${base}:block`,
      ttl,
      limit,
      blockDuration,
    );
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(windowMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }
}

/**
 * The routes deliberately not rate-limited (their answers carry no X-RateLimit-*): the probes (/healthz, /readyz;
 * /metrics is served on its own port) and the API's documentation (/docs and its assets, /docs-json). CORS preflights
 * are answered before counting too (common/cors.ts). Every other answer is counted and carries its caller's counters.
 */
export const RATE_LIMIT_EXEMPT = /^\/(?:healthz|readyz|metrics|docs|docs-json)(?:\/|$)/;

/** The budget a client's requests count against: its API key when one was presented and verified, else its IP. */
export function rateLimitTracker(r: Pick<AuthedRequest, 'apiKey' | 'ip' | 'socket'>): string {
  return r.apiKey ? `key:${r.apiKey.id}` : `ip:${r.ip ?? r.socket?.remoteAddress ?? 'unknown'}`;
}

/** Where a client stands in its window: what every answer tells it (X-RateLimit-*), a refused one with Retry-After. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** seconds until the window (or, blocked, the block) ends */
  resetSeconds: number;
  /** set when the request is over the limit */
  retryAfterSeconds?: number;
}

export function rateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(s.limit),
    'X-RateLimit-Remaining': String(s.remaining),
    'X-RateLimit-Reset': String(s.resetSeconds),
    ...(s.retryAfterSeconds !== undefined ? { 'Retry-After': String(s.retryAfterSeconds) } : {}),
  };
}

/** One budget per client across all routes. */
const budgetKey = (throttlerName: string, tracker: string) => `${throttlerName}:${tracker}`;

/** The throttler as ApiModule configures it: one named window. */
export interface Throttler {
  name: string;
  ttl: number;
  limit: number;
  blockDuration?: number;
}

/**
 * Counts a request against its caller's budget in the Redis counters every replica shares, before anything answers
 * it (the overload middleware calls it first: common/overload.ts), so every answer carries the caller's own counters
 * (a 404, a 400 or 415 of a middleware, the concurrency 429, the 401 and the failed-authentication 429 of the guard)
 * and an over-limit caller gets its 429. `identify` first sets the request's verified API key, if one was sent.
 */
export function countRequest(storage: ThrottlerStorage, t: Throttler, identify: (req: AuthedRequest) => Promise<void> = async () => undefined) {
  return async (req: AuthedRequest): Promise<RateLimitState> => {
    await identify(req);
    const r = await storage.increment(budgetKey(t.name, rateLimitTracker(req)), t.ttl, t.limit, t.blockDuration ?? t.ttl, t.name);
    return r.isBlocked
      ? { limit: t.limit, remaining: 0, resetSeconds: r.timeToBlockExpire, retryAfterSeconds: r.timeToBlockExpire }
      : { limit: t.limit, remaining: Math.max(0, t.limit - r.totalHits), resetSeconds: r.timeToExpire };
  };
}
