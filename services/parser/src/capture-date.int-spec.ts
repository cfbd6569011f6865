import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { MIGRATIONS } from '@paperwire/db';
import { REPO_ROOT, createTestStores, seedPaper, seedSource, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// A text capture's date line ("Sep 1") is the day Daily Papers listed its papers, in the year of the capture, never
// after it: the parser reads the year from when the document was fetched, and a replayed capture lists its papers on
// that day. It is not their publication date: the capture states none, so published_at stays null.
describe('a text capture is dated by its page date (Postgres + Redis)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await createTestStores('capture_date');
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('"Sep 1" captured on 2026-03-15 lists every paper on 2025-09-01, with no publication date', async () => {
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
    const dates: { published_at: Date | null }[] = await ds.query(`SELECT DISTINCT published_at FROM papers`);
    expect(dates).toEqual([{ published_at: null }]);
    const listed: { featured_at: Date }[] = await ds.query(`SELECT DISTINCT featured_at FROM paper_sources`);
    expect(listed.map((r) => r.featured_at.toISOString())).toEqual(['2025-09-01T00:00:00.000Z']);
    const days: { day: string }[] = await ds.query(`SELECT DISTINCT day::text FROM paper_days`);
    expect(days).toEqual([{ day: '2025-09-01' }]);
  });

  // Rows the previous parser wrote: the date line stored as published_at, no featured_at. Migration 1796160000000
  // moves the day back to the listing and clears the date; a paper another source created keeps its 00:00 UTC date.
  it('the migration clears the dates only the capture gave, keeps the day listing, and down restores them', async () => {
    const { ds } = stores.db;
    const oaiSource = await seedSource(ds, 'oai', 'arxiv-oai');
    const id = await seedPaper(ds, { arxivId: '2403.00001', title: 'Dated by OAI', abstract: 'A paper.', publishedAt: '2024-03-01T00:00:00Z' });
    await ds.query(
      `INSERT INTO paper_sources (paper_id, source_id, source_kind, first_seen_at) SELECT id, $2, 'arxiv-oai', created_at FROM papers WHERE id = $1`,
      [id, oaiSource],
    );
    const dated = { id };
    await ds.query(`UPDATE papers SET published_at = '2025-09-01T00:00:00Z' WHERE published_at IS NULL`);
    await ds.query(`UPDATE paper_sources SET featured_at = NULL WHERE source_kind = 'upload'`);
    const state = async () =>
      (await ds.query(
        `SELECT (SELECT array_agg(DISTINCT coalesce(published_at::text, 'null')) FROM papers WHERE id <> $1) AS published,
                (SELECT published_at FROM papers WHERE id = $1) AS oai,
                (SELECT array_agg(DISTINCT coalesce(featured_at::text, 'null')) FROM paper_sources WHERE source_kind = 'upload') AS featured,
                (SELECT array_agg(DISTINCT day::text) FROM paper_days WHERE paper_id <> $1) AS days`,
        [dated.id],
      ))[0];
    const run = async (dir: 'up' | 'down') => {
      const runner = ds.createQueryRunner();
      try {
        const Migration = MIGRATIONS.find((m) => m.name === 'TextCaptureDates1796160000000')!;
        await new Migration()[dir](runner);
      } finally {
        await runner.release();
      }
    };
    await run('up');
    expect(await state()).toEqual({
      published: ['null'],
      oai: new Date('2024-03-01T00:00:00Z'),
      featured: ['2025-09-01 00:00:00+00'],
      days: ['2025-09-01'],
    });
    await run('down');
    expect((await state()).published).toEqual(['2025-09-01 00:00:00+00']);
    expect((await state()).days).toEqual(['2025-09-01']);
    await run('up');
    expect((await state()).published).toEqual(['null']);
  });

  it("an HF Daily Papers response keeps HF's own order of its day (capture_pos: the HF-compatible API's order)", async () => {
    const { ds } = stores.db;
    const file = join(REPO_ROOT, 'libs/feeds/fixtures/ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json');
    const body = readFileSync(file);
    const [source]: { id: string }[] = await ds.query(`INSERT INTO sources (name, kind) VALUES ('hf', 'hf-daily-papers') RETURNING id`);
    const [doc]: { id: string }[] = await ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, format_hint, body, byte_size, fetched_at)
       VALUES ($1, 'hf-all-news', 'hf-daily-papers', $2, $3, '2026-07-31T10:00:00Z') RETURNING id`,
      [source.id, body, body.length],
    );
    const parser = new ParserService(new PaperRepository(ds), stores.queues, loadConfig(commonEnvSchema, {}), new Metrics());
    expect((await parser.handleParseDocument(doc.id)).papers).toBe(5);
    const order: { arxiv_id: string }[] = await ds.query(
      `SELECT p.arxiv_id FROM paper_days d JOIN papers p ON p.id = d.paper_id WHERE d.day = '2026-07-31' ORDER BY d.capture_pos`,
    );
    const hf = JSON.parse(body.toString('utf8')) as { paper: { id: string } }[];
    expect(order.map((r) => r.arxiv_id)).toEqual(hf.map((i) => i.paper.id));
  });
});
