import type { Db } from './sql';

/** A fetched payload as the parser reads it (with its source's kind). */
export interface RawDocumentRow {
  id: string;
  source_id: string | null;
  source_kind: string | null;
  body: Buffer;
  content_type: string | null;
  format_hint: string | null;
  url: string | null;
  status: string;
  fetched_at: Date;
}

export type RawDocumentMeta = Omit<RawDocumentRow, 'body'> & { size: number };

export async function loadRawDocument(db: Db, id: string): Promise<RawDocumentRow | null> {
  const rows: RawDocumentRow[] = await db.query(
    `SELECT d.id, d.source_id, s.kind AS source_kind, d.body, d.content_type, d.format_hint, d.url, d.status, d.fetched_at
       FROM raw_documents d LEFT JOIN sources s ON s.id = d.source_id WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The document without its body, and the body's size (octet_length reads the TOAST header, not the value). */
export async function loadRawDocumentMeta(db: Db, id: string): Promise<RawDocumentMeta | null> {
  const rows: RawDocumentMeta[] = await db.query(
    `SELECT d.id, d.source_id, s.kind AS source_kind, d.content_type, d.format_hint, d.url, d.status, d.fetched_at,
            octet_length(d.body)::int AS size
       FROM raw_documents d LEFT JOIN sources s ON s.id = d.source_id WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** `length` bytes of the body from byte `offset` (0-based). */
export async function readRawDocumentSlice(db: Db, id: string, offset: number, length: number): Promise<Buffer> {
  const rows: { part: Buffer | null }[] = await db.query(
    `SELECT substring(body FROM $2::int FOR $3::int) AS part FROM raw_documents WHERE id = $1`,
    [id, offset + 1, length],
  );
  return rows[0]?.part ?? Buffer.alloc(0);
}

/** Stores the payload once per content hash; returns its id and whether it still needs parsing. */
export async function storeRawDocument(
  db: Db,
  doc: { sourceId: string; contentHash: string; url: string | null; contentType: string | null; formatHint: string | null; body: Buffer },
): Promise<{ id: string; created: boolean; status: string }> {
  const inserted: { id: string }[] = await db.query(
    `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (content_hash) DO NOTHING RETURNING id`,
    [doc.sourceId, doc.contentHash, doc.url, doc.contentType, doc.formatHint, doc.body, doc.body.length],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true, status: 'fetched' };
  const existing: { id: string; status: string }[] = await db.query(`SELECT id, status FROM raw_documents WHERE content_hash = $1`, [
    doc.contentHash,
  ]);
  return { id: existing[0].id, created: false, status: existing[0].status };
}

export async function markRawDocumentParsed(db: Db, id: string, format: string, paperCount: number, entryErrors: unknown[]): Promise<void> {
  await db.query(
    `UPDATE raw_documents SET status = 'parsed', format = $2, paper_count = $3, entry_errors = $4::jsonb, error = NULL, parsed_at = now() WHERE id = $1`,
    [id, format, paperCount, JSON.stringify(entryErrors)],
  );
}

export async function markRawDocumentFailed(db: Db, id: string, error: string): Promise<void> {
  await db.query(`UPDATE raw_documents SET status = 'failed', error = $2, parsed_at = now() WHERE id = $1`, [id, error.slice(0, 4000)]);
}
