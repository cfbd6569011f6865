import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { REPO_ROOT, createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// A text capture's date line ("Sep 1") dates its papers in the year of the capture, never after it: the parser
// reads the year from when the document was fetched, and a replayed capture lists its papers on that day.
describe('a text capture is dated by its page date (Postgres + Redis)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await createTestStores('capture_date');
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('"Sep 1" captured on 2026-03-15 is 2025-09-01 for every paper, and their day', async () => {
    const { ds } = stores.db;
    const body = readFileSync(join(REPO_ROOT, 'data/sample/daily-papers-sep-1.txt'));
    const [source]: { id: string }[] = await ds.query(
      `INSERT INTO sources (name, kind) VALUES ('capture', 'upload') RETURNING id`,
    );
    const [doc]: { id: string }[] = await ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, format_hint, body, byte_size, fetched_at)
       VALUES ($1, 'capture-sep-1', 'daily-papers-text', $2, $3, '2026-03-15T10:00:00Z') RETURNING id`,
      [source.id, body, body.length],
    );
    const parser = new ParserService(
      new PaperRepository(ds),
      stores.queues,
      loadConfig(commonEnvSchema, {}),
      new Metrics(),
    );
    expect((await parser.handleParseDocument(doc.id)).papers).toBe(60);
    const dates: { published_at: Date }[] = await ds.query(`SELECT DISTINCT published_at FROM papers`);
    expect(dates.map((r) => r.published_at.toISOString())).toEqual(['2025-09-01T00:00:00.000Z']);
    const days: { day: string }[] = await ds.query(`SELECT DISTINCT day::text FROM paper_days`);
    expect(days).toEqual([{ day: '2025-09-01' }]);
  });
});
