import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { FEED_FORMATS } from '@paperwire/contracts';
import { SOURCE_KINDS, returnedRows } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';

export interface SourceSpec {
  name: string;
  kind: (typeof SOURCE_KINDS)[number];
  url: string | null;
  params?: Record<string, unknown>;
  everySeconds?: number | null;
  enabled?: boolean;
  allowPrivate?: boolean;
  minIntervalMs?: number;
}

export function validateSource(spec: SourceSpec): SourceSpec {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(spec.name)) throw new Error(`source name "${spec.name}": lower-case letters, digits, . _ - (max 63)`);
  if (!(SOURCE_KINDS as readonly string[]).includes(spec.kind)) throw new Error(`kind "${spec.kind}": one of ${SOURCE_KINDS.join(', ')}`);
  if (spec.kind !== 'upload') {
    if (!spec.url) throw new Error('a url (or a file path for kind file) is required');
    if (spec.kind !== 'file') {
      const u = new URL(spec.url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`only http and https feeds (got ${u.protocol})`);
    }
  }
  const format = spec.params?.format;
  if (format !== undefined && !(FEED_FORMATS as readonly string[]).includes(String(format))) throw new Error(`format "${String(format)}": one of ${FEED_FORMATS.join(', ')}`);
  if (spec.everySeconds != null && (spec.everySeconds < 60 || spec.everySeconds > 7 * 86400)) throw new Error('schedule: every 60 s to 7 days');
  return spec;
}

/** Inserts or updates a source by name. */
export async function upsertSource(ds: DataSource, spec: SourceSpec): Promise<string> {
  validateSource(spec);
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO sources (name, kind, url, params, every_seconds, enabled, allow_private, min_interval_ms)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, url = EXCLUDED.url, params = EXCLUDED.params,
            every_seconds = EXCLUDED.every_seconds, allow_private = EXCLUDED.allow_private,
            min_interval_ms = EXCLUDED.min_interval_ms, updated_at = now()
     RETURNING id`,
    [
      spec.name,
      spec.kind,
      spec.url,
      JSON.stringify(spec.params ?? {}),
      spec.everySeconds ?? null,
      spec.enabled ?? true,
      spec.allowPrivate ?? false,
      spec.minIntervalMs ?? (spec.url && /arxiv\.org/.test(spec.url) ? 3000 : 1000),
    ],
  );
  return rows[0].id;
}

export async function listSources(ds: DataSource): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT name, kind, url, enabled, every_seconds, last_attempt_at, last_success_at, last_status, last_error,
            consecutive_failures, newest_item_at, last_item_count, checkpoint
       FROM sources ORDER BY name`,
  );
}

export async function setEnabled(ds: DataSource, name: string, enabled: boolean): Promise<boolean> {
  const rows = returnedRows(await ds.query(`UPDATE sources SET enabled = $2, updated_at = now() WHERE name = $1 RETURNING id`, [name, enabled]));
  return rows.length > 0;
}

export async function removeSource(ds: DataSource, name: string): Promise<boolean> {
  const rows = returnedRows(await ds.query(`DELETE FROM sources WHERE name = $1 RETURNING id`, [name]));
  return rows.length > 0;
}

/** Enqueues an immediate fetch of a source (all enabled ones when no name is given). */
export async function pollSources(ds: DataSource, queues: QueueSet, name?: string): Promise<string[]> {
  const rows: { id: string; name: string }[] = name
    ? await ds.query(`SELECT id, name FROM sources WHERE name = $1`, [name])
    : await ds.query(`SELECT id, name FROM sources WHERE enabled AND kind <> 'upload'`);
  if (name && rows.length === 0) throw new Error(`no source named ${name}`);
  const now = Date.now();
  for (const r of rows) await queues.enqueue('fetch-source', { sourceId: r.id, reason: 'manual' }, { variant: `m${now}` });
  return rows.map((r) => r.name);
}

/** Stores a local file as a raw document of the `upload` source and enqueues it for parsing. */
export async function ingestFile(
  ds: DataSource,
  queues: QueueSet,
  file: string,
  format?: string,
): Promise<{ rawDocumentId: string; created: boolean; bytes: number }> {
  if (format !== undefined && !(FEED_FORMATS as readonly string[]).includes(format)) throw new Error(`unknown format "${format}"`);
  const path = resolve(file);
  const size = statSync(path).size;
  if (size > 50 * 1024 * 1024) throw new Error(`${path} is larger than 50 MB`);
  const body = readFileSync(path);
  const sourceId = await upsertSource(ds, { name: 'upload', kind: 'upload', url: null });
  const hash = createHash('sha256').update(body).digest('hex');
  const inserted: { id: string }[] = await ds.query(
    `INSERT INTO raw_documents (source_id, content_hash, url, format_hint, body, byte_size) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (content_hash) DO NOTHING RETURNING id`,
    [sourceId, hash, path, format ?? null, body, body.length],
  );
  const row = inserted[0] ?? (await ds.query(`SELECT id, status FROM raw_documents WHERE content_hash = $1`, [hash]))[0];
  await queues.enqueue('parse-document', { rawDocumentId: row.id });
  return { rawDocumentId: row.id, created: Boolean(inserted[0]), bytes: body.length };
}
