import type { Redis } from 'ioredis';
import { uniqueVariant } from '@paperwire/contracts';
import { retireConfirmationDelivery } from '@paperwire/db';
import { targetHash } from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import type { Db } from '@paperwire/db';

// Confirmation mails (double opt-in): per recipient at most one every CONFIRMATION_GAP_MS and
// CONFIRMATION_DAILY_CAP a day, counted in Redis so every api replica and the CLI share the budget.
// Whoever asks (the Subscribe form, a key creating or re-targeting a subscription, the operator CLI),
// an address cannot be flooded with confirmation mails.

export const CONFIRMATION_GAP_MS = 10 * 60_000;
export const CONFIRMATION_DAILY_CAP = 4;
const DAY_MS = 86_400_000;

// KEYS: next-free-slot (ms epoch), sent-today counter. ARGV: now, gap, cap, max delay.
// Returns the delay (ms) before the mail may go, or -1 when the budget is spent (nothing reserved).
const RESERVE_LUA = `
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local at = math.max(now, nextAt)
if at - now > tonumber(ARGV[4]) then return -1 end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], tostring(at + gap), 'PX', at + gap - now + 1000)
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ${DAY_MS}) end
return at - now
`;

type RedisWithReserve = Redis & { pwReserveConfirmation(next: string, day: string, now: number, gap: number, cap: number, maxDelay: number): Promise<number> };

/**
 * Reserves a confirmation mail to `target`: the delay before it may be sent (0 = now), or null when
 * this address had its share (the caller sends nothing). `maxDelayMs` 0 means "now or not at all".
 */
export async function reserveConfirmation(redis: Redis, queuePrefix: string, target: string, maxDelayMs: number): Promise<number | null> {
  if (!('pwReserveConfirmation' in redis)) redis.defineCommand('pwReserveConfirmation', { numberOfKeys: 2, lua: RESERVE_LUA });
  const base = `pw-confirm-throttle:${queuePrefix}:${targetHash(target)}`;
  const delay = await (redis as RedisWithReserve).pwReserveConfirmation(`${base}:next`, `${base}:day`, Date.now(), CONFIRMATION_GAP_MS, CONFIRMATION_DAILY_CAP, maxDelayMs);
  return delay < 0 ? null : delay;
}

/** The per-recipient budget of confirmation mails, as an action needs it. */
export interface ConfirmationBudget {
  /** delay before a mail to `target` may go, or null when the address had its share */
  reserve(target: string, maxDelayMs: number): Promise<number | null>;
}

export const redisConfirmationBudget = (redis: Redis, queuePrefix: string): ConfirmationBudget => ({
  reserve: (target, maxDelayMs) => reserveConfirmation(redis, queuePrefix, target, maxDelayMs),
});

/**
 * Queues a confirmation mail for a pending email subscription. The first one of a subscription has
 * the job id `confirm-<id>`; a later one (re-send, changed address) first retires the delivered
 * 'confirm' delivery row (renamed, kept as history) so the notifier sends anew, under its own job id.
 */
export async function queueConfirmation(db: Db, queues: QueueSet, subscriptionId: string, opts: { resend: boolean; delayMs: number }): Promise<string> {
  let variant: string | undefined;
  if (opts.resend) {
    await retireConfirmationDelivery(db, subscriptionId);
    variant = uniqueVariant('');
  }
  return queues.enqueue('send-confirmation', { subscriptionId }, { variant, ...(opts.delayMs > 0 ? { delay: opts.delayMs } : {}) });
}
