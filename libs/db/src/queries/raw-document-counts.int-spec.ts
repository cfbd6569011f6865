import type { DataSource } from 'typeorm';
import { createTestDb, statementsOfCall, type TestDb } from '../test-db';
import { RawDocumentCounts1796220000000 } from '../migrations/1796220000000-raw-document-counts';
import { markRawDocumentFailed, markRawDocumentParsed, storeRawDocument } from './raw-documents';
import { storeUploadedDocument } from './uploads';
import { compactRawDocumentCounts, failedRawDocumentCount, rawDocumentsByStatus } from './stats';

// The stats reads of raw documents per status (/v1/stats/pipeline, /ops, `paperwire stats`) counted every document
// ever fetched (every fetch stores one). They read `raw_document_counts` now (migration 1796220000000): a few rows per
// status, however many documents. The counts equal a real count of raw_documents after every kind of write (the
// fetcher's and an upload's inserts, parses and failures, a status kept, a source deleted, deletes, a rolled-back
// write, writers at once on other documents and on one document), after the sweeper folds the deltas, and after a
// down / up of the migration; two open transactions that each store and fail a document never wait for each other.

const N = 20_000;
let t: TestDb;
let ds: DataSource;
let source = '';

const truth = async (): Promise<Record<string, number>> =>
  Object.fromEntries(
    ((await ds.query(`SELECT status, count(*)::int AS n FROM raw_documents GROUP BY 1 ORDER BY 1`)) as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
const expectExact = async () => {
  const real = await truth();
  expect(await rawDocumentsByStatus(ds)).toEqual(real);
  expect(await failedRawDocumentCount(ds)).toBe(real.failed ?? 0);
};
let seq = 0;
const doc = (body = `doc ${++seq}`) => ({ sourceId: source, contentHash: `h-${seq}-${Math.random()}`, url: null, contentType: null, formatHint: 'jsonl', body: Buffer.from(body) });
const ids = async (where: string): Promise<string[]> => ((await ds.query(`SELECT id FROM raw_documents WHERE ${where} ORDER BY id`)) as { id: string }[]).map((r) => r.id);

beforeAll(async () => {
  t = await createTestDb('rawdoccounts');
  ds = t.ds;
  [{ id: source }] = await ds.query(`INSERT INTO sources (name, kind, url) VALUES ('counted', 'file', '/tmp/counted.json') RETURNING id`);
  // N documents in one statement (a third parsed, a tenth failed, the rest fetched), before the counts are checked
  await ds.query(
    `INSERT INTO raw_documents (source_id, content_hash, body, byte_size, status, parsed_at)
     SELECT CASE WHEN i % 2 = 0 THEN $1::uuid END, md5(i::text), convert_to('body ' || i, 'UTF8'), 8,
            CASE WHEN i % 10 = 0 THEN 'failed' WHEN i % 3 = 0 THEN 'parsed' ELSE 'fetched' END, CASE WHEN i % 3 = 0 OR i % 10 = 0 THEN now() END
       FROM generate_series(1, ${N}) i`,
    [source],
  );
  await ds.query('ANALYZE');
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

describe('raw_document_counts stays exact', () => {
  it('after a bulk insert', async () => {
    expect((await truth()).failed).toBe(N / 10);
    await expectExact();
  });

  it("after the fetcher's and an upload's stores, parses and failures; a status kept and a source deleted count none", async () => {
    const stored = [];
    for (let i = 0; i < 6; i++) stored.push(await storeRawDocument(ds, doc()));
    const upload = await storeUploadedDocument(ds, { sourceId: source, contentHash: 'upload-1', url: 'upload://x', formatHint: null, body: Buffer.from('u') });
    expect((await storeRawDocument(ds, { ...doc(), contentHash: (await ds.query(`SELECT content_hash FROM raw_documents WHERE id = $1`, [stored[0].id]))[0].content_hash })).created).toBe(false);
    await expectExact();
    await markRawDocumentParsed(ds, stored[0].id, 'jsonl', 3, []);
    await markRawDocumentParsed(ds, stored[0].id, 'jsonl', 4, []); // parsed again: no change of status
    await markRawDocumentFailed(ds, stored[1].id, 'bad bytes');
    await markRawDocumentFailed(ds, upload.id, 'bad upload');
    await markRawDocumentParsed(ds, stored[1].id, 'jsonl', 1, []); // failed, then parsed
    await expectExact();
    const before = await rawDocumentsByStatus(ds);
    const rows = async () => Number((await ds.query(`SELECT count(*)::int AS n FROM raw_document_counts`))[0].n);
    const deltas = await rows();
    await ds.query(`UPDATE raw_documents SET error = error WHERE status = 'failed'`);
    await ds.query(`DELETE FROM sources WHERE id = $1`, [source]); // documents kept, source_id set to null
    expect(await rows()).toBe(deltas);
    expect(await rawDocumentsByStatus(ds)).toEqual(before);
    [{ id: source }] = await ds.query(`INSERT INTO sources (name, kind, url) VALUES ('counted2', 'file', '/tmp/counted2.json') RETURNING id`);
  });

  it('after deletes (one document, thousands in one statement) and a write rolled back', async () => {
    await ds.query(`DELETE FROM raw_documents WHERE id = $1`, [(await ids(`status = 'fetched'`))[0]]);
    await ds.query(`DELETE FROM raw_documents WHERE content_hash IN (SELECT md5(i::text) FROM generate_series(1, ${N}, 7) i)`);
    await expectExact();
    const before = await truth();
    await ds
      .transaction(async (m) => {
        await storeRawDocument(m, doc());
        await m.query(`UPDATE raw_documents SET status = 'failed' WHERE status = 'fetched'`);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await truth()).toEqual(before);
    await expectExact();
  });

  it('with writers at once: other documents, and one document parsed and failed by two of them', async () => {
    const fetched = await ids(`status = 'fetched'`);
    const one = fetched[0];
    await Promise.all([
      ...Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 10; i++) {
            const stored = await storeRawDocument(ds, doc(`w${w} ${i}`));
            if (i % 2) await markRawDocumentParsed(ds, stored.id, 'jsonl', 1, []);
            else await markRawDocumentFailed(ds, fetched[1 + w * 10 + i], 'x');
          }
        })(),
      ),
      markRawDocumentParsed(ds, one, 'jsonl', 1, []),
      markRawDocumentFailed(ds, one, 'y'),
      compactRawDocumentCounts(ds, 100),
    ]);
    await expectExact();
  });

  it('two open transactions storing and failing a document never wait for each other (no hot row)', async () => {
    const a = ds.createQueryRunner();
    const b = ds.createQueryRunner();
    try {
      await a.startTransaction();
      await b.startTransaction();
      await b.query(`SET LOCAL lock_timeout = '2s'`);
      const [x] = await a.query(`INSERT INTO raw_documents (content_hash, body, byte_size) VALUES ('open-a', 'a', 1) RETURNING id`);
      await a.query(`UPDATE raw_documents SET status = 'failed' WHERE id = $1`, [x.id]);
      // b counts the same statuses while a holds its deltas uncommitted: no row lock to wait for
      const [y] = await b.query(`INSERT INTO raw_documents (content_hash, body, byte_size) VALUES ('open-b', 'b', 1) RETURNING id`);
      await b.query(`UPDATE raw_documents SET status = 'failed' WHERE id = $1`, [y.id]);
      await b.commitTransaction();
      await a.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
    await expectExact();
  });

  it('after the sweeper folds the deltas: one row per status, the same counts', async () => {
    const before = await rawDocumentsByStatus(ds);
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM raw_document_counts WHERE NOT folded`))[0].n)).toBeGreaterThan(3);
    expect(await compactRawDocumentCounts(ds, 100)).toBeGreaterThan(0);
    expect(await rawDocumentsByStatus(ds)).toEqual(before);
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM raw_document_counts`))[0].n)).toBe(Object.keys(before).length);
    expect(await compactRawDocumentCounts(ds, 100)).toBe(0);
    await expectExact();
  });
});

