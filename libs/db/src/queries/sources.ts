import { namedQuery } from './bulk';
import { returnedRows, type Db } from './sql';

/** The columns a caller may write (operator-only `allow_private` included: the action decides who may). */
export interface SourceValues {
  name: string;
  kind: string;
  url: string | null;
  params: Record<string, unknown>;
  every_seconds: number | null;
  enabled: boolean;
  allow_private: boolean;
  min_interval_ms: number;
}

/** A `sources` row as Postgres returns it: what callers write, and what the fetcher records. */
export interface SourceRow extends SourceValues {
  id: string;
  /** the fetcher's resume point (OAI-PMH resumption token and page count) */
  checkpoint: Record<string, unknown> | null;
  etag: string | null;
  last_modified: string | null;
  /** OAI-PMH: the day the last complete harvest started (the next one asks `from` it) */
  harvested_until: string | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  /** where last_error and the streak came from: the fetch, or the latest document ('parse': it could not be parsed) */
  last_error_from: 'fetch' | 'parse' | null;
  /** the parse failure of the document it serves (null: it parsed, or is not parsed yet); a 304 keeps the source failing with it */
  served_document_error: string | null;
  /** failed fetch attempts in a row, retries included (a document that could not be parsed counts as one) */
  consecutive_failures: number;
  /** polls in a row that failed for good (their job gave up) */
  failed_polls: number;
  /** when the current run of failures began (its first failed attempt); null while it works */
  failing_since: Date | null;
  newest_item_at: Date | null;
  last_item_count: number | null;
  /** entries the latest parsed document skipped, and the first few with their reasons */
  skipped_entries: number | null;
  skipped_sample: SkippedEntry[] | null;
  created_at: Date;
  updated_at: Date;
}

/** An entry a document skipped (raw_documents.entry_errors): its place or id, and why. */
export interface SkippedEntry {
  /** its position in the document, from 0 (shown from 1: `entry 4`) */
  index?: number;
  /** its line, from 1, in a line format (JSON Lines, a text capture): shown as `line 5` */
  line?: number;
  id?: string;
  message: string;
}

/** Skipped entries kept on the source row for `sources list`, `stats` and /ops (the document keeps them all). */
export const SKIPPED_SAMPLE_SIZE = 5;

export type SourcePatch = Partial<SourceValues>;

const WRITABLE: readonly (keyof SourceValues)[] = ['name', 'kind', 'url', 'params', 'every_seconds', 'enabled', 'allow_private', 'min_interval_ms'];

/** Postgres unique_violation: a source with that name exists. */
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: string }).code === '23505';

export async function listSourceRows(db: Db): Promise<SourceRow[]> {
  return db.query(`SELECT * FROM sources ORDER BY name`);
}

