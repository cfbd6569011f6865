import type { SkippedEntry } from './sources';
import type { Db } from './sql';

// An upload: a file stored as a raw document of the `upload` source, and its way through the pipeline.

/** Stores the body unless a document with the same hash exists; returns its id either way. */
export async function storeUploadedDocument(
  db: Db,
  doc: { sourceId: string; contentHash: string; url: string; formatHint: string | null; body: Buffer },
): Promise<{ id: string; created: boolean; status: string; error: string | null; reformatted?: boolean }> {
  const inserted: { id: string }[] = await db.query(
    `INSERT INTO raw_documents (source_id, content_hash, url, format_hint, body, byte_size) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (source_id, content_hash) DO NOTHING RETURNING id`,
    [doc.sourceId, doc.contentHash, doc.url, doc.formatHint, doc.body, doc.body.length],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true, status: 'fetched', error: null };
  // The same bytes uploaded before in another format (or none) and refused: read again in the format asked now (a
  // wrong `--format` never leaves a file unreadable). The same format again is the same failure: left as it is.
  const retried: { id: string }[] = await db.query(
    // (in a CTE: a bare UPDATE … RETURNING comes back from TypeORM as [rows, count])
    `WITH r AS (UPDATE raw_documents SET format_hint = $3, status = 'fetched', error = NULL
                 WHERE source_id = $1 AND content_hash = $2 AND status = 'failed' AND format_hint IS DISTINCT FROM $3
                 RETURNING id)
     SELECT id FROM r`,
    [doc.sourceId, doc.contentHash, doc.formatHint],
  );
  if (retried[0]) return { id: retried[0].id, created: false, status: 'fetched', error: null, reformatted: true };
  const [existing]: { id: string; status: string; error: string | null }[] = await db.query(
    `SELECT id, status, error FROM raw_documents WHERE source_id = $1 AND content_hash = $2`,
    [doc.sourceId, doc.contentHash],
  );
  return { ...existing, created: false };
}

export interface DocumentProgress {
  /** raw document status: fetched, parsed, failed … (null when the document is gone) */
  status: string | null;
  error: string | null;
  /** papers seen in the document, by the stage each has reached */
  stages: Record<string, number>;
  papers: number;
  /** papers the parser found in the document (null until parsed) */
  paperCount: number | null;
  /** entries the parser skipped (no title, no id…): how many, and the first SKIPPED_LISTED of them with why */
  skippedEntries: number;
  skipped: SkippedEntry[];
}

/** Skipped entries an upload's progress names (a streamed document may keep thousands). */
export const SKIPPED_LISTED = 20;

/** Where a raw document's papers are: one round trip, counts per stage. */
export async function documentProgress(db: Db, rawDocumentId: string): Promise<DocumentProgress> {
  const rows: {
    status: string | null;
    error: string | null;
    paper_count: number | null;
    stage: string | null;
    n: number;
    skipped_entries: number;
    skipped: SkippedEntry[];
  }[] = await db.query(
    `SELECT d.status, d.error, d.paper_count, s.stage, count(s.paper_id)::int AS n,
            jsonb_array_length(d.entry_errors) AS skipped_entries, jsonb_path_query_array(d.entry_errors, '$[0 to ${SKIPPED_LISTED - 1}]') AS skipped
       FROM raw_documents d
       LEFT JOIN paper_sources ps ON ps.raw_document_id = d.id
       LEFT JOIN paper_stages s ON s.paper_id = ps.paper_id
      WHERE d.id = $1
      GROUP BY d.id, s.stage`,
    [rawDocumentId],
  );
  const stages: Record<string, number> = {};
  for (const r of rows) if (r.stage) stages[r.stage] = r.n;
  return {
    status: rows[0]?.status ?? null,
    error: rows[0]?.error ?? null,
    stages,
    papers: Object.values(stages).reduce((a, n) => a + n, 0),
    paperCount: rows[0]?.paper_count ?? null,
    skippedEntries: rows[0]?.skipped_entries ?? 0,
    skipped: rows[0]?.skipped ?? [],
  };
}
