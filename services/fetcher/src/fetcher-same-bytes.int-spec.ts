import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { failedRawDocuments, markRawDocumentFailed, markRawDocumentParsed, recordSourceItems } from '@paperwire/db';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { useTestStores } from '@paperwire/testing/jest';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';

// Review 24 (second pass): bytes a source had fetched before are not parsed again — right for an unchanged file,
// but a file restored to good bytes after a bad edit kept the bad edit's health (no skipped entries), and a file
// that stayed broken restarted its failure streak on every poll.
describe('a file source fetching bytes it fetched before', () => {
  const stores = useTestStores('fetch_same_bytes');
  let fetcher: FetcherService;
  let sources: SourceRepository;

  beforeAll(() => {
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0' });
    sources = new SourceRepository(stores().db.ds);
    fetcher = new FetcherService(sources, stores().queues, stores().redis, config, createLogger('same-bytes', 'silent'), new Metrics());
  });

  const fileSource = async (name: string): Promise<{ id: string; path: string }> => {
    const path = join(mkdtempSync(join(tmpdir(), 'pw-same-bytes-')), 'x.json');
    const [{ id }] = (await stores().db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ($1, 'file', $2) RETURNING id`, [name, path])) as { id: string }[];
    return { id, path };
  };
  /** What the parser does with a document that does not parse (PaperRepository.markFailed). */
  const parseFails = async (sourceId: string, documentId: string): Promise<void> => {
    await markRawDocumentFailed(stores().db.ds, documentId, 'unknown-format: invalid JSON');
    await sources.recordDocumentFailed(sourceId, `the latest document (${documentId}) could not be parsed: unknown-format: invalid JSON`);
  };
  const health = async (id: string) =>
    ((await stores().db.ds.query(
      `SELECT last_error, last_error_from, consecutive_failures, failed_polls, failing_since, last_item_count, skipped_entries, skipped_sample FROM sources WHERE id = $1`,
      [id],
    )) as Record<string, unknown>[])[0]!;

  it('a bad document polled again is one streak: failingSince stays at its first failure, every poll counts', async () => {
    const { id, path } = await fileSource('broken-twice');
    writeFileSync(path, '[{"id": "2612.00101", "title": "cut sh');
    const first = await fetcher.handleFetchSource(id, 'manual', true);
    await parseFails(id, first.rawDocumentId!);
    const since = (await health(id)).failing_since as Date;
    expect(since).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));

    for (const polls of [2, 3]) {
      expect(await fetcher.handleFetchSource(id, 'manual', true)).toMatchObject({ rawDocumentId: first.rawDocumentId, newDocument: false });
      expect(await health(id)).toMatchObject({ last_error_from: 'parse', consecutive_failures: polls, failed_polls: polls, failing_since: since });
    }
    // still a current problem in `stats`
    expect((await failedRawDocuments(stores().db.ds)).map((d) => d.id)).toContain(first.rawDocumentId);
  });

  it('good → bad → the same good bytes again: the good document\'s items and skipped entries are the source\'s again', async () => {
    const { id, path } = await fileSource('restored');
    writeFileSync(path, '[{"id": "2612.00201", "title": "Good"}]');
    const good = await fetcher.handleFetchSource(id, 'manual', true);
    const skipped = [{ index: 1, message: 'missing title' }];
    // (as the parser records it)
    await markRawDocumentParsed(stores().db.ds, good.rawDocumentId!, 'json', 1, skipped);
    await recordSourceItems(stores().db.ds, id, 1, null, { count: 1, sample: skipped });

    writeFileSync(path, '[{"id": "2612.00202", "title": "cut sh');
    const bad = await fetcher.handleFetchSource(id, 'manual', true);
    expect(bad.newDocument).toBe(true);
    await parseFails(id, bad.rawDocumentId!);
    expect(await health(id)).toMatchObject({ skipped_entries: null, consecutive_failures: 1 });

    writeFileSync(path, '[{"id": "2612.00201", "title": "Good"}]');
    // the same source, the same bytes: the stored document, not parsed again
    expect(await fetcher.handleFetchSource(id, 'manual', true)).toMatchObject({ rawDocumentId: good.rawDocumentId, newDocument: false });
    expect(await health(id)).toMatchObject({
      last_error: null,
      consecutive_failures: 0,
      failed_polls: 0,
      failing_since: null,
      last_item_count: 1,
      skipped_entries: 1,
      skipped_sample: skipped,
    });
    // the recovered source's failed document is no current problem in `stats`
    expect((await failedRawDocuments(stores().db.ds)).map((d) => d.id)).not.toContain(bad.rawDocumentId);
  });
});
