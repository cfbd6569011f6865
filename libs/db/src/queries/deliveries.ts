import type { DataSource, EntityManager } from 'typeorm';
import {
  CLAIM_COLUMNS,
  PAPER_COLUMNS,
  SOURCE_COLUMNS,
  SOURCES_FROM,
  TOPIC_COLUMNS,
  type NotifiedClaimRow,
  type NotifiedPaperRow,
  type NotifiedSourceRow,
  type NotifiedTopicRow,
} from './notified-papers';
import type { SubscriptionRow } from './subscriptions-matching';
import { returnedRows } from './sql';

type Db = DataSource | EntityManager;

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  paper_id: string | null;
  digest_key: string | null;
  detail: { reasons?: string[] };
  status: string;
  attempts: number;
  created_at: Date;
}

/** The rows of one paper, as `deliveryWithPaperRows` returns them in one JSON value. */
export interface DeliveryPaperRows {
  paper: NotifiedPaperRow;
  topics: NotifiedTopicRow[] | null;
  claims: NotifiedClaimRow[] | null;
  sources: NotifiedSourceRow[] | null;
}

export interface DeliveryWithPaperRows {
  delivery: DeliveryRow;
  subscription: SubscriptionRow;
  paper: DeliveryPaperRows | null;
}

/** A delivery of a subscription under a natural key (digest period, 'confirm'). */
export interface KeyedDelivery {
  id: string;
  status: string;
  detail: Record<string, unknown>;
  created: boolean;
}

export interface MatchedDelivery {
  subscriptionId: string;
  paperId: string;
  reasons: string[];
}

