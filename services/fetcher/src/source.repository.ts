import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@paperwire/service-kit';

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

@Injectable()
export class SourceRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async get(id: string): Promise<SourceRow | null> {
    const rows: SourceRow[] = await this.ds.query(`SELECT * FROM sources WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  scheduled(): Promise<SourceRow[]> {
    return this.ds.query(`SELECT * FROM sources WHERE enabled AND every_seconds IS NOT NULL`);
  }

  /** Enabled sources with a backfill in progress (a checkpoint pointing at the next page). */
  inProgress(): Promise<SourceRow[]> {
    return this.ds.query(
      `SELECT * FROM sources WHERE enabled AND checkpoint IS NOT NULL AND kind <> 'upload'`,
    );
  }

  /** Stores the payload once per content hash; returns its id and whether it still needs parsing. */
  async storeRawDocument(doc: {
    sourceId: string;
    contentHash: string;
    url: string | null;
    contentType: string | null;
    formatHint: string | null;
    body: Buffer;
  }): Promise<{ id: string; created: boolean; status: string }> {
    const inserted: { id: string }[] = await this.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (content_hash) DO NOTHING RETURNING id`,
      [doc.sourceId, doc.contentHash, doc.url, doc.contentType, doc.formatHint, doc.body, doc.body.length],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true, status: 'fetched' };
    const existing: { id: string; status: string }[] = await this.ds.query(
      `SELECT id, status FROM raw_documents WHERE content_hash = $1`,
      [doc.contentHash],
    );
    return { id: existing[0].id, created: false, status: existing[0].status };
  }

  async recordSuccess(
    id: string,
    r: {
      status: number;
      etag?: string | null;
      lastModified?: string | null;
      items: number | null;
      checkpoint?: Record<string, unknown> | null;
      harvestedUntil?: string;
    },
  ): Promise<void> {
    await this.ds.query(
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

  async recordFailure(id: string, status: number | null, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE sources SET last_attempt_at = now(), last_status = $2, last_error = $3, consecutive_failures = consecutive_failures + 1, updated_at = now()
        WHERE id = $1`,
      [id, status, error.slice(0, 2000)],
    );
  }
}