export async function getSource(db: Db, id: string): Promise<SourceRow | null> {
  const rows: SourceRow[] = await db.query(`SELECT * FROM sources WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findSourceByName(db: Db, name: string): Promise<SourceRow | null> {
  const rows: SourceRow[] = await db.query(`SELECT * FROM sources WHERE name = $1`, [name]);
  return rows[0] ?? null;
}

const valuesOf = (v: SourceValues) => [v.name, v.kind, v.url, JSON.stringify(v.params), v.every_seconds, v.enabled, v.allow_private, v.min_interval_ms];

/** Inserts a source; a taken name throws Postgres' unique violation (see isUniqueViolation). */
export async function insertSource(db: Db, v: SourceValues): Promise<SourceRow> {
  const rows: SourceRow[] = await db.query(
    `INSERT INTO sources (name, kind, url, params, every_seconds, enabled, allow_private, min_interval_ms)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8) RETURNING *`,
    valuesOf(v),
  );
  return rows[0];
}

/** Inserts, or updates the source of that name (its `enabled` flag is kept). */
export async function upsertSourceByName(db: Db, v: SourceValues): Promise<SourceRow> {
  const rows: SourceRow[] = await db.query(
    `INSERT INTO sources (name, kind, url, params, every_seconds, enabled, allow_private, min_interval_ms)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, url = EXCLUDED.url, params = EXCLUDED.params,
            every_seconds = EXCLUDED.every_seconds, allow_private = EXCLUDED.allow_private,
            min_interval_ms = EXCLUDED.min_interval_ms, updated_at = now()
     RETURNING *`,
    valuesOf(v),
  );
  return rows[0];
}

/** Updates the given columns; null when no source has that id. */
export async function updateSource(db: Db, id: string, patch: SourcePatch): Promise<SourceRow | null> {
  const keys = WRITABLE.filter((k) => patch[k] !== undefined);
  const sets = keys.map((k, i) => `${k} = $${i + 2}${k === 'params' ? '::jsonb' : ''}`);
  const values = keys.map((k) => (k === 'params' ? JSON.stringify(patch[k]) : patch[k]));
  const res: unknown = await db.query(`UPDATE sources SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`, [id, ...values]);
  return returnedRows<SourceRow>(res)[0] ?? null;
}

export async function deleteSource(db: Db, id: string): Promise<boolean> {
  return returnedRows(await db.query(`DELETE FROM sources WHERE id = $1 RETURNING id`, [id])).length > 0;
}

/** Enabled sources that are polled (every kind but `upload`). */
export async function pollableSources(db: Db): Promise<SourceRow[]> {
  return db.query(`SELECT * FROM sources WHERE enabled AND kind <> 'upload' ORDER BY name`);
}

// The fetcher's side: schedules, backfills in progress, and the health it records.

export function scheduledSources(db: Db): Promise<SourceRow[]> {
  return db.query(`SELECT * FROM sources WHERE enabled AND every_seconds IS NOT NULL`);
}

/** Enabled sources with a backfill in progress (a checkpoint pointing at the next page). */
export function sourcesInProgress(db: Db): Promise<SourceRow[]> {
  return db.query(`SELECT * FROM sources WHERE enabled AND checkpoint IS NOT NULL AND kind <> 'upload'`);
}

export interface FetchSuccess {
  status: number;
  etag?: string | null;
  lastModified?: string | null;
  items: number | null;
  checkpoint?: Record<string, unknown> | null;
  harvestedUntil?: string;
  /** the fetched bytes are a document of this source that failed to parse: its failure streak goes on */
  failedDocument?: boolean;
}

/**
 * A fetch that worked ends a failure streak, but a 304 of a source whose document could not be parsed: the upstream
 * still serves that document, so the source fails on with its reason (even where a fetch failure in between
 * overwrote it) until a document parses or a fetch brings another one. Nor does a fetch that brings the same
 * failed document again (`failedDocument`): recordSourceDocumentFailed then counts it in the same streak.
 */
export async function recordSourceSuccess(db: Db, id: string, r: FetchSuccess): Promise<void> {
  const keep = `(($2 = 304 AND served_document_error IS NOT NULL) OR $9::boolean)`;
  await db.query(
    `UPDATE sources SET last_attempt_at = now(), last_success_at = now(), last_status = $2,
            last_error = CASE WHEN ${keep} THEN served_document_error END, last_error_from = CASE WHEN ${keep} THEN 'parse' END,
            consecutive_failures = CASE WHEN ${keep} THEN consecutive_failures ELSE 0 END,
            failed_polls = CASE WHEN ${keep} THEN failed_polls ELSE 0 END, failing_since = CASE WHEN ${keep} THEN failing_since END,
            served_document_error = CASE WHEN ${keep} THEN served_document_error END,
            etag = coalesce($3, etag), last_modified = coalesce($4, last_modified),
            last_item_count = coalesce($5, last_item_count),
            checkpoint = CASE WHEN $6::boolean THEN $7::jsonb ELSE checkpoint END,
            harvested_until = coalesce($8, harvested_until), updated_at = now()
      WHERE id = $1`,
    [
      id,
      r.status,
      r.etag ?? null,
      r.lastModified ?? null,
      r.items,
      r.checkpoint !== undefined,
      r.checkpoint ? JSON.stringify(r.checkpoint) : null,
      r.harvestedUntil ?? null,
      r.failedDocument === true,
    ],
  );
}

/**
 * A document uploaded to the `upload` source (`paperwire ingest`): its row's last attempt and last success
 * are the last upload received (stored, or already stored), as /ops and the stats read them. No HTTP
 * status: an upload is not fetched.
 */
export async function recordUpload(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE sources SET last_attempt_at = now(), last_success_at = now(), last_status = NULL, last_error = NULL, last_error_from = NULL, served_document_error = NULL, consecutive_failures = 0, failed_polls = 0, failing_since = NULL, updated_at = now()
      WHERE id = $1`,
    [id],
  );
}

