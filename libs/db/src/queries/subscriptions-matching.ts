import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/** A subscription as the notifier matches and delivers it. */
export interface SubscriptionRow {
  id: string;
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  secrets: string[];
  filters: Record<string, unknown>;
  mode: 'instant' | 'daily' | 'weekly';
  status: string;
  status_reason?: string | null;
  consecutive_failures: number;
}

/** A digest schedule as stored on a subscription (the api and the CLI also store limit and sort). */
export interface StoredDigestSchedule {
  hour: number;
  minute?: number;
  timeZone: string;
  weekday?: number;
  limit?: number;
  sort?: 'recent' | 'trending';
}

export interface DigestSubscriptionRow extends SubscriptionRow {
  schedule: StoredDigestSchedule | null;
  created_at: Date;
}

const INSTANT_COLUMNS = `id, name, channel, target, secrets, filters, mode, status, consecutive_failures`;

export function activeInstantSubscriptions(db: Db): Promise<SubscriptionRow[]> {
  return db.query(
    `SELECT ${INSTANT_COLUMNS} FROM subscriptions WHERE status = 'active' AND mode = 'instant' ORDER BY id`,
  );
}

/** The subscription if it is active and instant: only then has a backfill anything to do. */
export async function activeInstantSubscription(db: Db, id: string): Promise<SubscriptionRow | null> {
  const rows: SubscriptionRow[] = await db.query(
    `SELECT ${INSTANT_COLUMNS} FROM subscriptions WHERE id = $1 AND status = 'active' AND mode = 'instant'`,
    [id],
  );
  return rows[0] ?? null;
}

export async function digestSubscription(db: Db, id: string): Promise<DigestSubscriptionRow | null> {
  const rows: DigestSubscriptionRow[] = await db.query(`SELECT * FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export function activeDigestSubscriptions(db: Db): Promise<DigestSubscriptionRow[]> {
  return db.query(
    `SELECT * FROM subscriptions WHERE status = 'active' AND mode IN ('daily', 'weekly') ORDER BY id`,
  );
}
