import type { SkippedEntry } from './sources';
import { PAPER_STAGES, type PaperStage } from '@paperwire/contracts';
import type { Db } from './sql';
import { foldCountDeltas } from './count-deltas';
import { DELIVERY_STATUSES, deliveryStatus, type ShownDeliveryStatus } from './delivery-log';
import { FAILED_DELIVERY_SQL } from '../migrations/1796020000000-deliveries-failed-index';

// The pipeline's health, as /v1/stats/pipeline, /ops and `paperwire stats` read it: counts by status
// over the operational tables, and throughput / latency per stage over the newest papers.

/** The stats window's bound: throughput and latency are measured over this many newest papers. */
export const RECENT_PAPERS = 5_000;

/** Each stage's timestamp column is measured from the previous stage's (parsed: no latency). */
const STAGE_FROM: Record<PaperStage, string | null> = {
  parsed: null,
  classified: 'parsed_at',
  extracted: 'classified_at',
  notified: 'extracted_at',
};

export interface StageTimingRow {
  stage: PaperStage;
  m1: number;
  m5: number;
  m60: number;
  p50: number | null;
  p95: number | null;
  samples: number;
}

/** Papers that reached each stage in the last 1 / 5 / 60 minutes, and the latency percentiles over the hour. */
export function stageTiming(db: Db): Promise<StageTimingRow[]> {
  const parts = PAPER_STAGES.map((stage) => {
    const col = `${stage}_at`;
    const from = STAGE_FROM[stage];
    const lat = from ? `extract(epoch from (${col} - ${from}))` : 'NULL::float8';
    // Column names come from the fixed stage list above, never from input.
    return `SELECT '${stage}' AS stage,
                count(*) FILTER (WHERE ${col} >= now() - interval '1 minute')::int AS m1,
                count(*) FILTER (WHERE ${col} >= now() - interval '5 minutes')::int AS m5,
                count(*)::int AS m60,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY ${lat}) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY ${lat}) AS p95,
                count(${lat})::int AS samples
           FROM recent WHERE ${col} >= now() - interval '60 minutes'`;
  });
  // Over the newest RECENT_PAPERS papers (idx_papers_created), never a scan of the catalogue: a paper
  // created earlier that moved stage within the hour (a re-classification) is not counted.
  return db.query(
    `WITH recent AS MATERIALIZED (
       SELECT s.* FROM (SELECT id FROM papers ORDER BY created_at DESC LIMIT ${RECENT_PAPERS}) p
       -- OFFSET 0 keeps this a lookup by primary key per paper (the planner would hash-join a scan of the stage table)
       CROSS JOIN LATERAL (SELECT * FROM paper_stages s WHERE s.paper_id = p.id OFFSET 0) s
     ) ${parts.join(' UNION ALL ')}`,
  );
}

/**
 * Failed raw documents: the sum of the 'failed' rows of `raw_document_counts` (migration 1796220000000), one range of
 * its index (the folded total and the deltas written since the sweeper last folded them), however many documents.
 */
export async function failedRawDocumentCount(db: Db): Promise<number> {
  const rows: { n: number }[] = await db.query(`SELECT coalesce(sum(documents), 0)::int AS n FROM raw_document_counts WHERE status = 'failed'`);
  return rows[0]?.n ?? 0;
}

const byStatus = (rows: { status: string; n: number }[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.status, r.n]));

/**
 * Deliveries waiting on paused subscriptions (stored pending or sending): `held`, not retrying; the resume sends them.
 * A range of idx_deliveries_status (the waiting deliveries only), whatever the number sent.
 */
