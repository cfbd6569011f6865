import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

// What the recovery sweeper looks for: rows whose next step should have happened a while ago. Each
// one is a candidate only; the sweeper re-enqueues those no queue still holds.

/** Raw documents fetched more than `olderThanSeconds` ago and never parsed. */
export async function strandedDocuments(db: Db, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM raw_documents WHERE status = 'fetched' AND fetched_at < now() - make_interval(secs => $1) LIMIT $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Paper deliveries of active subscriptions still to send (pending, or interrupted mid-send) and not
 * touched for `olderThanSeconds`. Deliveries legitimately wait hours between retries: most of these
 * still have their job.
 *
 * Read from idx_deliveries_waiting_since alone (the waiting paper deliveries by updated_at, with their subscription
 * and id), less those of the subscriptions that are not active, themselves read from idx_subscriptions_status_created
 * alone (the two ranges either side of 'active'), hashed. Joined to subscriptions row by row, every sweep visited the
 * heap of each old waiting delivery and of its subscription: the held ones of paused subscriptions pile up old, and
 * at 1M papers with 101k subscriptions the check cost 9.4k buffers every sweep for nothing to do.
 */
export async function strandedDeliveries(db: Db, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT d.id FROM deliveries d
      WHERE d.status IN ('pending', 'sending') AND d.paper_id IS NOT NULL
        AND d.updated_at < now() - make_interval(secs => $1)
        AND d.subscription_id NOT IN (SELECT id FROM subscriptions WHERE status < 'active'
                                      UNION ALL SELECT id FROM subscriptions WHERE status > 'active')
      LIMIT $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}
