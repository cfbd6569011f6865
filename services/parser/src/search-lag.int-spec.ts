import { JOB_QUEUE, QUEUES, type PaperRef } from '@paperwire/contracts';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { searchLag } from '@paperwire/queue';
import { Metrics } from '@paperwire/service-kit';
import { createTestStores, startJobWorkers, waitFor, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// Issue #19 / brief `lag`: full-text search stays current during a backfill. The parser's two jobs run
// where the pipeline table puts them, with one worker per queue as the parser process does. A parse
// backlog must not hold the index-search jobs back: with index-search as a low-priority job on the parse
// queue (BullMQ priorities are strict) its papers waited for the whole backlog; on its own queue they are
// searchable while most documents still wait. The search-lag gauge (searchLag) says how far behind it is.

jest.setTimeout(120_000);

const DOCS = 200;
const PAPERS_PER_DOC = 25;

describe('search lag under a parse backlog (Postgres + Redis)', () => {
  let stores: TestStores;
  let parser: ParserService;
  let sourceId: string;

  beforeAll(async () => {
    stores = await createTestStores('search_lag');
    const config = loadConfig(commonEnvSchema, { BATCH_SIZE: '50' });
    parser = new ParserService(new PaperRepository(stores.db.ds), stores.queues, config, new Metrics());
    sourceId = (await stores.db.ds.query(`INSERT INTO sources (name, kind) VALUES ('upload', 'file') RETURNING id`))[0].id;
  });

  afterAll(async () => {
    await stores?.close();
  });

  const ref = (i: number): PaperRef => ({
    paperId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    contentHash: String(i % 10).repeat(64),
  });

  it('reads the pending papers and the age of the oldest pending index-search job from the queue', async () => {
    const now = Date.now();
    expect(await searchLag(stores.queues, now)).toEqual({ oldestSeconds: 0, papers: 0, jobs: 0 });
    await stores.queues.enqueue('index-search', { refs: [ref(1), ref(2), ref(3)] }, { timestamp: now - 90_000 });
    await stores.queues.enqueue('index-search', { refs: [ref(4)] }, { timestamp: now - 5_000 });
    // Another queue's jobs are not search work.
    await stores.queues.enqueue('parse-document', { rawDocumentId: ref(5).paperId }, { timestamp: now - 600_000 });
    const lag = await searchLag(stores.queues, now);
    expect(lag).toEqual({ oldestSeconds: 90, papers: 4, jobs: 2 });
    // A retrying job (delayed) still holds its papers back; a completed one does not.
    const queue = stores.queues.get(JOB_QUEUE['index-search']);
    await queue.obliterate({ force: true });
    await stores.queues.get(QUEUES.parse).obliterate({ force: true });
    await stores.queues.enqueue('index-search', { refs: [ref(6), ref(7)] }, { timestamp: now - 30_000, delay: 60_000 });
    expect(await searchLag(stores.queues, now)).toEqual({ oldestSeconds: 30, papers: 2, jobs: 1 });
    await queue.obliterate({ force: true });
  });

  /** `DOCS` JSON Lines documents of `PAPERS_PER_DOC` new papers each, stored and queued for the parser at once. */
  async function backlog(): Promise<string[]> {
    const ids: string[] = [];
    for (let d = 0; d < DOCS; d += 1) {
      const lines = Array.from({ length: PAPERS_PER_DOC }, (_, k) => {
        const n = d * PAPERS_PER_DOC + k;
        const word = d === 0 ? 'zeolite' : 'filler';
        return JSON.stringify({
          id: `2502.${String(n).padStart(5, '0')}`,
          title: `Paper ${n} on ${word} catalysts`,
          abstract: `We study ${word} number ${n} in depth.`,
          authors: ['A. Author'],
          categories: ['cs.LG'],
        });
      });
      const body = Buffer.from(lines.join('\n') + '\n');
      const [doc]: { id: string }[] = await stores.db.ds.query(
        `INSERT INTO raw_documents (source_id, content_hash, url, content_type, format_hint, body, byte_size)
         VALUES ($1, md5($2), 'upload.jsonl', 'application/x-ndjson', 'jsonl', $3, $4) RETURNING id`,
        [sourceId, `backlog-${d}`, body, body.length],
      );
      ids.push(doc.id);
    }
    await stores.queues.enqueueBulk(
      'parse-document',
      ids.map((rawDocumentId) => ({ rawDocumentId })),
    );
    return ids;
  }

  const searchable = async (word: string): Promise<number> =>
    Number(
      (
        await stores.db.ds.query(
          `SELECT count(*) AS n FROM paper_search WHERE search @@ plainto_tsquery('english', $1)`,
          [word],
        )
      )[0].n,
    );

  it('indexes the first document of a parse backlog while most of the backlog still waits, and keeps the lag bounded', async () => {
    await backlog();
    const parseQueue = stores.queues.get(JOB_QUEUE['parse-document']);
    const workers = startJobWorkers(stores, {
      'parse-document': (d) => parser.handleParseDocument(d.rawDocumentId),
      'index-search': (d) => parser.handleIndexSearch(d.refs),
    });
    try {
      const samples: { lag: number; waitingDocs: number }[] = [];
      let firstSearchableWith: number | null = null;
      for (;;) {
        const counts = await parseQueue.getJobCounts('waiting', 'active', 'prioritized');
        const parseJobs = await parseQueue.getRanges(['wait', 'active'], 0, -1);
        const waitingDocs = parseJobs.filter((id) => id.startsWith('parse-')).length;
        const lag = await searchLag(stores.queues);
        samples.push({ lag: lag.oldestSeconds, waitingDocs });
        if (firstSearchableWith === null && (await searchable('zeolite')) === PAPERS_PER_DOC)
          firstSearchableWith = waitingDocs;
        if (counts.waiting + counts.active + counts.prioritized === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // The first document's papers were searchable while most documents still waited to be parsed.
      expect(firstSearchableWith).not.toBeNull();
      expect(firstSearchableWith!).toBeGreaterThan(DOCS / 2);
      // While the backlog lasted, search was never more than a few seconds behind.
      const during = samples.filter((s) => s.waitingDocs > 0);
      expect(during.length).toBeGreaterThan(5);
      expect(Math.max(...during.map((s) => s.lag))).toBeLessThan(10);
      await waitFor('every paper searchable', async () => (await searchLag(stores.queues)).jobs === 0, 30_000, 100);
      expect(await searchable('filler')).toBe((DOCS - 1) * PAPERS_PER_DOC);
    } finally {
      await workers.close();
    }
  });
});
