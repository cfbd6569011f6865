import type { Db } from './sql';

/** A source row as the fetcher reads it. */
export interface SourceRow {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  params: Record<string, unknown>;
  every_seconds: number | null;
  enabled: boolean;
  allow_private: boolean;
  min_interval_ms: number;
  checkpoint: Record<string, unknown> | null;
  etag: string | null;
  last_modified: string | null;
  /** OAI-PMH: the day the last complete harvest started (the next one asks `from` it) */
  harvested_until: string | null;
}

export async function getSource(db: Db, id: string): Promise<SourceRow | null> {
  const rows: SourceRow[] = await db.query(`SELECT * FROM sources WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

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
}

export async function recordSourceSuccess(db: Db, id: string, r: FetchSuccess): Promise<void> {
  await db.query(
    `UPDATE sources SET last_attempt_at = now(), last_success_at = now(), last_status = $2, last_error = NULL, consecutive_failures = 0,
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
    ],
  );
}

export async function recordSourceFailure(db: Db, id: string, status: number | null, error: string): Promise<void> {
  await db.query(
    `UPDATE sources SET last_attempt_at = now(), last_status = $2, last_error = $3, consecutive_failures = consecutive_failures + 1, updated_at = now()
      WHERE id = $1`,
    [id, status, error.slice(0, 2000)],
  );
}

/** Source health from the parser's side: items in the latest document and the newest item seen. */
export async function recordSourceItems(db: Db, sourceId: string, itemCount: number, newestItemAt: string | null): Promise<void> {
  await db.query(
    `UPDATE sources SET last_item_count = $2,
            newest_item_at = CASE WHEN $3::timestamptz IS NULL THEN newest_item_at ELSE greatest(newest_item_at, $3::timestamptz) END
      WHERE id = $1`,
    [sourceId, itemCount, newestItemAt],
  );
}
