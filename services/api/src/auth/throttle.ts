import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerStorage } from '@nestjs/throttler';
import type { Response } from 'express';
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

const SKIP = new Set(['/healthz', '/readyz', '/metrics']);

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

/** One budget per client across all routes (the default key would add the controller and handler). */
const budgetKey = (throttlerName: string, tracker: string) => `${throttlerName}:${tracker}`;

/** The throttler as ApiModule configures it: one named window. */
export interface Throttler {
  name: string;
  ttl: number;
  limit: number;
  blockDuration?: number;
}

/**
 * Counts a request the guard never sees (a response-cache hit, answered before Nest) against the same budget, in the
 * same Redis counters, so its answer carries the caller's own counters and an over-limit caller gets its 429 there too.
 */
export function countRequest(storage: ThrottlerStorage, t: Throttler) {
  return async (req: Pick<AuthedRequest, 'apiKey' | 'ip' | 'socket'>): Promise<RateLimitState> => {
    const r = await storage.increment(budgetKey(t.name, rateLimitTracker(req)), t.ttl, t.limit, t.blockDuration ?? t.ttl, t.name);
    return stateOf(t.limit, r);
  };
}

function stateOf(limit: number, r: { totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }): RateLimitState {
  return r.isBlocked
    ? { limit, remaining: 0, resetSeconds: r.timeToBlockExpire, retryAfterSeconds: r.timeToBlockExpire }
    : { limit, remaining: Math.max(0, limit - r.totalHits), resetSeconds: r.timeToExpire };
}

/** Limits per API key when one was presented and verified, else per client IP. */
@Injectable()
export class KeyOrIpThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return rateLimitTracker(req as unknown as AuthedRequest);
  }

  protected override generateKey(_ctx: ExecutionContext, tracker: string, throttlerName: string): string {
    return budgetKey(throttlerName, tracker);
  }

  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return SKIP.has(ctx.switchToHttp().getRequest<AuthedRequest>().path);
  }

  // The library's 429 says only Retry-After: it carries the caller's counters too, as every other answer does.
  protected override async throwThrottlingException(ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = ctx.switchToHttp().getResponse<Response>();
    for (const [k, v] of Object.entries(rateLimitHeaders(stateOf(detail.limit, detail)))) res.setHeader(k, v);
    await super.throwThrottlingException(ctx, detail);
  }
}
