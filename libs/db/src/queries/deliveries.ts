import type { DataSource, EntityManager } from 'typeorm';
import {
  CLAIM_COLUMNS,
  PAPER_COLUMNS,
  TOPIC_SCORE_COLUMNS,
  type NotifiedClaimRow,
  type NotifiedPaperRow,
  type NotifiedSourceRow,
  type NotifiedTopicRow,
} from './notified-papers';
import type { SubscriptionRow } from './subscriptions-matching';
import { namedQuery } from './bulk';
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
  /** attempts of the runs before its last redelivery (0: never redelivered) */
  earlier_attempts: number;
  created_at: Date;
}

/**
 * The rows of one paper, as `deliveriesToSend` returns them in one JSON value: what a webhook payload
 * reads, so topics without their evidence and no sources (`sources` is always absent).
 */
export interface DeliveryPaperRows {
  paper: NotifiedPaperRow;
  topics: NotifiedTopicRow[] | null;
  claims: NotifiedClaimRow[] | null;
  sources?: NotifiedSourceRow[] | null;
}

/** A delivery as a deliver job sees it: claimed for this job or not, and why not. */
export interface DeliveryToSend {
  delivery: DeliveryRow;
  subscription: SubscriptionRow;
  /** the paper's rows, only for a webhook that may be sent now (claimed, or sendable when only read) */
  paper: DeliveryPaperRows | null;
  /** this job holds the `sending` claim: it, and nobody else, sends now */
  claimed: boolean;
  /** marked skipped now: its subscription is disabled */
  skipped: boolean;
  /** seconds since the row last changed (how old a claim held by another job is) */
  idleSeconds: number;
}

/** A delivery of a subscription under a natural key (digest period, 'confirm'). */
export interface KeyedDelivery {
  id: string;
  status: string;
  detail: Record<string, unknown>;
  /** when the delivery was made: the event time its messages carry, the same on every retry */
  created_at: Date;
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
 * Re-enabling a subscription disabled by a 410 (its owner fixed the endpoint): its paper deliveries the 410 ended
 * since `since` — failed with the 410, or skipped (never sent) while it was disabled — go back to pending as a fresh
 * run of attempts (those made are kept in earlier_attempts; the error until the next attempt), oldest first, at most
 * `limit`. The resume's backfill job sends them (pendingDeliveriesOf). Returns how many.
 */
export async function reopenDeliveriesMissedWhileGone(db: Db, subscriptionId: string, since: Date, limit: number): Promise<number> {
  const rows: { id: string }[] = returnedRows(
    await db.query(
      `UPDATE deliveries d SET status = 'pending', earlier_attempts = d.earlier_attempts + d.attempts, attempts = 0,
              claimed_by = NULL, next_attempt_at = now(), updated_at = now()
        WHERE d.id IN (SELECT id FROM deliveries
                        WHERE subscription_id = $1 AND paper_id IS NOT NULL AND updated_at >= $2
                          AND ((status = 'failed' AND last_status_code = 410) OR (status = 'skipped' AND last_error LIKE 'subscription disabled%'))
                        ORDER BY created_at, id LIMIT $3)
       RETURNING d.id`,
      [subscriptionId, since, limit],
    ),
  );
  return rows.length;
}

/**
 * Records the deliveries of live matching (one per subscription and paper, whatever the number of
 * runs). Returns the ids (and subscriptions) of every delivery of `paperIds` still to send (new ones and any left pending
 * by an earlier run, e.g. a crash before the enqueue). Pending deliveries of disabled subscriptions
 * (unsubscribed, 410) will never be sent: they are marked skipped in the same statement, which sees
 * every subscription in one snapshot, so each one is either active (its deliveries are returned) or
 * disabled (they are skipped); the deliver job re-checks the subscription anyway.
 *
 * Only papers new to a subscription get a delivery: a paper at its first pass through `notify`
 * (first_notified_at null: new, or a new content hash) matches as it is; a paper sent through the pipeline again
 * (reclassify / reextract) that now matches a subscription it was never delivered to gets a delivery only if it
 * first reached `notified` after the subscription was created and at or after `renotifyFrom` (the backfill window:
 * what a resume would still send). A paper already delivered, or recorded in any status, gets nothing new (unique per
 * subscription and paper).
 */
export async function recordMatchedDeliveries(
  db: Db,
  matches: MatchedDelivery[],
  paperIds: string[],
  renotifyFrom: Date,
): Promise<{ id: string; subscriptionId: string }[]> {
  const pending = await namedQuery<{ id: string; subscription_id: string }>(
    db,
    'pw_record_matched_deliveries',
    `WITH inserted AS (
       INSERT INTO deliveries (subscription_id, paper_id, detail)
       SELECT x.subscription_id, x.paper_id, jsonb_build_object('reasons', x.reasons)
         FROM jsonb_to_recordset($1::jsonb) AS x(subscription_id uuid, paper_id uuid, reasons jsonb)
         -- The subscription cache is a few seconds old: one paused or disabled since gets nothing.
         JOIN subscriptions s ON s.id = x.subscription_id AND s.status = 'active'
         JOIN paper_stages ps ON ps.paper_id = x.paper_id
        -- new to the subscription: a first pass, or a reprocessed paper first notified since it exists and in the window
        WHERE ps.first_notified_at IS NULL OR (ps.first_notified_at >= s.created_at AND ps.first_notified_at >= $3)
       ON CONFLICT (subscription_id, paper_id) DO NOTHING
       RETURNING id, subscription_id
     ), skipped AS (
       UPDATE deliveries d SET status = 'skipped', last_error = 'subscription disabled: ' || coalesce(s.status_reason, 'no reason given'), updated_at = now()
         FROM subscriptions s
        WHERE s.id = d.subscription_id AND s.status = 'disabled' AND d.paper_id = ANY($2::uuid[]) AND d.status = 'pending'
     )
     -- Sibling statements see the snapshot from before the insert: new rows come from RETURNING.
     SELECT id, subscription_id FROM inserted
     UNION
     SELECT d.id, d.subscription_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.paper_id = ANY($2::uuid[]) AND d.status IN ('pending', 'sending') AND s.status = 'active'
     ORDER BY id`,
    [
      JSON.stringify(
        matches.map((m) => ({ subscription_id: m.subscriptionId, paper_id: m.paperId, reasons: m.reasons })),
      ),
      paperIds,
      renotifyFrom,
    ],
  );
  return pending.map((r) => ({ id: r.id, subscriptionId: r.subscription_id }));
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
    [
      subscriptionId,
      JSON.stringify(matches.map((m) => ({ paper_id: m.paperId, reasons: m.reasons }))),
      paperIds,
    ],
  );
  return rows.map((r) => r.id);
}

