import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { REPO_ROOT, createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// `paperwire ingest README.md --wait` was read as a Daily Papers text capture: 14 "papers" titled "## Security",
// "## Tests" …, listed, classified and sent to subscribers. An upload of prose or Markdown is a failed document with
// a reason naming the formats, and no paper. The repository's own README, as the review ingested it (Postgres + Redis).
describe('an uploaded README is no capture (Postgres + Redis)', () => {
  let stores: TestStores;
  beforeAll(async () => {
    stores = await createTestStores('prose_upload');
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('fails the document with a reason naming the formats, and creates no paper', async () => {
    const { ds } = stores.db;
    const body = readFileSync(join(REPO_ROOT, 'README.md'));
    const [source]: { id: string }[] = await ds.query(`INSERT INTO sources (name, kind) VALUES ('upload', 'upload') RETURNING id`);
    const [doc]: { id: string }[] = await ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, body, byte_size) VALUES ($1, 'readme', '/repo/README.md', $2, $3) RETURNING id`,
      [source.id, body, body.length],
    );
    const parser = new ParserService(new PaperRepository(ds), stores.queues, loadConfig(commonEnvSchema, {}), new Metrics());
    await parser.handleParseDocument(doc.id).catch(() => undefined);
    const [row]: { status: string; error: string }[] = await ds.query(`SELECT status, error FROM raw_documents WHERE id = $1`, [doc.id]);
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/Markdown .*not a Daily Papers listing capture/);
    expect(row.error).toContain('hf-daily-papers, arxiv-api, arxiv-rss, arxiv-oai, hf-papers-html, daily-papers-text, jsonl');
    expect(await ds.query(`SELECT count(*)::int AS n FROM papers`)).toEqual([{ n: 0 }]);
  });
});
