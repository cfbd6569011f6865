import { createHash } from 'node:crypto';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { documentProgress, recordSourceFailure, recordSourceSuccess } from '@paperwire/db';
import { Metrics, PermanentError } from '@paperwire/service-kit';
import { createTestStores, type TestStores } from '@paperwire/testing';
import { PaperRepository } from './paper.repository';
import { ParserService } from './parser.service';

// Review 24: a source whose file did not parse showed 200 / no error / 0 failures on `sources list`, /ops and the
// restart summary, and the entries a document skipped were only in raw_documents.entry_errors. The parser writes
// both onto the source row: a failed document fails the source (until a document parses), skipped entries are counted.

interface Health {
  last_status: number | null;
  last_error: string | null;
  last_error_from: string | null;
  consecutive_failures: number;
  failed_polls: number;
  failing_since: Date | null;
  skipped_entries: number | null;
  skipped_sample: { index?: number; id?: string; message: string }[] | null;
}

const entry = (id: string, title: string) => ({ id, title, abstract: `An abstract about ${id}.`, authors: ['A. Author'] });

describe('a source takes in its latest document (Postgres + Redis)', () => {
  let stores: TestStores;
  let parser: ParserService;

  beforeAll(async () => {
    stores = await createTestStores('parser_source_health');
    parser = new ParserService(new PaperRepository(stores.db.ds), stores.queues, loadConfig(commonEnvSchema, {}), new Metrics());
  });

  afterAll(async () => {
    await stores?.close();
  });

  const addSource = async (name: string, url = '/tmp/x.json'): Promise<string> => {
    const id = ((await stores.db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ($1, 'file', $2) RETURNING id`, [name, url])) as { id: string }[])[0]!.id;
    await recordSourceSuccess(stores.db.ds, id, { status: 200, items: null });
    return id;
  };
  const storeDocument = async (sourceId: string, body: string, url = '/tmp/x.json'): Promise<string> =>
    ((await stores.db.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, url, body, byte_size) VALUES ($1, $2, $5, $3, $4) RETURNING id`,
      [sourceId, createHash('sha256').update(body).digest('hex'), Buffer.from(body), Buffer.byteLength(body), url],
    )) as { id: string }[])[0]!.id;
  const health = async (id: string): Promise<Health> =>
    ((await stores.db.ds.query(
      `SELECT last_status, last_error, last_error_from, consecutive_failures, failed_polls, failing_since, skipped_entries, skipped_sample FROM sources WHERE id = $1`,
      [id],
    )) as Health[])[0]!;

  it('a document that cannot be parsed fails its source; the next good one brings it back, with its skipped entries', async () => {
    const id = await addSource('broken1');
    const broken = await storeDocument(id, '[{"id": "2612.00001", "title": "cut sh');
    await expect(parser.handleParseDocument(broken)).rejects.toThrow('unknown-format');
    const failing = await health(id);
    expect(failing).toMatchObject({ last_status: 200, last_error_from: 'parse', consecutive_failures: 1, failed_polls: 1 });
    expect(failing.last_error).toBe(`the latest document (${broken}) could not be parsed: unknown-format: invalid JSON`);
    expect(failing.failing_since).not.toBeNull();

    const good = await storeDocument(id, JSON.stringify([entry('2612.00002', 'First'), entry('2612.00003', ''), entry('2612.00004', 'Third')]));
    await expect(parser.handleParseDocument(good)).resolves.toMatchObject({ papers: 2, errors: 1 });
    expect(await health(id)).toMatchObject({
      last_status: 200,
      last_error: null,
      last_error_from: null,
      consecutive_failures: 0,
      failed_polls: 0,
      failing_since: null,
      skipped_entries: 1,
      skipped_sample: [expect.objectContaining({ index: 1, message: 'missing title' })],
    });
    // and `ingest --wait` (documentProgress) names the skipped entry beside the papers
    expect(await documentProgress(stores.db.ds, good)).toMatchObject({
      status: 'parsed',
      paperCount: 2,
      skippedEntries: 1,
      skipped: [expect.objectContaining({ index: 1, message: 'missing title' })],
    });
  });

  // review 27: /ops and `sources list` showed "malformed XML at line 1: Invalid '[    "feed",    "entry",    "title"]' found."
  it('a malformed Atom document fails its source in plain words; the job carries the validator\'s own for the log', async () => {
    const id = await addSource('broken-atom', '/tmp/x.atom');
    const broken = await storeDocument(id, '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>http://arxiv.org/abs/2612.00005v1</id><title>Cut\n', '/tmp/x.atom');
    const err = (await parser.handleParseDocument(broken).catch((e: unknown) => e)) as PermanentError;
    expect(err).toBeInstanceOf(PermanentError);
    const plain = 'malformed: not well-formed XML: the document ends inside <title> (in <entry> in <feed>): expected </title> and the closing tags after it (is the file cut short?)';
    expect(err.message).toBe(plain);
    expect(err.detail).toBe(`line 1: Invalid '[    "feed",    "entry",    "title"]' found.`);
    expect((await health(id)).last_error).toBe(`the latest document (${broken}) could not be parsed: ${plain}`);
  });

  it("a document that parses leaves a failing fetch's error alone (the fetcher clears its own)", async () => {
    const id = await addSource('fetch-failing');
    await recordSourceFailure(stores.db.ds, id, 503, 'HTTP 503 from http://example.org/feed', true);
    await parser.handleParseDocument(await storeDocument(id, JSON.stringify([entry('2612.00010', 'Kept')])));
    expect(await health(id)).toMatchObject({ last_error: 'HTTP 503 from http://example.org/feed', last_error_from: 'fetch', consecutive_failures: 1, skipped_entries: 0 });
  });

  it('a fetch failure between a failed parse and a 304 does not make the source healthy: it still serves that document', async () => {
    const id = await addSource('broken-then-304');
    const broken = await storeDocument(id, '[{"id": "2612.00020", "title": "cut sh');
    await expect(parser.handleParseDocument(broken)).rejects.toThrow('unknown-format');
    const reason = `the latest document (${broken}) could not be parsed: unknown-format: invalid JSON`;
    await recordSourceFailure(stores.db.ds, id, null, 'connect ECONNRESET', false);
    await recordSourceSuccess(stores.db.ds, id, { status: 304, items: null });
    expect(await health(id)).toMatchObject({ last_status: 304, last_error: reason, last_error_from: 'parse', consecutive_failures: 2, failed_polls: 1 });
    expect((await health(id)).failing_since).not.toBeNull();

    // once a document parsed, the same sequence leaves it healthy: what it serves now parsed
    await parser.handleParseDocument(await storeDocument(id, JSON.stringify([entry('2612.00021', 'Fine')])));
    await recordSourceFailure(stores.db.ds, id, null, 'connect ECONNRESET', false);
    await recordSourceSuccess(stores.db.ds, id, { status: 304, items: null });
    expect(await health(id)).toMatchObject({ last_status: 304, last_error: null, last_error_from: null, consecutive_failures: 0, failing_since: null });
  });
});
