import type { DataSource } from 'typeorm';
import { returnedRows } from '@paperwire/db';
import { generateWebhookSecret, subscriptionFilterSchema, type SubscriptionFilter } from '@paperwire/notifications';

export interface NewSubscription {
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  filters: SubscriptionFilter;
  mode?: 'instant' | 'daily' | 'weekly';
  schedule?: { hour: number; minute?: number; timeZone: string; weekday?: number } | null;
}

/** Creates a subscription; webhook subscriptions get a fresh `whsec_` secret, returned once. */
export async function createSubscription(ds: DataSource, s: NewSubscription): Promise<{ id: string; secret?: string; status: string }> {
  const filters = subscriptionFilterSchema.parse(s.filters);
  if (s.channel === 'webhook') {
    const u = new URL(s.target);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('webhook target must be an http(s) URL');
  } else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.target)) {
    throw new Error('email target must be an address');
  }
  const secret = s.channel === 'webhook' ? generateWebhookSecret() : undefined;
  // Email addresses are confirmed (double opt-in) before anything is sent to them.
  const status = s.channel === 'email' ? 'pending_confirmation' : 'active';
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule, status)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::jsonb, $8) RETURNING id`,
    [s.name, s.channel, s.target, JSON.stringify(secret ? [secret] : []), JSON.stringify(filters), s.mode ?? 'instant', s.schedule ? JSON.stringify(s.schedule) : null, status],
  );
  return { id: rows[0].id, secret, status };
}

export async function listSubscriptions(ds: DataSource): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT s.id, s.name, s.channel, s.target, s.mode, s.status, s.status_reason, s.consecutive_failures, s.filters,
            (SELECT count(*)::int FROM deliveries d WHERE d.subscription_id = s.id AND d.status = 'delivered') AS delivered
       FROM subscriptions s ORDER BY s.created_at`,
  );
}

export async function setSubscriptionStatus(ds: DataSource, id: string, status: 'active' | 'paused'): Promise<boolean> {
  const rows = returnedRows(await ds.query(
    `UPDATE subscriptions SET status = $2, status_reason = NULL, consecutive_failures = 0, updated_at = now()
      WHERE id = $1 AND status IN ('active', 'paused') RETURNING id`,
    [id, status],
  ));
  return rows.length > 0;
}

export async function removeSubscription(ds: DataSource, id: string): Promise<boolean> {
  const rows = returnedRows(await ds.query(`DELETE FROM subscriptions WHERE id = $1 RETURNING id`, [id]));
  return rows.length > 0;
}