/**
 * The deliveries a deliver job was given, claimed for it with a compare-and-set in the same statement
 * (`claim` unset: only read). A row is claimed when its subscription is active and the row is pending,
 * or sending under a claim of this very job (it crashed mid-send and BullMQ runs it again) or under a
 * claim older than `leaseSeconds` (its job is gone). Rows of disabled subscriptions (unsubscribed,
 * 410) are marked skipped. Claimed webhook rows come with their paper's rows (those
 * `notifiedPaperRows` reads, as JSON, less what no payload reads: topic evidence, sources): one round
 * trip for everything a batch needs before sending.
 * Under READ COMMITTED a concurrent claimer re-checks the WHERE of the UPDATE against the committed
 * row, so two jobs never both claim one delivery.
 */
export async function deliveriesToSend(
  db: Db,
  ids: string[],
  claim?: { by: string; leaseSeconds: number },
): Promise<DeliveryToSend[]> {
  const rows = await namedQuery<
    DeliveryRow & {
      s: SubscriptionRow;
      paper: DeliveryPaperRows | null;
      claimed: boolean;
      skipped: boolean;
      idle_seconds: number;
    }
  >(
    db,
    'pw_deliveries_to_send',
    `WITH skipped AS (
       UPDATE deliveries d SET status = 'skipped', claimed_by = NULL, updated_at = now(),
              last_error = 'subscription disabled: ' || coalesce(s.status_reason, 'no reason given')
         FROM subscriptions s
        WHERE $2::text IS NOT NULL AND d.id = ANY($1::uuid[]) AND s.id = d.subscription_id
          AND s.status = 'disabled' AND d.status IN ('pending', 'sending')
       RETURNING d.id
     ), claimed AS (
       UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, claimed_by = $2, updated_at = now(),
              next_attempt_at = NULL
         FROM subscriptions s
        WHERE $2::text IS NOT NULL AND d.id = ANY($1::uuid[]) AND s.id = d.subscription_id AND s.status = 'active'
          AND (d.status = 'pending' OR (d.status = 'sending'
               AND (d.claimed_by = $2 OR d.updated_at < now() - make_interval(secs => $3))))
       RETURNING d.id, d.status, d.attempts
     )
     SELECT d.id, d.subscription_id, d.paper_id, d.digest_key, d.detail, coalesce(c.status, d.status) AS status,
            coalesce(c.attempts, d.attempts) AS attempts, d.earlier_attempts, d.created_at, to_jsonb(s.*) AS s,
            c.id IS NOT NULL AS claimed, k.id IS NOT NULL AS skipped,
            extract(epoch FROM now() - d.updated_at)::float8 AS idle_seconds,
            CASE WHEN s.channel = 'webhook' AND (c.id IS NOT NULL
                   OR ($2::text IS NULL AND s.status = 'active' AND d.status IN ('pending', 'sending'))) THEN (
              SELECT json_build_object(
                'paper', row_to_json(p),
                'topics', (SELECT json_agg(t) FROM (SELECT ${TOPIC_SCORE_COLUMNS} FROM paper_topics
                              WHERE paper_id = p.id ORDER BY score DESC) t),
                'claims', (SELECT json_agg(c) FROM (SELECT ${CLAIM_COLUMNS} FROM paper_claims
                              WHERE paper_id = p.id ORDER BY start) c))
                FROM (SELECT ${PAPER_COLUMNS} FROM papers WHERE id = d.paper_id) p)
            END AS paper
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       LEFT JOIN claimed c ON c.id = d.id LEFT JOIN skipped k ON k.id = d.id
      WHERE d.id = ANY($1::uuid[])
      ORDER BY d.created_at, d.id`,
    [ids, claim?.by ?? null, claim?.leaseSeconds ?? 0],
  );
  return rows.map(({ s, paper, claimed, skipped, idle_seconds, ...delivery }) => ({
    delivery: skipped ? { ...delivery, status: 'skipped' } : delivery,
    subscription: s,
    paper,
    claimed,
    skipped,
    idleSeconds: idle_seconds,
  }));
}

