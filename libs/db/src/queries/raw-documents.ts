import { namedQuery } from './bulk';
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
  const rows = await namedQuery<RawDocumentRow>(
    db,
    'pw_load_raw_document',
    `SELECT d.id, d.source_id, s.kind AS source_kind, d.body, d.content_type, d.format_hint, d.url, d.status, d.fetched_at
       FROM raw_documents d LEFT JOIN sources s ON s.id = d.source_id WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The document without its body, and the body's size (octet_length reads the TOAST header, not the value). */
export async function loadRawDocumentMeta(db: Db, id: string): Promise<RawDocumentMeta | null> {
  const rows = await namedQuery<RawDocumentMeta>(
    db,
    'pw_load_raw_document_meta',
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

/**
 * Bodies larger than this go to Postgres in parts of this size: one bind message holding a 50 MB body is a
 * second (and, while it grows, a third) copy of it in the driver; parts keep that copy at one part (issue 19).
 */
export const BODY_PART_BYTES = 1024 * 1024;

/** A stored document: its id, whether this call stored it, its status, and why it failed (when it did). */
type StoredDocument = { id: string; created: boolean; status: string; error?: string | null };
type IncomingDocument = { sourceId: string; contentHash: string; url: string | null; contentType: string | null; formatHint: string | null; body: Buffer };

/** The source's document with these bytes (another source's copy is not its: it is stored and parsed again). */
async function rawDocumentByHash(db: Db, sourceId: string, contentHash: string): Promise<StoredDocument | undefined> {
  const rows: { id: string; status: string; error: string | null }[] = await db.query(
    `SELECT id, status, error FROM raw_documents WHERE source_id = $1 AND content_hash = $2`,
    [sourceId, contentHash],
  );
  return rows[0] ? { id: rows[0].id, created: false, status: rows[0].status, error: rows[0].error } : undefined;
}

/**
 * A large body is sent in BODY_PART_BYTES parts to a temporary table and assembled by Postgres
 * (`string_agg` in part order) in the same transaction: the row appears whole or not at all.
 */
function insertInParts(db: Db, doc: IncomingDocument): Promise<{ id: string }[]> {
  return db.transaction(async (em) => {
    await em.query(`CREATE TEMP TABLE raw_body_parts (seq int NOT NULL, part bytea NOT NULL) ON COMMIT DROP`);
    // The parts are read once, right away: not compressed (the assembled body is, as any row's).
    await em.query(`ALTER TABLE raw_body_parts ALTER COLUMN part SET STORAGE EXTERNAL`);
    for (let at = 0, seq = 0; at < doc.body.length; at += BODY_PART_BYTES, seq++)
      await em.query(`INSERT INTO raw_body_parts (seq, part) VALUES ($1, $2)`, [seq, doc.body.subarray(at, at + BODY_PART_BYTES)]);
    return em.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
       SELECT $1, $2, $3, $4, $5, string_agg(part, ''::bytea ORDER BY seq), $6 FROM raw_body_parts
       ON CONFLICT (source_id, content_hash) DO NOTHING RETURNING id`,
      [doc.sourceId, doc.contentHash, doc.url, doc.contentType, doc.formatHint, doc.body.length],
    );
  });
}

/**
 * Stores the payload once per source and content hash; returns its id and whether it still needs parsing. A
 * body the source already stored (an unchanged page polled again) is found by its hash and not sent again.
 */
export async function storeRawDocument(db: Db, doc: IncomingDocument): Promise<StoredDocument> {
  const known = await rawDocumentByHash(db, doc.sourceId, doc.contentHash);
  if (known) return known;
  const inserted: { id: string }[] =
    doc.body.length > BODY_PART_BYTES
      ? await insertInParts(db, doc)
      : await db.query(
          `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_id, content_hash) DO NOTHING RETURNING id`,
          [doc.sourceId, doc.contentHash, doc.url, doc.contentType, doc.formatHint, doc.body, doc.body.length],
        );
  if (inserted[0]) return { id: inserted[0].id, created: true, status: 'fetched' };
  // Stored by another fetcher between the lookup and the insert.
  return (await rawDocumentByHash(db, doc.sourceId, doc.contentHash))!;
}

/**
 * The format a document is being read in, written in the transaction that records its sightings, before the read
 * model is refreshed: a sighting's public origin (SIGHTING_ORIGIN_SQL, trending's extra source) is its raw document's
 * format, which markRawDocumentParsed writes only after that transaction. A no-op once written.
 */
export async function noteRawDocumentFormat(db: Db, id: string, format: string): Promise<void> {
  await namedQuery(db, 'pw_note_raw_document_format', `UPDATE raw_documents SET format = $2 WHERE id = $1 AND format IS DISTINCT FROM $2`, [id, format]);
}

export async function markRawDocumentParsed(db: Db, id: string, format: string, paperCount: number, entryErrors: unknown[]): Promise<void> {
  await namedQuery(
    db,
    'pw_mark_raw_document_parsed',
    `UPDATE raw_documents SET status = 'parsed', format = $2, paper_count = $3, entry_errors = $4::jsonb, error = NULL, parsed_at = now() WHERE id = $1`,
    [id, format, paperCount, JSON.stringify(entryErrors)],
  );
}

export async function markRawDocumentFailed(db: Db, id: string, error: string): Promise<void> {
  await db.query(`UPDATE raw_documents SET status = 'failed', error = $2, parsed_at = now() WHERE id = $1`, [id, error.slice(0, 4000)]);
}
