import type { PaperRef } from '@paperwire/contracts';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService, STREAM_MIN_BYTES } from './parser.service';

// Issue 14 item 11: a large document is read from its row in slices and written in chunks. Correctness,
// not timing: every paper stored once with its version and sighting, every paper enqueued for the
// classifier exactly once, entry errors by line, and a crash part way is a retry that writes nothing twice.

jest.setTimeout(240_000);

const PAPERS = 12_000;

/** ~6 MB of JSON Lines: unique papers, one duplicate (a newer version), one broken line, one paper without a title. */
function document(): { body: Buffer; unique: number; badLine: number; untitledLine: number } {
  const lines: string[] = [];
  for (let i = 0; i < PAPERS; i++) {
    lines.push(
      JSON.stringify({
        id: `2405.${String(i).padStart(5, '0')}`,
        title: `Streaming paper ${i}: sparse adapters \u202Eand\u202C friends`,
        abstract: `We study paper ${i}. `.repeat(20) + 'x'.repeat(50),
        authors: [`Author ${i % 101}`],
        categories: ['cs.LG'],
      }),
    );
  }
  const badLine = lines.length;
  lines.push('{"title": "cut short');
  const untitledLine = lines.length;
  lines.push(JSON.stringify({ id: 'no-title', title: '', abstract: 'An abstract.' }));
  // The same paper again further down, as version 2: stored once.
  lines.push(JSON.stringify({ id: '2405.00007v2', title: 'Streaming paper 7 revised', abstract: 'Revised abstract.' }));
  return { body: Buffer.from(lines.join('\n') + '\n'), unique: PAPERS, badLine, untitledLine };
}