/** The subscription's deliveries created before `before` still waiting to be sent (pending or interrupted mid-send), oldest first. */
export async function pendingDeliveriesOf(
  db: Db,
  subscriptionId: string,
  before: Date,
  limit: number,
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM deliveries WHERE subscription_id = $1 AND paper_id IS NOT NULL AND status IN ('pending', 'sending')
        AND created_at < $2
      ORDER BY created_at, id LIMIT $3`,
    [subscriptionId, before, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Records the deliveries of live matching (one per subscription and paper, whatever the number of
 * runs). Returns the ids of every delivery of `paperIds` still to send (new ones and any left pending
 * by an earlier run, e.g. a crash before the enqueue). Pending deliveries of disabled subscriptions
 * (unsubscribed, 410) will never be sent: they are marked skipped in the same statement, which sees
 * every subscription in one snapshot, so each one is either active (its deliveries are returned) or
 * disabled (they are skipped); the deliver job re-checks the subscription anyway.
 */
export async function recordMatchedDeliveries(
  db: Db,
  matches: MatchedDelivery[],
  paperIds: string[],
): Promise<string[]> {
  const pending: { id: string }[] = await db.query(
    `WITH inserted AS (
       INSERT INTO deliveries (subscription_id, paper_id, detail)
       SELECT x.subscription_id, x.paper_id, jsonb_build_object('reasons', x.reasons)
         FROM jsonb_to_recordset($1::jsonb) AS x(subscription_id uuid, paper_id uuid, reasons jsonb)
         -- The subscription cache is a few seconds old: one paused or disabled since gets nothing.
         JOIN subscriptions s ON s.id = x.subscription_id AND s.status = 'active'
       ON CONFLICT (subscription_id, paper_id) DO NOTHING
       RETURNING id
     ), skipped AS (
       UPDATE deliveries d SET status = 'skipped', last_error = 'subscription disabled: ' || coalesce(s.status_reason, 'no reason given'), updated_at = now()
         FROM subscriptions s
        WHERE s.id = d.subscription_id AND s.status = 'disabled' AND d.paper_id = ANY($2::uuid[]) AND d.status = 'pending'
     )
     -- Sibling statements see the snapshot from before the insert: new rows come from RETURNING.
     SELECT id FROM inserted
     UNION
     SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.paper_id = ANY($2::uuid[]) AND d.status IN ('pending', 'sending') AND s.status = 'active'
     ORDER BY id`,
    [
      JSON.stringify(
        matches.map((m) => ({ subscription_id: m.subscriptionId, paper_id: m.paperId, reasons: m.reasons })),
      ),
      paperIds,
    ],
  );
  return pending.map((r) => r.id);
}

/**
 * Records a backfill's deliveries for one subscription: unique per subscription and paper, so a
 * paper already matched live, or by an earlier run of the same backfill, gets nothing new. Returns
 * the ids of every delivery of this subscription for `paperIds` still to send (new ones and any
 * left pending by an earlier run that crashed before its enqueue), none if it is no longer active.
 */
export async function recordBackfillDeliveries(
  db: Db,
  subscriptionId: string,
  matches: { paperId: string; reasons: string[] }[],
  paperIds: string[],
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `WITH inserted AS (
       INSERT INTO deliveries (subscription_id, paper_id, detail)
       SELECT s.id, x.paper_id, jsonb_build_object('reasons', x.reasons)
         FROM jsonb_to_recordset($2::jsonb) AS x(paper_id uuid, reasons jsonb)
         JOIN subscriptions s ON s.id = $1 AND s.status = 'active'
       ON CONFLICT (subscription_id, paper_id) DO NOTHING
       RETURNING id
     )
     -- Sibling statements see the snapshot from before the insert: new rows come from RETURNING.
     SELECT id FROM inserted
     UNION
     SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.subscription_id = $1 AND d.paper_id = ANY($3::uuid[]) AND d.status IN ('pending', 'sending')
        AND s.status = 'active'
     ORDER BY id`,
    [subscriptionId, JSON.stringify(matches.map((m) => ({ paper_id: m.paperId, reasons: m.reasons }))), paperIds],
  );
  return rows.map((r) => r.id);
}

/**
 * The delivery with its subscription and, only when it is a webhook that may be sent now, its
 * paper's rows (those `notifiedPaperRows` reads, as JSON): one statement for everything the payload needs.
 */
export async function deliveryWithPaperRows(db: Db, id: string): Promise<DeliveryWithPaperRows | null> {
  const rows: (DeliveryRow & { s: SubscriptionRow; paper: DeliveryPaperRows | null })[] = await db.query(
    `SELECT d.id, d.subscription_id, d.paper_id, d.digest_key, d.detail, d.status, d.attempts, d.created_at,
            to_jsonb(s.*) AS s,
            CASE WHEN s.channel = 'webhook' AND s.status = 'active' AND d.status IN ('pending', 'sending') THEN (
              SELECT json_build_object(
                'paper', row_to_json(p),
                'topics', (SELECT json_agg(t) FROM (SELECT ${TOPIC_COLUMNS} FROM paper_topics
                              WHERE paper_id = p.id ORDER BY score DESC) t),
                'claims', (SELECT json_agg(c) FROM (SELECT ${CLAIM_COLUMNS} FROM paper_claims
                              WHERE paper_id = p.id ORDER BY start) c),
                'sources', (SELECT json_agg(x) FROM (SELECT ${SOURCE_COLUMNS} FROM ${SOURCES_FROM}
                              WHERE ps.paper_id = p.id) x))
                FROM (SELECT ${PAPER_COLUMNS} FROM papers WHERE id = d.paper_id) p)
            END AS paper
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const { s, paper, ...delivery } = row;
  return { delivery, subscription: s, paper };
}