/**
 * A failed fetch attempt. `pollFailed`: it was the poll's last (its job gives up: retries spent, or an error no retry
 * heals), so the poll counts as failed; an attempt that will be retried counts only among the attempts.
 */
export async function recordSourceFailure(db: Db, id: string, status: number | null, error: string, pollFailed = true): Promise<void> {
  await db.query(
    `UPDATE sources SET last_attempt_at = now(), last_status = $2, last_error = $3, last_error_from = 'fetch', consecutive_failures = consecutive_failures + 1,
            failed_polls = failed_polls + CASE WHEN $4::boolean THEN 1 ELSE 0 END,
            failing_since = CASE WHEN consecutive_failures = 0 THEN now() ELSE failing_since END, updated_at = now()
      WHERE id = $1`,
    [id, status, error.slice(0, 2000), pollFailed],
  );
}

/**
 * Source health from the parser's side: items in the latest document, the newest item seen, and the entries it
 * skipped (their count and the first few). A document that parsed ends a failure its source's previous document
 * caused (a fetch failure is the fetcher's to clear).
 */
export async function recordSourceItems(
  db: Db,
  sourceId: string,
  itemCount: number,
  newestItemAt: string | null,
  skipped: { count: number; sample: SkippedEntry[] } = { count: 0, sample: [] },
): Promise<void> {
  await namedQuery(
    db,
    'pw_record_source_document',
    `UPDATE sources SET last_item_count = $2,
            newest_item_at = CASE WHEN $3::timestamptz IS NULL THEN newest_item_at ELSE greatest(newest_item_at, $3::timestamptz) END,
            skipped_entries = $4, skipped_sample = $5::jsonb,
            last_error = CASE WHEN last_error_from = 'parse' THEN NULL ELSE last_error END,
            consecutive_failures = CASE WHEN last_error_from = 'parse' THEN 0 ELSE consecutive_failures END,
            failed_polls = CASE WHEN last_error_from = 'parse' THEN 0 ELSE failed_polls END,
            failing_since = CASE WHEN last_error_from = 'parse' THEN NULL ELSE failing_since END,
            last_error_from = CASE WHEN last_error_from = 'parse' THEN NULL ELSE last_error_from END,
            served_document_error = NULL
      WHERE id = $1`,
    [sourceId, itemCount, newestItemAt, skipped.count, JSON.stringify(skipped.sample.slice(0, SKIPPED_SAMPLE_SIZE))],
  );
}

/**
 * A fetch brought bytes the source's document `documentId` holds, parsed already (a file restored to what it was
 * before a bad edit): the source's health is that document's again — its items and skipped entries — without a parse.
 */
export async function recordSourceKnownDocument(db: Db, sourceId: string, documentId: string): Promise<void> {
  await db.query(
    `UPDATE sources s SET last_item_count = d.paper_count, skipped_entries = jsonb_array_length(d.entry_errors),
            skipped_sample = jsonb_path_query_array(d.entry_errors, '$[0 to ${SKIPPED_SAMPLE_SIZE - 1}]'), updated_at = now()
       FROM raw_documents d
      WHERE s.id = $1 AND d.id = $2 AND d.source_id = $1 AND d.status = 'parsed'`,
    [sourceId, documentId],
  );
}

/** A source's last_error for a document that could not be parsed (the parser and the fetcher both write it). */
export const documentFailure = (documentId: string, reason: string): string =>
  `the latest document (${documentId}) could not be parsed: ${reason}`;

/**
 * The source's latest document could not be parsed (its parse failed, or a refetch brought the same failed bytes
 * again): the source is failing with the document's reason, counted as a failed poll, until a document parses or
 * a fetch brings another one. A fetch failure meanwhile shows its own error; a 304 after it brings the document's
 * back (`served_document_error`: the upstream still serves it). The fetch's status stays (the upstream did answer).
 */
export async function recordSourceDocumentFailed(db: Db, sourceId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE sources SET last_error = $2, last_error_from = 'parse', served_document_error = $2,
            failing_since = CASE WHEN consecutive_failures = 0 THEN now() ELSE failing_since END,
            consecutive_failures = consecutive_failures + 1, failed_polls = failed_polls + 1,
            skipped_entries = NULL, skipped_sample = NULL, updated_at = now()
      WHERE id = $1`,
    [sourceId, error.slice(0, 2000)],
  );
}
