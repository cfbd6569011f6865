import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * Spaces request starts per host. `acquire` resolves when the caller may start its request; the slot
 * is reserved at call time, so concurrent callers queue up minIntervalMs apart instead of racing.
 */
export interface PolitenessGate {
  acquire(host: string, minIntervalMs: number): Promise<void>;
}

// Slots are spaced this much wider than asked: a timer that fires a few ms late for one request and
// on time for the next would otherwise put two starts just under the interval apart.
export const POLITENESS_GUARD_MS = 5;

/** One process only (CLI, tests). */
export function createLocalPolitenessGate(
  sleep: (ms: number) => Promise<void> = (ms) => delay(ms),
): PolitenessGate {
  const nextSlot = new Map<string, number>();
  return {
    async acquire(host, minIntervalMs) {
      const now = Date.now();
      const key = host.toLowerCase();
      const slot = Math.max(now, nextSlot.get(key) ?? 0);
      nextSlot.set(key, slot + minIntervalMs + (minIntervalMs > 0 ? POLITENESS_GUARD_MS : 0));
      // Forget hosts whose slot has passed so the map does not grow with every host ever seen.
      if (nextSlot.size > 1000) for (const [h, t] of nextSlot) if (t < now) nextSlot.delete(h);
      if (slot > now) await sleep(slot - now);
    },
  };
}

// Reserves the next free slot for the host on Redis' clock (one clock for every replica) and returns
// how long the caller must wait for it. The key expires once its slot has passed.
const RESERVE_SLOT = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextSlot)
local after = slot + interval
redis.call('SET', KEYS[1], after, 'PX', after - now + 1000)
return slot - now
`;

/**
 * Shared across fetcher replicas: at most one request start per host per minIntervalMs, decided by an
 * atomic Lua script. No polling: one round trip, then a single sleep.
 */
export function createRedisPolitenessGate(
  redis: Redis,
  prefix: string,
  sleep: (ms: number) => Promise<void> = (ms) => delay(ms),
): PolitenessGate {
  let sha: string | undefined;
  const reserve = async (key: string, intervalMs: number): Promise<number> => {
    if (sha) {
      try {
        return Number(await redis.evalsha(sha, 1, key, intervalMs));
      } catch (err) {
        // Script cache flushed (restart, failover): load it again below.
        if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      }
    }
    sha = (await redis.script('LOAD', RESERVE_SLOT)) as string;
    return Number(await redis.evalsha(sha, 1, key, intervalMs));
  };
  return {
    async acquire(host, minIntervalMs) {
      if (minIntervalMs <= 0) return;
      const waitMs = await reserve(
        `${prefix}:${host.toLowerCase()}`,
        Math.ceil(minIntervalMs) + POLITENESS_GUARD_MS,
      );
      if (waitMs > 0) await sleep(waitMs);
    },
  };
}
