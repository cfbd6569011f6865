import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { verifyApiKey, type ApiKeyRecord } from '@paperwire/db';
import { CONFIG, DATA_SOURCE, REDIS } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { ProblemException } from '../common/problem';
import { COUNT_IN_WINDOW_LUA } from './throttle';

// Counts a failure and starts the window on the first one; returns {failures, msLeftInWindow}.
const FAIL_LUA = `${COUNT_IN_WINDOW_LUA}
return {hits, ttl}
`;

type RedisWithFail = Redis & { pwAuthFail(key: string, windowMs: number): Promise<[number, number]> };

/** How long a bad key is remembered as bad, so repeating it costs no database query. */
export const NEGATIVE_CACHE_MS = 60_000;
const NEGATIVE_CACHE_MAX = 10_000;
const BLOCKED_MAX = 10_000;

export const tooManyFailures = (retryAfterS: number) =>
  new ProblemException(
    429,
    'too many failed authentications from this client; retry after the number of seconds in Retry-After',
    undefined,
    { 'Retry-After': String(retryAfterS) },
  );

/**
 * Failed authentication per client (a bad key, a required key missing, a failed Bull Board sign-in),
 * counted in Redis so every api replica shares the budget: past AUTH_FAILURE_LIMIT failures in
 * AUTH_FAILURE_WINDOW_SECONDS the client gets 429 with Retry-After for every failed authentication until the
 * window ends; a key that verifies is still accepted (the limit is on failures: behind one address, e.g. a NAT or a
 * proxy not named in TRUST_PROXY, one client's bad keys must not lock out the others). The block is also kept in
 * memory, so a blocked client's failures cost no Redis; well-formed keys that do not verify are remembered (hashed)
 * for NEGATIVE_CACHE_MS, so repeating one costs no Postgres either.
 */
@Injectable()
export class AuthFailures {
  private readonly redis: RedisWithFail;
  private readonly blockedUntil = new Map<string, number>();
  private readonly badKeys = new Map<string, number>();

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {
    if (!('pwAuthFail' in redis)) redis.defineCommand('pwAuthFail', { numberOfKeys: 1, lua: FAIL_LUA });
    this.redis = redis as RedisWithFail;
  }

  /** Seconds the client must wait, or 0. */
  blockedFor(client: string, now = Date.now()): number {
    const until = this.blockedUntil.get(client);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(client);
      return 0;
    }
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  /** Records a failure; returns the seconds to wait when the client is now over its budget, else 0. */
  async fail(client: string): Promise<number> {
    const windowMs = this.config.AUTH_FAILURE_WINDOW_SECONDS * 1000;
    let count: number;
    let ttl: number;
    try {
      [count, ttl] = await this.redis.pwAuthFail(`pw-authfail:${this.config.QUEUE_PREFIX}:${client}`, windowMs);
    } catch {
      // Redis down: the request is refused anyway (401); the global throttler answers 503 on its own.
      return 0;
    }
    if (count <= this.config.AUTH_FAILURE_LIMIT) return 0;
    if (this.blockedUntil.size >= BLOCKED_MAX) this.blockedUntil.delete(this.blockedUntil.keys().next().value as string);
    this.blockedUntil.set(client, Date.now() + ttl);
    return Math.max(1, Math.ceil(ttl / 1000));
  }

  /** verifyApiKey with a short negative cache: a bad key repeated costs no query. */
  async verify(key: string, now = Date.now()): Promise<ApiKeyRecord | null> {
    const h = createHash('sha256').update(key).digest('base64url');
    const until = this.badKeys.get(h);
    if (until !== undefined) {
      if (until > now) return null;
      this.badKeys.delete(h);
    }
    const rec = await verifyApiKey(this.ds, key);
    if (!rec) {
      if (this.badKeys.size >= NEGATIVE_CACHE_MAX) this.badKeys.delete(this.badKeys.keys().next().value as string);
      this.badKeys.set(h, now + NEGATIVE_CACHE_MS);
    }
    return rec;
  }
}

/** The client a failure is counted against: its address (as TRUST_PROXY lets Express see it). */
export function clientOf(req: { ip?: string; socket?: { remoteAddress?: string } }): string {
  return `ip:${req.ip ?? req.socket?.remoteAddress ?? 'unknown'}`;
}
