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
 */
export async function strandedDeliveries(db: Db, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.status IN ('pending', 'sending') AND s.status = 'active' AND d.paper_id IS NOT NULL
        AND d.updated_at < now() - make_interval(secs => $1) LIMIT $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}