/** What one attempt at a delivery came to. */
export interface DeliveryOutcome {
  id: string;
  /** delivered; pending: retried later; failed: for good; skipped: never sent (the endpoint is gone) */
  status: 'delivered' | 'pending' | 'failed' | 'skipped';
  statusCode: number | null;
  error: string | null;
  /** pending: in how long its retry job runs (recorded as next_attempt_at, shown in the delivery log) */
  retryInMs?: number | null;
}

/** The subscription after a batch of outcomes. */
export interface RecordedOutcomes {
  /** the subscription's status afterwards ('unknown' when it is gone) */
  status: string;
  consecutiveFailures: number;
  failedMessages: number;
}

/** A failure streak a batch leaves: whether it succeeded, the failures it adds, those after its last success. */
export interface StreakChange {
  succeeded: boolean;
  failures: number;
  trailingFailures: number;
}

/** Why a subscription is disabled after its endpoint answered 410 (its owner re-enables it once the endpoint is fixed). */
export const ENDPOINT_GONE_REASON = 'endpoint answered 410 Gone';

/**
 * Records the outcomes of a batch of attempts to one subscription's endpoint in one statement: each
 * delivery's status, and the subscription's two failure streaks (`failures` added, or reset to
 * `trailingFailures` when the batch succeeded: the failures after the last success): failed attempts
 * (`consecutive_failures`, /ops) and messages failed for good (`failed_messages`); `gone` disables the
 * subscription (410). Whether the streak pauses the endpoint is the caller's rule (libs/notifications
 * `shouldPauseEndpoint` on failed messages), applied with `pauseActiveSubscription`.
 */