export async function markDeliverySkipped(db: Db, id: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'skipped', last_error = $2, updated_at = now() WHERE id = $1 AND status IN ('pending', 'sending')`,
    [id, reason.slice(0, 2000)],
  );
}

/** sending: an attempt is in flight (a crash here means a retry with the same webhook-id). */
export async function markDeliverySending(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** One statement updates both rows, so it is as atomic as a transaction without its round trips. */
export async function markDeliveryDelivered(
  db: Db,
  id: string,
  subscriptionId: string,
  status: number | null,
): Promise<void> {
  await db.query(
    `WITH delivered AS (
       UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_status_code = $2, last_error = NULL, updated_at = now()
        WHERE id = $1
     )
     UPDATE subscriptions SET consecutive_failures = 0 WHERE id = $3 AND consecutive_failures <> 0`,
    [id, status, subscriptionId],
  );
}

/** A failed attempt: its delivery and the subscription's failure streak afterwards. */
export interface RecordedFailure {
  /** the subscription's status afterwards ('unknown' when it is gone) */
  status: string;
  consecutiveFailures: number;
}

/**
 * Records a failed attempt: the delivery is pending again (retried) or failed for good, the
 * subscription's failure streak grows by one and a 410 Gone disables it. One statement, so atomic.
 * Whether the streak pauses the endpoint is the caller's rule (libs/notifications `shouldPauseEndpoint`),
 * applied with `pauseActiveSubscription`.
 */
export async function recordDeliveryFailure(
  db: Db,
  id: string,
  subscriptionId: string,
  opts: { status: number | null; error: string; final: boolean; gone: boolean },
): Promise<RecordedFailure> {
  const res: unknown = await db.query(
    `WITH failed AS (
       UPDATE deliveries SET status = $3, last_status_code = $4, last_error = $5, updated_at = now() WHERE id = $2
     )
     UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1,
            status = CASE WHEN $6 THEN 'disabled' ELSE status END,
            status_reason = CASE WHEN $6 THEN 'endpoint answered 410 Gone' ELSE status_reason END,
            updated_at = now()
      WHERE id = $1 RETURNING status, consecutive_failures`,
    [subscriptionId, id, opts.final ? 'failed' : 'pending', opts.status, opts.error.slice(0, 2000), opts.gone],
  );
  const row = returnedRows<{ status: string; consecutive_failures: number }>(res)[0];
  return { status: row?.status ?? 'unknown', consecutiveFailures: row?.consecutive_failures ?? 0 };
}

/**
 * Pauses a subscription that is still active (a paused or disabled one keeps its status and reason);
 * paused_at is set by the subscriptions_paused_at trigger, so resuming backfills what the subscriber
 * missed while their endpoint was down. Returns the status afterwards.
 */
export async function pauseActiveSubscription(db: Db, subscriptionId: string, reason: string): Promise<string> {
  const rows: { status: string }[] = await db.query(
    `WITH paused AS (
       UPDATE subscriptions SET status = 'paused', status_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'active' RETURNING status
     )
     SELECT status FROM paused UNION ALL SELECT status FROM subscriptions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM paused)`,
    [subscriptionId, reason.slice(0, 2000)],
  );
  return rows[0]?.status ?? 'unknown';
}

/** Papers carried by the subscription's other digests created since `since` (sent or on their way). */
export async function papersInOtherDigests(
  db: Db,
  subscriptionId: string,
  exceptKey: string,
  since: Date,
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT DISTINCT jsonb_array_elements_text(detail->'papers') AS id FROM deliveries
      WHERE subscription_id = $1 AND digest_key IS NOT NULL AND digest_key <> $2 AND created_at >= $3
        AND status IN ('pending', 'sending', 'delivered') AND jsonb_typeof(detail->'papers') = 'array'`,
    [subscriptionId, exceptKey, since],
  );
  return rows.map((r) => r.id);
}

/**
 * The delivery of a subscription for a natural key (digest period, 'confirm'): created once, with
 * what it will carry fixed at creation so every retry sends the same content.
 */
export async function keyedDelivery(
  db: Db,
  subscriptionId: string,
  key: string,
  detail: Record<string, unknown>,
  status: 'pending' | 'skipped' = 'pending',
): Promise<KeyedDelivery> {
  const inserted: Omit<KeyedDelivery, 'created'>[] = await db.query(
    `INSERT INTO deliveries (subscription_id, digest_key, detail, status) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (subscription_id, digest_key) DO NOTHING RETURNING id, status, detail`,
    [subscriptionId, key, JSON.stringify(detail), status],
  );
  if (inserted[0]) return { ...inserted[0], created: true };
  const rows: Omit<KeyedDelivery, 'created'>[] = await db.query(
    `SELECT id, status, detail FROM deliveries WHERE subscription_id = $1 AND digest_key = $2`,
    [subscriptionId, key],
  );
  return { ...rows[0], created: false };
}

/** A keyed delivery was sent: it is delivered and the subscription's failure streak ends. */
export async function markKeyedDeliveryDone(
  db: DataSource,
  id: string,
  subscriptionId: string,
  lastDigestAt: Date | null,
): Promise<void> {
  await db.transaction(async (em) => {
    await em.query(
      `UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
    await em.query(
      `UPDATE subscriptions SET consecutive_failures = 0, last_digest_at = coalesce($2, last_digest_at), updated_at = now() WHERE id = $1`,
      [subscriptionId, lastDigestAt],
    );
  });
}

/** A keyed delivery's attempt failed: pending again (retried), or failed for good. */
export async function markDeliveryError(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await db.query(`UPDATE deliveries SET status = $2, last_error = $3, updated_at = now() WHERE id = $1`, [
    id,
    final ? 'failed' : 'pending',
    error.slice(0, 2000),
  ]);
}
