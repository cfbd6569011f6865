import { Redis, type RedisOptions } from 'ioredis';

/** A connection BullMQ workers can block on (maxRetriesPerRequest must be null for them). */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Reconnect forever with a capped backoff: a Redis restart must not need a process restart.
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5000),
    ...opts,
  });
}

/**
 * BullMQ loses jobs when Redis evicts keys. Refuse to start on any eviction policy but noeviction.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  let policy: string | undefined;
  try {
    const res = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = res[1];
  } catch {
    // CONFIG may be disabled on managed Redis; INFO still tells.
    const info = await redis.info('memory');
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy && policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (set REDIS_REQUIRE_NOEVICTION=false to override)`);
  }
}