export async function recordDeliveryOutcomes(
  db: Db,
  subscriptionId: string,
  outcomes: DeliveryOutcome[],
  streak: { attempts: StreakChange; messages: StreakChange; gone: boolean },
): Promise<RecordedOutcomes> {
  const rows = await namedQuery<{ status: string; consecutive_failures: number; failed_messages: number }>(
    db,
    'pw_record_delivery_outcomes',
    `WITH recorded AS (
       -- a skipped one was claimed (an attempt counted) but never sent: the attempt is taken back
       UPDATE deliveries d SET status = x.status, last_status_code = x.status_code,
              attempts = CASE WHEN x.status = 'skipped' THEN greatest(d.attempts - 1, 0) ELSE d.attempts END,
              last_error = left(x.error, 2000), claimed_by = NULL, updated_at = now(),
              delivered_at = CASE WHEN x.status = 'delivered' THEN now() ELSE d.delivered_at END,
              next_attempt_at = CASE WHEN x.status = 'pending' AND x.retry_in_ms IS NOT NULL
                                     THEN now() + make_interval(secs => x.retry_in_ms / 1000.0) END
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, status text, status_code int, error text, retry_in_ms float8)
        WHERE d.id = x.id
     ), streak AS (
       -- The subscription row is written only when a streak or its status changes (most batches succeed).
       UPDATE subscriptions SET
              consecutive_failures = CASE WHEN $3 THEN $5 ELSE consecutive_failures + $4 END,
              failed_messages = CASE WHEN $7 THEN $9 ELSE failed_messages + $8 END,
              status = CASE WHEN $6 THEN 'disabled' ELSE status END,
              status_reason = CASE WHEN $6 THEN 'endpoint answered 410 Gone' ELSE status_reason END,
              updated_at = now()
        WHERE id = $1 AND ($6 OR consecutive_failures <> CASE WHEN $3 THEN $5 ELSE consecutive_failures + $4 END
                             OR failed_messages <> CASE WHEN $7 THEN $9 ELSE failed_messages + $8 END)
       RETURNING status, consecutive_failures, failed_messages
     )
     SELECT status, consecutive_failures, failed_messages FROM streak
     UNION ALL
     SELECT status, consecutive_failures, failed_messages FROM subscriptions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM streak)`,
    [
      subscriptionId,
      JSON.stringify(
        outcomes.map((o) => ({
          id: o.id,
          status: o.status,
          status_code: o.statusCode,
          error: o.error,
          retry_in_ms: o.retryInMs ?? null,
        })),
      ),
      streak.attempts.succeeded,
      streak.attempts.failures,
      streak.attempts.trailingFailures,
      streak.gone,
      streak.messages.succeeded,
      streak.messages.failures,
      streak.messages.trailingFailures,
    ],
  );
  const row = rows[0];
  return {
    status: row?.status ?? 'unknown',
    consecutiveFailures: row?.consecutive_failures ?? 0,
    failedMessages: row?.failed_messages ?? 0,
  };
}

/**
 * Pauses a subscription that is still active (a paused or disabled one keeps its status and reason);
 * paused_at is set by the subscriptions_paused_at trigger, so resuming backfills what the subscriber
 * missed while their endpoint was down. Returns the status afterwards.
 */
export async function pauseActiveSubscription(
  db: Db,
  subscriptionId: string,
  reason: string,
): Promise<string> {
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
  /** a digest's papers left out, in its order: kept in digest_left_out with the delivery, in the same statement */
  leftOut: readonly string[] = [],
): Promise<KeyedDelivery> {
  const inserted: Omit<KeyedDelivery, 'created'>[] = await db.query(
    `WITH made AS (
       INSERT INTO deliveries (subscription_id, digest_key, detail, status) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (subscription_id, digest_key) DO NOTHING RETURNING id, status, detail, created_at
     ), kept AS (
       INSERT INTO digest_left_out (delivery_id, position, paper_id)
       SELECT made.id, o.i, o.v FROM made, unnest($5::uuid[]) WITH ORDINALITY AS o(v, i)
     )
     SELECT * FROM made`,
    [subscriptionId, key, JSON.stringify(detail), status, leftOut],
  );
  if (inserted[0]) return { ...inserted[0], created: true };
  const rows: Omit<KeyedDelivery, 'created'>[] = await db.query(
    `SELECT id, status, detail, created_at FROM deliveries WHERE subscription_id = $1 AND digest_key = $2`,
    [subscriptionId, key],
  );
  return { ...rows[0], created: false };
}

