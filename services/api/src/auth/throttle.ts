import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerStorage } from '@nestjs/throttler';
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

/** Limits per API key when one was presented and verified, else per client IP. */
@Injectable()
export class KeyOrIpThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as AuthedRequest;
    return r.apiKey ? `key:${r.apiKey.id}` : `ip:${r.ip ?? r.socket?.remoteAddress ?? 'unknown'}`;
  }

  // One budget per client across all routes: the default key adds the controller and handler, which
  // would multiply RATE_LIMIT_PER_MINUTE by the number of routes.
  protected override generateKey(_ctx: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return SKIP.has(ctx.switchToHttp().getRequest<AuthedRequest>().path);
  }
}
