import { returnedRows, type Db } from './sql';

/** A delivery as its subscription's delivery log shows it (the owner's view: no claim, no detail). */
export interface DeliveryLogRow {
  id: string;
  paper_id: string | null;
  digest_key: string | null;
  status: string;
  attempts: number;
  /** attempts of the runs before a redelivery, and the redeliveries */
  earlier_attempts: number;
  redeliveries: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** the paper of a paper.matched delivery, as the log names it: [arXiv id, title] (null for digests and confirmations) */
  paper_ref: [string | null, string] | null;
  /** the keyset of the row: created_at as Postgres text, which keeps its microseconds */
  page_at: string;
}

/** A delivery's status as every view names it (the delivery log, `paperwire stats`, `paperwire up`): one vocabulary. */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'held', 'delivered', 'failed', 'skipped'] as const;
export type ShownDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The stored status (`pending`, `sending`, `delivered`, `failed`, `skipped`) as it is shown: a delivery waiting or
 * in flight is `pending` until an attempt failed, then `retrying` (one in flight, `sending`, counts its own attempt);
 * while its subscription is paused it is `held` whatever its attempts: nothing sends or retries it until the
 * subscription is resumed (the resume sends it). Anything unknown is `failed`.
 */
export function deliveryStatus(stored: string, attempts: number, subscriptionStatus?: string): ShownDeliveryStatus {
  if (stored === 'pending' || stored === 'sending') {
    if (subscriptionStatus === 'paused') return 'held';
    return attempts > (stored === 'sending' ? 1 : 0) ? 'retrying' : 'pending';
  }
  return (DELIVERY_STATUSES as readonly string[]).includes(stored) ? (stored as ShownDeliveryStatus) : 'failed';
}

const LOG_COLUMNS = `d.id, d.paper_id, d.digest_key, d.status, d.attempts, d.earlier_attempts, d.redeliveries, d.last_status_code, d.last_error,
  d.next_attempt_at, d.delivered_at, d.created_at, d.updated_at, d.created_at::text AS page_at,
  (SELECT ARRAY[p.arxiv_id, p.title] FROM papers p WHERE p.id = d.paper_id) AS paper_ref`;

/**
 * A page of a subscription's deliveries, newest first by (created_at, id): `limit + 1` rows (the extra one says
 * there is a next page), after the keyset of the previous page's last row. One range of idx_deliveries_log: a
 * page reads about a page of entries (and each one's paper by its primary key), whatever the number of deliveries (the statement names the keyset only
 * when there is one, so no plan has to allow for both).
 */
export function deliveryLogPage(
  db: Db,
  subscriptionId: string,
  page: { limit: number; before?: readonly [string, string] },
): Promise<DeliveryLogRow[]> {
  if (!page.before)
    return db.query(
      `SELECT ${LOG_COLUMNS} FROM deliveries d WHERE d.subscription_id = $1
        ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      [subscriptionId, page.limit + 1],
    );
  return db.query(
    `SELECT ${LOG_COLUMNS} FROM deliveries d WHERE d.subscription_id = $1
        AND (d.created_at, d.id) < ($3::timestamptz, $4::uuid)
      ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    [subscriptionId, page.limit + 1, page.before[0], page.before[1]],
  );
}

/** What asking to redeliver a delivery came to: the row, reset to pending, or why not (its status as it is). */
export type RedeliverRow =
  | { reset: true; row: DeliveryLogRow }
  | { reset: false; status: string | null; paper: boolean; subscriptionStatus: string | null };

/**
 * Puts a delivery that failed for good back to pending for a fresh run of attempts (attempts from 0, those made so
 * far added to earlier_attempts and the redelivery counted: the history is kept; the error kept until the next attempt), in one conditional statement: only a `failed` paper delivery of an active
 * subscription is reset, so two concurrent asks reset it once and a delivery in flight is never touched. Its id
 * (the webhook-id) does not change, so a receiver that got it before drops the repeat. Otherwise says why not.
 */
export async function resetFailedDelivery(
  db: Db,
  subscriptionId: string,
  deliveryId: string,
): Promise<RedeliverRow> {
  const rows = returnedRows<DeliveryLogRow>(
    await db.query(
      `UPDATE deliveries d SET status = 'pending', earlier_attempts = d.earlier_attempts + d.attempts, attempts = 0,
              redeliveries = d.redeliveries + 1, claimed_by = NULL, next_attempt_at = now(), updated_at = now()
       FROM subscriptions s
      WHERE d.id = $2 AND d.subscription_id = $1 AND s.id = d.subscription_id AND s.status = 'active'
        AND d.status = 'failed' AND d.paper_id IS NOT NULL
      RETURNING ${LOG_COLUMNS}`,
      [subscriptionId, deliveryId],
    ),
  );
  if (rows[0]) return { reset: true, row: rows[0] };
  const found: { status: string; paper: boolean; subscription_status: string }[] = await db.query(
    `SELECT d.status, d.paper_id IS NOT NULL AS paper, s.status AS subscription_status
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.id = $2 AND d.subscription_id = $1`,
    [subscriptionId, deliveryId],
  );
  const f = found[0];
  return {
    reset: false,
    status: f?.status ?? null,
    paper: f?.paper ?? false,
    subscriptionStatus: f?.subscription_status ?? null,
  };
}