/** An attempt at a keyed delivery (digest, confirmation) is in flight: one job per key sends it. */
export async function markKeyedDeliveryAttempt(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** A keyed delivery was sent: it is delivered and the subscription's failure streak ends. */
export async function markKeyedDeliveryDone(
  db: DataSource,
  id: string,
  subscriptionId: string,
  lastDigestAt: Date | null,
  /** the HTTP status of the send that delivered it (a webhook's); null for a mail, clearing an earlier failure's */
  statusCode: number | null = null,
): Promise<void> {
  await db.transaction(async (em) => {
    await em.query(
      `UPDATE deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL, last_status_code = $2, updated_at = now() WHERE id = $1`,
      [id, statusCode],
    );
    await em.query(
      `UPDATE subscriptions SET consecutive_failures = 0, failed_messages = 0, last_digest_at = coalesce($2, last_digest_at), updated_at = now() WHERE id = $1`,
      [subscriptionId, lastDigestAt],
    );
  });
}

/**
 * A keyed delivery's attempt failed: pending again (retried), or failed for good. When its retry runs is not known
 * yet (the queue picks the delay as it moves the job): `markDeliveryRetryAt` records it then.
 */
export async function markDeliveryError(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await db.query(`UPDATE deliveries SET status = $2, last_error = $3, next_attempt_at = NULL, updated_at = now() WHERE id = $1`, [
    id,
    final ? 'failed' : 'pending',
    error.slice(0, 2000),
  ]);
}

/** One page of the papers a capped digest left out, with what the page says the digest was (never its address). */
export interface DigestLeftOutPage {
  id: string;
  /** the digest's period key (`2026-12-07`, `2026-W49`) or `on-demand:{ISO time}` */
  digestKey: string;
  subscriptionName: string;
  mode: string;
  period: { start: string; end: string } | null;
  /** every paper of the period that matched (null: a digest made before it was counted) */
  total: number | null;
  capped: boolean;
  /** how many papers it left out; null for a digest made before the left-out list was kept */
  leftOutCount: number | null;
  /** the page's ids, in digest order */
  ids: string[];
  /** the period page such an older digest linked instead */
  restUrl: string | null;
}

/**
 * Whether a digest delivery `d` kept its left-out list in digest_left_out: `detail.leftOutKept` (`detail.leftOut`, the
 * count digests stored until 2026-12-07, says so too); neither: a digest made before the list was kept.
 */
const LEFT_OUT_KEPT = `(d.detail->'leftOutKept' = 'true'::jsonb OR jsonb_typeof(d.detail->'leftOut') = 'number')`;
/** How many papers digest delivery `d` left out, from its list (positions 1…n: the last one, by primary key). */
const LEFT_OUT_COUNT = `(SELECT coalesce(max(l.position), 0) FROM digest_left_out l WHERE l.delivery_id = d.id)`;

/** How many papers a digest left out; null for a digest made before the left-out list was kept. */
export async function digestLeftOutCount(db: Db, id: string): Promise<number | null> {
  const rows: { n: number | null }[] = await db.query(
    `SELECT CASE WHEN ${LEFT_OUT_KEPT} THEN ${LEFT_OUT_COUNT} END AS n FROM deliveries d WHERE d.id = $1`,
    [id],
  );
  return rows[0]?.n ?? null;
}

/**
 * The digest (not a confirmation, not an instant delivery) with this delivery id, and `limit` of the papers it left
 * out from position `offset` (0-based): the delivery by primary key and one primary-key range of digest_left_out, so a
 * page costs its 50 rows whatever the digest's size. Null when there is no such digest. The left-out count is the
 * list's (its last position), null for a digest made before the list was kept.
 */
export async function digestLeftOutPage(db: Db, id: string, offset: number, limit: number): Promise<DigestLeftOutPage | null> {
  const rows: {
    id: string;
    digest_key: string;
    name: string;
    mode: string;
    period: { start: string; end: string } | null;
    total: number | null;
    capped: boolean | null;
    left_out_count: number | null;
    ids: string[];
    rest_url: string | null;
  }[] = await db.query(
    `SELECT d.id, d.digest_key, s.name, s.mode, d.detail->'period' AS period,
            CASE WHEN jsonb_typeof(d.detail->'total') = 'number' THEN (d.detail->>'total')::int END AS total,
            d.detail->'capped' = 'true'::jsonb AS capped,
            CASE WHEN ${LEFT_OUT_KEPT} THEN ${LEFT_OUT_COUNT} END AS left_out_count,
            ARRAY(SELECT l.paper_id FROM digest_left_out l
                   WHERE l.delivery_id = d.id AND l.position > $2 AND ${LEFT_OUT_KEPT}
                   ORDER BY l.position LIMIT $3) AS ids,
            d.detail->>'restUrl' AS rest_url
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.id = $1 AND d.paper_id IS NULL AND d.digest_key IS NOT NULL AND d.detail ? 'period'`,
    [id, offset, limit],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    digestKey: r.digest_key,
    subscriptionName: r.name,
    mode: r.mode,
    period: r.period,
    total: r.total,
    capped: r.capped === true,
    leftOutCount: r.left_out_count,
    ids: r.ids,
    restUrl: r.rest_url,
  };
}

/** A keyed delivery waiting for its retry: the retry runs in `delayMs` (shown as the delivery log's nextAttemptAt). */
export async function markDeliveryRetryAt(db: Db, id: string, delayMs: number): Promise<void> {
  await db.query(
    `UPDATE deliveries SET next_attempt_at = now() + make_interval(secs => $2 / 1000.0) WHERE id = $1 AND status = 'pending'`,
    [id, delayMs],
  );
}

/** The status of each of these deliveries that exists (by primary key: the failed-jobs views check their jobs' deliveries). */
export async function deliveryStatuses(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; status: string }[] = await db.query(`SELECT id, status FROM deliveries WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.status]));
}
