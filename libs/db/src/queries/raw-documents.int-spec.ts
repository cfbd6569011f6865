import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { LZ4_COLUMNS } from '../migrations/1795640000000-lz4-compression';
import { loadRawDocument, readRawDocumentSlice, storeRawDocument } from './raw-documents';

// The ingest path's large values are stored lz4-compressed (migration Lz4Compression): the fetcher
// compresses each raw body once and the parser decompresses a large one once per 256 KB slice it reads,
// which cost ~4× more CPU with pglz. The bytes must read back unchanged, whole and in slices.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `rawdoc_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;
let lz4 = false;

/** ~2 MB of OAI-like XML (compressible, as fetched pages are), with some multi-byte text. */
function page(seed: number, bytes: number): Buffer {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?><OAI-PMH><ListRecords>'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const rec = `<record><header><identifier>oai:arXiv.org:2601.${String(seed * 100000 + i).padStart(5, '0')}</identifier></header><metadata><title>On model ${i % 97} — régularisation ${(i * 7919) % 1009}</title><abstract>We study ${i % 13} tasks and improve accuracy by ${(i % 50) / 10}% over the baseline ${i % 31}.</abstract></metadata></record>`;
    parts.push(rec);
    size += Buffer.byteLength(rec);
  }
  parts.push('</ListRecords></OAI-PMH>');
  return Buffer.from(parts.join(''));
}

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  const [{ ok }]: { ok: boolean }[] = await ds.query(
    `SELECT 'lz4' = ANY(enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  lz4 = ok;
}, 60_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

it('every column of the ingest path compresses with lz4 (where the server has it)', async () => {
  const rows: { col: string; method: string }[] = await ds.query(
    `SELECT c.relname || '.' || a.attname AS col, a.attcompression::text AS method
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = $1::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  const method = new Map(rows.map((r) => [r.col, r.method]));
  const expected = LZ4_COLUMNS.flatMap(([t, cols]) => cols.map((c) => `${t}.${c}`));
  expect(expected.map((col) => [col, method.get(col)])).toEqual(expected.map((col) => [col, lz4 ? 'l' : '']));
});

it.each([
  ['a small body (one insert)', 200_000],
  ['a large body (sent in parts)', 2_100_000],
])('%s is stored lz4-compressed and reads back byte for byte, whole and in slices', async (_name, bytes) => {
  const body = page(bytes, bytes);
  const stored = await storeRawDocument(ds, {
    sourceId: null as unknown as string,
    contentHash: `h${bytes}`,
    url: null,
    contentType: 'application/xml',
    formatHint: null,
    body,
  });
  const [{ method, stored_bytes }]: { method: string; stored_bytes: number }[] = await ds.query(
    `SELECT pg_column_compression(body) AS method, pg_column_size(body) AS stored_bytes FROM raw_documents WHERE id = $1`,
    [stored.id],
  );
  expect(method).toBe(lz4 ? 'lz4' : 'pglz');
  expect(stored_bytes).toBeLessThan(bytes / 2);
  expect((await loadRawDocument(ds, stored.id))!.body.equals(body)).toBe(true);
  const slice = 256 * 1024;
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += slice)
    parts.push(await readRawDocumentSlice(ds, stored.id, at, Math.min(slice, body.length - at)));
  expect(Buffer.concat(parts).equals(body)).toBe(true);
});

// Raw documents are stored once per source and content hash (migration RawDocumentsPerSource): two sources keep
// a document each for the same bytes; down keeps the oldest of each hash, and up again restores the per-source key.
it('two sources store the same bytes once each; the migration goes down and up again', async () => {
  const [a, b] = (await ds.query(
    `INSERT INTO sources (name, kind, url) VALUES ('same-a', 'file', '/tmp/a.json'), ('same-b', 'file', '/tmp/b.json') RETURNING id`,
  )) as { id: string }[];
  const doc = (sourceId: string) => ({ sourceId, contentHash: 'same-bytes', url: null, contentType: null, formatHint: null, body: Buffer.from('[]') });
  const first = await storeRawDocument(ds, doc(a!.id));
  expect(await storeRawDocument(ds, doc(a!.id))).toMatchObject({ id: first.id, created: false });
  const second = await storeRawDocument(ds, doc(b!.id));
  expect(second).toMatchObject({ created: true });
  expect(second.id).not.toBe(first.id);

  const executed: { name: string }[] = await ds.query(`SELECT name FROM "${schema}".migrations ORDER BY id DESC`);
  const depth = executed.findIndex((m) => /^RawDocumentsPerSource\d+$/.test(m.name)) + 1;
  expect(depth).toBeGreaterThan(0);
  for (let i = 0; i < depth; i += 1) await ds.undoLastMigration({ transaction: 'each' });
  expect(await ds.query(`SELECT id FROM raw_documents WHERE content_hash = 'same-bytes'`)).toEqual([{ id: first.id }]);
  await migrate(ds);
  expect(await storeRawDocument(ds, doc(b!.id))).toMatchObject({ created: true });
});

// The stats page's newest failed documents read the partial index idx_raw_documents_failed in order and stop at the
// page; without it every failed document was read and sorted (~210 ms at 100k failed of 1M).
describe('the newest failed documents (50,000 documents, 10,000 failed, analysed)', () => {
  beforeAll(async () => {
    await ds.query(
      `INSERT INTO raw_documents (content_hash, url, body, byte_size, status, error, parsed_at)
       SELECT 'failedidx' || i, 'file:///d' || i, '\\x00', 1, CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'parsed' END,
              CASE WHEN i % 5 = 0 THEN 'unknown-format: invalid JSON' END, now() - make_interval(secs => i)
         FROM generate_series(1, 50000) i`,
    );
    await ds.query('ANALYZE raw_documents');
  }, 60_000);

  it('walks the failed-documents index in order, a page of rows', async () => {
    const rows: { 'QUERY PLAN': string }[] = await ds.query(
      `EXPLAIN (ANALYZE, BUFFERS) SELECT d.id, d.url, d.error FROM raw_documents d LEFT JOIN sources s ON s.id = d.source_id
        WHERE d.status = 'failed'
          AND (s.id IS NULL OR s.kind = 'upload' OR s.last_error_from = 'parse' OR s.last_success_at IS NULL OR s.last_success_at <= d.parsed_at)
        ORDER BY d.parsed_at DESC LIMIT 20`,
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    if (process.env.SHOW_PLANS) console.log(plan);
    expect(plan).toMatch(/Index Scan using idx_raw_documents_failed on raw_documents d/);
    expect(plan).not.toMatch(/\bSort\b|Seq Scan on raw_documents/);
    const { failedRawDocuments } = await import('./stats');
    const newest = await failedRawDocuments(ds, 3);
    expect(newest.map((r) => r.url)).toEqual(['file:///d5', 'file:///d10', 'file:///d15']);
  });
});
