import { uniqueVariant } from '@paperwire/contracts';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { returnedRows } from '@paperwire/db';
import {
  digestScheduleSchema,
  generateWebhookSecret,
  parseEmailTarget,
  subscriptionFilterSchema,
  type SubscriptionFilter,
} from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';

export interface DigestSchedule {
  hour: number;
  minute: number;
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday; weekly digests only */
  weekday?: number;
  /** most papers per digest */
  limit?: number;
}

const scheduleSchema = digestScheduleSchema.extend({ limit: z.number().int().min(1).max(100).optional() });

/** The schedule of a daily/weekly subscription from CLI options; null for instant mode. */
export function scheduleFromOptions(
  mode: 'instant' | 'daily' | 'weekly',
  o: { hour?: string; minute?: string; tz?: string; weekday?: string; limit?: string },
): DigestSchedule | null {
  const given = [o.hour, o.minute, o.weekday, o.limit].some((v) => v !== undefined);
  if (mode === 'instant') {
    if (given) throw new Error('--hour, --minute, --weekday and --limit need --mode daily or weekly');
    return null;
  }
  if (o.hour === undefined) throw new Error(`--mode ${mode} needs --hour (0-23)`);
  if (mode === 'weekly' && o.weekday === undefined)
    throw new Error('--mode weekly needs --weekday (0 = Sunday … 6)');
  const num = (v: string | undefined) =>
    v === undefined ? undefined : /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  const res = scheduleSchema.safeParse({
    hour: num(o.hour),
    minute: num(o.minute) ?? 0,
    timeZone: o.tz ?? 'UTC',
    ...(mode === 'weekly' ? { weekday: num(o.weekday) } : {}),
    ...(o.limit !== undefined ? { limit: num(o.limit) } : {}),
  });
  if (!res.success)
    throw new Error(
      `invalid schedule: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { ...res.data, minute: res.data.minute ?? 0 };
}

export interface NewSubscription {
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  filters: SubscriptionFilter;
  mode?: 'instant' | 'daily' | 'weekly';
  schedule?: DigestSchedule | null;
}

/** Creates a subscription; webhook subscriptions get a fresh `whsec_` secret, returned once. */
export async function createSubscription(
  ds: DataSource,
  s: NewSubscription,
): Promise<{ id: string; secret?: string; status: string }> {
  const filters = subscriptionFilterSchema.parse(s.filters);
  const mode = s.mode ?? 'instant';
  if (mode !== 'instant' && !s.schedule) throw new Error(`mode ${mode} needs a schedule`);
  if (s.channel === 'webhook') {
    const u = new URL(s.target);
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new Error('webhook target must be an http(s) URL');
  } else {
    // The one email-target check (libs/notifications), as in the API.
    const email = parseEmailTarget(s.target);
    if (!email.ok) throw new Error(`email target: ${email.error}`);
    s = { ...s, target: email.address };
  }
  const secret = s.channel === 'webhook' ? generateWebhookSecret() : undefined;
  // Email addresses are confirmed (double opt-in) before anything is sent to them.
  const status = s.channel === 'email' ? 'pending_confirmation' : 'active';
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule, status)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::jsonb, $8) RETURNING id`,
    [
      s.name,
      s.channel,
      s.target,
      JSON.stringify(secret ? [secret] : []),
      JSON.stringify(filters),
      mode,
      mode !== 'instant' && s.schedule ? JSON.stringify(s.schedule) : null,
      status,
    ],
  );
  return { id: rows[0].id, secret, status };
}

export async function listSubscriptions(ds: DataSource): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT s.id, s.name, s.channel, s.target, s.mode, s.status, s.status_reason, s.owner_key_id, s.consecutive_failures, s.filters,
            (SELECT count(*)::int FROM deliveries d WHERE d.subscription_id = s.id AND d.status = 'delivered') AS delivered
       FROM subscriptions s ORDER BY s.created_at`,
  );
}

export async function setSubscriptionStatus(
  ds: DataSource,
  id: string,
  status: 'active' | 'paused',
): Promise<boolean> {
  const rows = returnedRows(
    await ds.query(
      `UPDATE subscriptions SET status = $2, status_reason = NULL, consecutive_failures = 0, updated_at = now()
      WHERE id = $1 AND status IN ('active', 'paused') RETURNING id`,
      [id, status],
    ),
  );
  return rows.length > 0;
}

export async function removeSubscription(ds: DataSource, id: string): Promise<boolean> {
  const rows = returnedRows(await ds.query(`DELETE FROM subscriptions WHERE id = $1 RETURNING id`, [id]));
  return rows.length > 0;
}

/**
 * Double opt-in: queues the confirmation mail of a new email subscription (one per subscription:
 * the job id makes a second call a no-op while the job is kept).
 */
export async function enqueueConfirmation(queues: QueueSet, subscriptionId: string): Promise<string> {
  return queues.enqueue('send-confirmation', { subscriptionId });
}

/**
 * Sends a digest now (operators, tests): covers the subscription's current period up to this moment,
 * leaving out papers an earlier digest already carried. Every call is its own job.
 */
export async function triggerDigest(
  ds: DataSource,
  queues: QueueSet,
  id: string,
  now = Date.now(),
): Promise<{ id: string; jobId: string; status: string }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new Error(`no subscription ${id}`);
  const rows: { status: string; mode: string }[] = await ds.query(
    `SELECT status, mode FROM subscriptions WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`no subscription ${id}`);
  if (rows[0].mode === 'instant') throw new Error(`subscription ${id} is instant: it has no digest`);
  const jobId = await queues.enqueue('send-digest', { subscriptionId: id }, { variant: uniqueVariant('now', now) });
  // A subscription that is not active gets the job too: the notifier records it as skipped.
  return { id, jobId, status: rows[0].status };
}
