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
  consecutive_failures: number;
  newest_item_at: Date | null;
  last_item_count: number | null;
  created_at: Date;
  updated_at: Date;
}

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
