import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { markRawDocumentFailed, recordSourceSuccess } from '@paperwire/db';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { useTestStores } from '@paperwire/testing/jest';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';

// Review 24: polling a file again whose bytes failed to parse before recorded a clean success (200, no error, 0
// failures): the document is not parsed again, so nothing else would say the source still does not work.
describe('a refetch of bytes that failed to parse', () => {
  const stores = useTestStores('fetch_failed_doc');
  let fetcher: FetcherService;

  beforeAll(() => {
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0' });
    fetcher = new FetcherService(new SourceRepository(stores().db.ds), stores().queues, stores().redis, config, createLogger('failed-doc', 'silent'), new Metrics());
  });

  it('keeps the source failing with the document\'s reason, and counts the poll', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pw-failed-doc-')), 'x.json');
    writeFileSync(path, '[{"id": "2612.00001", "title": "cut sh');
    const [{ id }] = (await stores().db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ('broken1', 'file', $1) RETURNING id`, [path])) as { id: string }[];
    const first = await fetcher.handleFetchSource(id, 'manual', true);
    await markRawDocumentFailed(stores().db.ds, first.rawDocumentId!, 'unknown-format: invalid JSON');

    const again = await fetcher.handleFetchSource(id, 'manual', true);
    expect(again).toMatchObject({ rawDocumentId: first.rawDocumentId, newDocument: false });
    const [row] = (await stores().db.ds.query(`SELECT last_status, last_error, consecutive_failures, failed_polls FROM sources WHERE id = $1`, [id])) as Record<string, unknown>[];
    expect(row).toEqual({
      last_status: 200,
      last_error: `the latest document (${first.rawDocumentId}) could not be parsed: unknown-format: invalid JSON`,
      consecutive_failures: 1,
      failed_polls: 1,
    });
  });

  it('a 304 (the same document again) keeps the parse failure, even after a fetch failure overwrote it; another document ends it', async () => {
    const [{ id }] = (await stores().db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ('etagged', 'arxiv-rss', 'https://example.org/rss') RETURNING id`)) as { id: string }[];
    const health = async () =>
      ((await stores().db.ds.query(`SELECT last_status, last_error, last_error_from, consecutive_failures FROM sources WHERE id = $1`, [id])) as Record<string, unknown>[])[0];
    const parseFailure = 'the latest document (d) could not be parsed: malformed: cut short';
    await new SourceRepository(stores().db.ds).recordDocumentFailed(id, parseFailure);
    await recordSourceSuccess(stores().db.ds, id, { status: 304, items: null });
    expect(await health()).toEqual({ last_status: 304, last_error: parseFailure, last_error_from: 'parse', consecutive_failures: 1 });
    // a fetch failure shows its own error ...
    await new SourceRepository(stores().db.ds).recordFailure(id, 503, 'HTTP 503', true);
    expect(await health()).toEqual({ last_status: 503, last_error: 'HTTP 503', last_error_from: 'fetch', consecutive_failures: 2 });
    // ... but the next poll's 304 says the upstream still serves the document that did not parse: still failing
    await recordSourceSuccess(stores().db.ds, id, { status: 304, items: null });
    expect(await health()).toEqual({ last_status: 304, last_error: parseFailure, last_error_from: 'parse', consecutive_failures: 2 });
    // a fetch that brings another document (not parsed yet) ends it, and a 304 of that one stays healthy
    await recordSourceSuccess(stores().db.ds, id, { status: 200, items: null });
    expect(await health()).toEqual({ last_status: 200, last_error: null, last_error_from: null, consecutive_failures: 0 });
    await new SourceRepository(stores().db.ds).recordFailure(id, 503, 'HTTP 503', true);
    await recordSourceSuccess(stores().db.ds, id, { status: 304, items: null });
    expect(await health()).toEqual({ last_status: 304, last_error: null, last_error_from: null, consecutive_failures: 0 });
  });
});
