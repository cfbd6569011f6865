import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestDocument } from '@paperwire/actions';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { REPO_ROOT, createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// Review 26d: after `paperwire ingest small.atom -f jsonl` failed ("content is not JSON Lines"), the same file with
// `-f arxiv-api`, or with no format, answered the stored failure for ever. An upload refused in one format is read
// again when asked in another (or none); the same format again is the same failure (Postgres + Redis).
describe('an upload refused in the wrong format is read again in the format asked next', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await createTestStores('reformat_upload');
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('fails as JSON Lines, fails again as JSON Lines, then parses as the arXiv API feed it is', async () => {
    const { ds } = stores.db;
    const body = readFileSync(join(REPO_ROOT, 'data/sample/brevio_query_cat-cs.LG-OR-cs.AI_max20_2026-04-30.xml'));
    const parser = new ParserService(new PaperRepository(ds), stores.queues, loadConfig(commonEnvSchema, {}), new Metrics());
    const status = async (id: string) => ((await ds.query(`SELECT status, error, format_hint FROM raw_documents WHERE id = $1`, [id])) as { status: string; error: string | null; format_hint: string | null }[])[0];

    const wrong = await ingestDocument(ds, stores.queues, { body, location: '/tmp/small.atom', format: 'jsonl' });
    await parser.handleParseDocument(wrong.rawDocumentId).catch(() => undefined);
    expect(await status(wrong.rawDocumentId)).toMatchObject({ status: 'failed', format_hint: 'jsonl' });

    const same = await ingestDocument(ds, stores.queues, { body, location: '/tmp/small.atom', format: 'jsonl' });
    expect(same.rawDocumentId).toBe(wrong.rawDocumentId);
    expect(await status(wrong.rawDocumentId)).toMatchObject({ status: 'failed' });

    const right = await ingestDocument(ds, stores.queues, { body, location: '/tmp/small.atom', format: 'arxiv-api' });
    expect(right).toMatchObject({ rawDocumentId: wrong.rawDocumentId, created: false });
    expect(await status(wrong.rawDocumentId)).toEqual({ status: 'fetched', error: null, format_hint: 'arxiv-api' });
    // a parse job of its own was queued (the first one's id is not reused)
    const jobs = await stores.queues.get('parse').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => (j.data as { rawDocumentId?: string }).rawDocumentId === wrong.rawDocumentId).length).toBeGreaterThanOrEqual(2);
    await parser.handleParseDocument(wrong.rawDocumentId);
    expect((await status(wrong.rawDocumentId)).status).toBe('parsed');
    expect(((await ds.query(`SELECT count(*)::int AS n FROM papers`)) as { n: number }[])[0]!.n).toBeGreaterThan(0);
  });
});