export async function heldDeliveryCount(db: Db): Promise<number> {
  const rows: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.status IN ('pending', 'sending') AND s.status = 'paused'`,
  );
  return rows[0]?.n ?? 0;
}

export async function subscriptionsByStatus(db: Db): Promise<Record<string, number>> {
  return byStatus(await db.query(`SELECT status, count(*)::int AS n FROM subscriptions GROUP BY status`));
}

/**
 * Deliveries per status, named as the delivery log names them (`retrying`, not a stored `pending` that failed; `held`,
 * not `retrying`, while its subscription is paused: nothing retries it, its resume sends it).
 */
export async function deliveriesByStatus(db: Db): Promise<Record<string, number>> {
  const rows: { status: string; attempts: number; subscription_status: string; n: number }[] = await db.query(
    `SELECT d.status, least(d.attempts, 2) AS attempts,
            CASE WHEN d.status IN ('pending', 'sending') AND s.status = 'paused' THEN 'paused' ELSE '' END AS subscription_status,
            count(*)::int AS n
       FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id GROUP BY 1, 2, 3`,
  );
  const out: Partial<Record<ShownDeliveryStatus, number>> = {};
  for (const r of rows) {
    const status = deliveryStatus(r.status, r.attempts, r.subscription_status);
    out[status] = (out[status] ?? 0) + r.n;
  }
  return Object.fromEntries(DELIVERY_STATUSES.filter((k) => out[k] !== undefined).map((k) => [k, out[k]!]));
}

/** Raw documents per status (those with any): `raw_document_counts`' rows summed, a few per status (see failedRawDocumentCount). */
export async function rawDocumentsByStatus(db: Db): Promise<Record<string, number>> {
  return byStatus(
    await db.query(`SELECT status, sum(documents)::int AS n FROM raw_document_counts GROUP BY status HAVING sum(documents) <> 0 ORDER BY status`),
  );
}

/** The sweeper's fold of `raw_document_counts` (migration 1796220000000; see foldCountDeltas). */
export function compactRawDocumentCounts(db: Db, limit: number): Promise<number> {
  return foldCountDeltas(db, 'raw_document_counts', ['status'], 'documents', limit);
}

/**
 * The newest failed raw documents that are still a problem: not those of a source that recovered since (a fetch
 * succeeded after the document failed, and the source is not failing from a document: it serves another one, or
 * the same good bytes again). An upload's failed document stays listed (the next upload does not mend it).
 */
export function failedRawDocuments(db: Db, limit = 20): Promise<{ id: string; url: string | null; error: string | null }[]> {
  return db.query(
    `SELECT d.id, d.url, d.error FROM raw_documents d LEFT JOIN sources s ON s.id = d.source_id
      WHERE d.status = 'failed'
        AND (s.id IS NULL OR s.kind = 'upload' OR s.last_error_from = 'parse' OR s.last_success_at IS NULL OR s.last_success_at <= d.parsed_at)
      ORDER BY d.parsed_at DESC LIMIT $1`,
    [limit],
  );
}

/** Row counts of the catalogue's tables. */
export async function catalogueCounts(db: Db): Promise<{ papers: number; topics: number; paperTopics: number; claims: number }> {
  const rows: { papers: number; topics: number; paper_topics: number; claims: number }[] = await db.query(
    `SELECT (SELECT count(*)::int FROM papers) AS papers, (SELECT count(*)::int FROM topics WHERE enabled) AS topics,
              (SELECT count(*)::int FROM paper_topics) AS paper_topics, (SELECT count(*)::int FROM paper_claims) AS claims`,
  );
  const r = rows[0];
  return { papers: r.papers, topics: r.topics, paperTopics: r.paper_topics, claims: r.claims };
}

/** A source's fetch health as stored. */
export interface SourceHealthRow {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  enabled: boolean;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  /** failed fetch attempts in a row, retries included */
  consecutive_failures: number;
  /** polls in a row that failed for good (their job gave up) */
  failed_polls: number;
  /** when the current run of failures began (its first failed attempt); null while it works (or for a run older than the column) */
  failing_since: Date | null;
  /** poll interval; null: polled on demand only */
  every_seconds: number | null;
  /** the operator let it reach private addresses (its URL names a host on the operator's network) */
  allow_private: boolean;
  last_item_count: number | null;
  /** entries the latest parsed document skipped, and the first few with why */
  skipped_entries: number | null;
  skipped_sample: SkippedEntry[] | null;
  /** seconds since the last success, null when never */
  lag: number | null;
}

export function sourceHealthRows(db: Db): Promise<SourceHealthRow[]> {
  return db.query(
    `SELECT id, name, kind, url, enabled, last_attempt_at, last_success_at, last_status, last_error, consecutive_failures, failed_polls, failing_since,
            every_seconds, allow_private, last_item_count, skipped_entries, skipped_sample,
              extract(epoch from (now() - last_success_at))::float8 AS lag
         FROM sources ORDER BY name`,
  );
}

export interface FailingEndpointRow {
  id: string;
  name: string;
  channel: string;
  target: string;
  status: string;
  status_reason: string | null;
  consecutive_failures: number;
  /** the latest failed attempt's error text (deliveries.last_error), null when it had none */
  last_error: string | null;
  /** the latest failed attempt's HTTP status, null when there was no response */
  last_status_code: number | null;
}

/** How many failing endpoints /ops, GET /v1/stats/pipeline and `paperwire stats` list (the count says how many more). */
export const FAILING_ENDPOINTS_LISTED = 50;

/**
 * Subscriptions whose endpoint failed its latest deliveries (one success resets the count): the ones still
 * failing, paused after a run of failures, or disabled by a 410. Most failures in a row first. With each, its
 * latest failed attempt (an active endpoint has no status_reason: that failure is its reason), read for the listed
 * ones only: one descent each of idx_deliveries_failed (its predicate, FAILED_DELIVERY_SQL, whose columns resolve to `d` here).
 */
export function failingEndpointRows(db: Db, limit = FAILING_ENDPOINTS_LISTED): Promise<FailingEndpointRow[]> {
  return db.query(
    `SELECT s.id, s.name, s.channel, s.target, s.status, s.status_reason, s.consecutive_failures, f.last_error, f.last_status_code
       FROM (SELECT * FROM subscriptions WHERE consecutive_failures > 0
              ORDER BY consecutive_failures DESC, updated_at DESC, id LIMIT $1) s
       LEFT JOIN LATERAL (
         SELECT d.last_error, d.last_status_code FROM deliveries d
          WHERE d.subscription_id = s.id AND ${FAILED_DELIVERY_SQL}
          ORDER BY d.updated_at DESC LIMIT 1) f ON true
      ORDER BY s.consecutive_failures DESC, s.updated_at DESC, s.id`,
    [limit],
  );
}

/**
 * How many subscriptions' endpoints are failing (consecutive_failures > 0): an index-only count of the partial
 * index idx_subscriptions_failing (its rows are those subscriptions only, however many others there are).
 */
export async function failingEndpointCount(db: Db): Promise<number> {
  const rows: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM subscriptions WHERE consecutive_failures > 0`);
  return rows[0]?.n ?? 0;
}

/** Failing endpoints counted per channel and status (no ids, names or targets: what a public view may show). */
export interface FailingEndpointCounts {
  total: number;
  byChannel: { webhook: number; email: number };
  byStatus: { active: number; paused: number; disabled: number };
}

/** FailingEndpointCounts from the partial index idx_subscriptions_failing's rows (the failing subscriptions only). */
export async function failingEndpointCounts(db: Db): Promise<FailingEndpointCounts> {
  const rows: { channel: string; status: string; n: number }[] = await db.query(
    `SELECT channel, status, count(*)::int AS n FROM subscriptions WHERE consecutive_failures > 0 GROUP BY channel, status`,
  );
  const sum = (pick: (r: { channel: string; status: string }) => boolean) => rows.filter(pick).reduce((a, r) => a + r.n, 0);
  return {
    total: sum(() => true),
    byChannel: { webhook: sum((r) => r.channel === 'webhook'), email: sum((r) => r.channel === 'email') },
    byStatus: { active: sum((r) => r.status === 'active'), paused: sum((r) => r.status === 'paused'), disabled: sum((r) => r.status === 'disabled') },
  };
}