describe('the reads', () => {
  it('read raw_document_counts only: the folded rows and the deltas since, a few buffers, not the documents', async () => {
    // as in a deployment: the migration run on the documents there are (one row per status), then documents stored and
    // failed since the last sweep (the bulk insert above wrote a delta per document: no writer stores thousands at once)
    const qr = ds.createQueryRunner();
    try {
      await new RawDocumentCounts1796220000000().down(qr);
      await new RawDocumentCounts1796220000000().up(qr);
    } finally {
      await qr.release();
    }
    for (let i = 0; i < 20; i++) await markRawDocumentFailed(ds, (await storeRawDocument(ds, doc())).id, 'since the sweep');
    await ds.query('ANALYZE');
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM raw_documents`))[0].n)).toBeGreaterThan(N / 2);
    const sent = await statementsOfCall(ds, async (db) => {
      await rawDocumentsByStatus(db);
      await failedRawDocumentCount(db);
    });
    expect(sent).toHaveLength(2);
    for (const s of sent) {
      expect(s.plan).toContain('raw_document_counts');
      expect(s.plan).not.toMatch(/raw_documents\b/);
      expect(s.buffers).toBeLessThan(10);
    }
  });
});

describe('the migration', () => {
  it('down and up on the populated table give the same counts, and the triggers count again', async () => {
    const before = await truth();
    const qr = ds.createQueryRunner();
    try {
      await new RawDocumentCounts1796220000000().down(qr);
      expect((await qr.query(`SELECT to_regclass('raw_document_counts')::text AS t`))[0].t).toBeNull();
      await qr.query(`UPDATE raw_documents SET status = 'fetched' WHERE id IN (SELECT id FROM raw_documents WHERE status = 'failed' LIMIT 5)`);
      await new RawDocumentCounts1796220000000().up(qr);
    } finally {
      await qr.release();
    }
    expect((await truth()).failed).toBe(before.failed - 5);
    await expectExact();
    await markRawDocumentFailed(ds, (await ids(`status = 'fetched'`))[0], 'after up');
    await expectExact();
  });

  it('a truncate empties it', async () => {
    await ds.query(`TRUNCATE raw_documents`);
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM raw_document_counts`))[0].n)).toBe(0);
    expect(await rawDocumentsByStatus(ds)).toEqual({});
  });
});
