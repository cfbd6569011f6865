import { createHash } from 'node:crypto';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { sightingsOfPaper, storeRawDocument } from '@paperwire/db';
import { Metrics } from '@paperwire/service-kit';
import { createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// Review 24 (second pass): raw documents were stored once per content hash across sources, so a second source
// serving a copy of a file another source had ingested got the first source's document back, already parsed: no
// parse for it, no sightings from it, no skipped entries on it. Documents are stored once per source now.
describe('two sources serving the same bytes (Postgres + Redis)', () => {
  let stores: TestStores;
  let parser: ParserService;

  beforeAll(async () => {
    stores = await createTestStores('parser_same_bytes');
    parser = new ParserService(new PaperRepository(stores.db.ds), stores.queues, loadConfig(commonEnvSchema, {}), new Metrics());
  });

  afterAll(async () => {
    await stores?.close();
  });

  const body = JSON.stringify([
    { id: '2612.00301', title: 'Shared one', abstract: 'An abstract.', authors: ['A. Author'] },
    { id: '2612.00302', title: '', abstract: 'No title.', authors: ['A. Author'] },
  ]);
  const addSource = async (name: string): Promise<string> =>
    ((await stores.db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ($1, 'file', '/tmp/x.json') RETURNING id`, [name])) as { id: string }[])[0]!.id;
  /** What the fetcher does with a fetched body: store it, and parse it when it still needs parsing. */
  const fetched = async (sourceId: string) => {
    const stored = await storeRawDocument(stores.db.ds, {
      sourceId,
      contentHash: createHash('sha256').update(body).digest('hex'),
      url: '/tmp/x.json',
      contentType: null,
      formatHint: null,
      body: Buffer.from(body),
    });
    if (stored.status === 'fetched') await parser.handleParseDocument(stored.id);
    return stored;
  };

  it("the second source's copy is its own document: parsed for it, its sightings and skipped entries recorded", async () => {
    const myhf = await addSource('myhf');
    const myhf2 = await addSource('myhf2');
    const first = await fetched(myhf);
    expect(first.created).toBe(true);
    // the same source polling the same bytes again: found, not stored or parsed again
    expect(await fetched(myhf)).toMatchObject({ id: first.id, created: false, status: 'parsed' });

    const second = await fetched(myhf2);
    expect(second).toMatchObject({ created: true, status: 'fetched' });
    expect(second.id).not.toBe(first.id);
    const [{ id: paperId }] = (await stores.db.ds.query(`SELECT id FROM papers WHERE arxiv_id = '2612.00301'`)) as { id: string }[];
    expect((await sightingsOfPaper(stores.db.ds, paperId)).map((s) => s.source_name).sort()).toEqual(['myhf', 'myhf2']);
    const [health] = (await stores.db.ds.query(`SELECT skipped_entries, last_item_count FROM sources WHERE id = $1`, [myhf2])) as Record<string, unknown>[];
    expect(health).toEqual({ skipped_entries: 1, last_item_count: 1 });
  });
});