describe('ParserService on a large document (Postgres + Redis)', () => {
  let stores: TestStores;
  let repo: PaperRepository;
  let parser: ParserService;
  let sourceId: string;
  const doc = document();

  beforeAll(async () => {
    stores = await createTestStores('parser_stream');
    const config = loadConfig(commonEnvSchema, { BATCH_SIZE: '250' });
    repo = new PaperRepository(stores.db.ds);
    parser = new ParserService(repo, stores.queues, config, new Metrics());
    sourceId = (await stores.db.ds.query(`INSERT INTO sources (name, kind) VALUES ('bulk', 'file') RETURNING id`))[0].id;
  });

  afterAll(async () => {
    await stores?.queues.get('classify').obliterate({ force: true }).catch(() => undefined);
    await stores?.close();
  });

  async function storeDocument(hash: string): Promise<string> {
    const rows: { id: string }[] = await stores.db.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
       VALUES ($1, $2, 'bulk.jsonl', 'application/x-ndjson', 'jsonl', $3, $4) RETURNING id`,
      [sourceId, hash, doc.body, doc.body.length],
    );
    return rows[0].id;
  }

  /** Every (paper, content hash) ref in the classify queue, with how many jobs carry it. */
  async function enqueued(): Promise<Map<string, number>> {
    const jobs = await stores.queues.get('classify').getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
    const times = new Map<string, number>();
    for (const job of jobs)
      for (const ref of (job.data as { papers: PaperRef[] }).papers) {
        const key = `${ref.paperId}:${ref.contentHash}`;
        times.set(key, (times.get(key) ?? 0) + 1);
      }
    return times;
  }

  /** Every paper's current content is waiting for the classifier, each (paper, content) in one job only. */
  async function expectEachPaperEnqueuedOnce(times: Map<string, number>): Promise<void> {
    const current: { id: string; content_hash: string }[] = await stores.db.ds.query(`SELECT id, content_hash FROM papers`);
    expect(current.filter((p) => !times.has(`${p.id}:${p.content_hash}`))).toEqual([]);
    expect([...times.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // Paper 7 is listed twice with different content, in different chunks: both contents were enqueued
    // (the classifier's content-hash check skips the stale one); every other paper once.
    expect(times.size).toBe(doc.unique + 1);
  }

  async function counts(docId: string) {
    const [row] = await stores.db.ds.query(
      `SELECT (SELECT count(*)::int FROM papers) AS papers,
              (SELECT count(DISTINCT paper_key)::int FROM papers) AS keys,
              (SELECT count(*)::int FROM paper_versions WHERE raw_document_id = $1) AS versions,
              (SELECT count(*)::int FROM paper_sources WHERE source_id = $2) AS sightings`,
      [docId, sourceId],
    );
    return row as { papers: number; keys: number; versions: number; sightings: number };
  }

  it('stores every paper once and enqueues every paper once, chunk by chunk', async () => {
    expect(doc.body.length).toBeGreaterThan(5 * STREAM_MIN_BYTES);
    const docId = await storeDocument('stream-1');
    const outcome = await parser.handleParseDocument(docId);
    expect(outcome.chunks).toBeGreaterThan(10);
    expect(outcome.papers).toBe(doc.unique);

    const c = await counts(docId);
    expect(c.papers).toBe(doc.unique);
    expect(c.keys).toBe(doc.unique);
    // Paper 7 has two versions in the document (different content), the others one.
    expect(c.versions).toBe(doc.unique + 1);
    expect(c.sightings).toBe(doc.unique);
    const [revised] = await stores.db.ds.query(`SELECT title, version FROM papers WHERE arxiv_id = '2405.00007'`);
    expect(revised).toEqual({ title: 'Streaming paper 7 revised', version: 2 });
    // Normalised on the way in: no bidi override survives.
    expect(Number((await stores.db.ds.query(`SELECT count(*) AS n FROM papers WHERE title ~ '\u202E'`))[0].n)).toBe(0);

    await expectEachPaperEnqueuedOnce(await enqueued());

    const [raw] = await stores.db.ds.query(
      `SELECT status, format, paper_count, entry_errors FROM raw_documents WHERE id = $1`,
      [docId],
    );
    expect(raw).toMatchObject({ status: 'parsed', format: 'jsonl', paper_count: doc.unique });
    expect(raw.entry_errors).toEqual([
      { index: doc.badLine, line: doc.badLine + 1, message: 'not valid JSON' },
      { index: doc.untitledLine, line: doc.untitledLine + 1, id: 'no-title', message: 'missing title' },
    ]);
  });

  it('a crash part way is a retry that writes nothing twice', async () => {
    await stores.queues.get('classify').obliterate({ force: true });
    await stores.db.ds.query(`TRUNCATE papers, paper_versions, paper_sources CASCADE`);
    const docId = await storeDocument('stream-2');
    // The first attempt dies in its fourth chunk's transaction (e.g. the connection drops).
    const transaction = repo.transaction.bind(repo);
    let calls = 0;
    const spy = jest.spyOn(repo, 'transaction').mockImplementation((fn) => {
      calls += 1;
      if (calls === 4) return Promise.reject(new Error('connection terminated unexpectedly'));
      return transaction(fn);
    });
    await expect(parser.handleParseDocument(docId)).rejects.toThrow('connection terminated');
    spy.mockRestore();
    const partial = await counts(docId);
    expect(partial.papers).toBeGreaterThan(0);
    expect(partial.papers).toBeLessThan(doc.unique);
    const [mid] = await stores.db.ds.query(`SELECT status FROM raw_documents WHERE id = $1`, [docId]);
    expect(mid.status).toBe('fetched');

    // The job's retry.
    const outcome = await parser.handleParseDocument(docId);
    expect(outcome.papers).toBe(doc.unique);
    const c = await counts(docId);
    expect(c).toEqual({ papers: doc.unique, keys: doc.unique, versions: doc.unique + 1, sightings: doc.unique });
    await expectEachPaperEnqueuedOnce(await enqueued());

    // A redelivery after success writes nothing either. (It may enqueue again the chunk that listed paper
    // 7's older content, since that chunk's ref now carries the newer hash: a new job id, work the
    // classifier's re-check skips.)
    await parser.handleParseDocument(docId);
    expect(await counts(docId)).toEqual(c);
    const again = await enqueued();
    const current: { id: string; content_hash: string }[] = await stores.db.ds.query(`SELECT id, content_hash FROM papers`);
    expect(current.filter((p) => !again.has(`${p.id}:${p.content_hash}`))).toEqual([]);
    expect([...again.values()].filter((n) => n > 2)).toEqual([]);
  });
});
