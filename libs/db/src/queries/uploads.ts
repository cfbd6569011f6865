import type { Db } from './sql';

// An upload: a file stored as a raw document of the `upload` source, and its way through the pipeline.

/** Stores the body unless a document with the same hash exists; returns its id either way. */
export async function storeUploadedDocument(
  db: Db,
  doc: { sourceId: string; contentHash: string; url: string; formatHint: string | null; body: Buffer },
): Promise<{ id: string; created: boolean }> {
  const inserted: { id: string }[] = await db.query(
    `INSERT INTO raw_documents (source_id, content_hash, url, format_hint, body, byte_size) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (content_hash) DO NOTHING RETURNING id`,
    [doc.sourceId, doc.contentHash, doc.url, doc.formatHint, doc.body, doc.body.length],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const [existing]: { id: string }[] = await db.query(`SELECT id FROM raw_documents WHERE content_hash = $1`, [doc.contentHash]);
  return { id: existing.id, created: false };
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
}

/** Where a raw document's papers are: one round trip, counts per stage. */
export async function documentProgress(db: Db, rawDocumentId: string): Promise<DocumentProgress> {
  const rows: { status: string | null; error: string | null; paper_count: number | null; stage: string | null; n: number }[] = await db.query(
    `SELECT d.status, d.error, d.paper_count, s.stage, count(s.paper_id)::int AS n
       FROM raw_documents d
       LEFT JOIN paper_sources ps ON ps.raw_document_id = d.id
       LEFT JOIN paper_stages s ON s.paper_id = ps.paper_id
      WHERE d.id = $1
      GROUP BY d.status, d.error, d.paper_count, s.stage`,
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
  };
}
