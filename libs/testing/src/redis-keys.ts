import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './db';

/**
 * Deletes every key matching one of `patterns`, by SCAN (never a blocking KEYS), through `redis` or a
 * connection of its own to the test Redis.
 */
export async function deleteRedisKeys(patterns: string[], redis?: Redis): Promise<void> {
  const conn = redis ?? new Redis(TEST_REDIS_URL);
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await conn.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await conn.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    if (!redis) await conn.quit();
  }
}

/** What a test app or pipeline leaves under its queue prefix: BullMQ's queues, the api's counters and throttles. */
export function dropQueuePrefix(prefix: string, redis?: Redis): Promise<void> {
  return deleteRedisKeys(
    [`bull:${prefix}*`, `${prefix}*`, `pw-throttle:${prefix}*`, `pw-authfail:${prefix}*`, `pw-confirm-throttle:${prefix}*`],
    redis,
  );
}
