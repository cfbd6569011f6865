import 'reflect-metadata';
import { join } from 'node:path';
import { createApiKey } from '@paperwire/db';
import { REPO_ROOT } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// The `upload` source is not fetched: `paperwire ingest` stores a document under it. Its row on /ops and in
// the stats said "never" for the last attempt and the lag although uploads worked (the row read the
// fetcher's columns, which an upload never wrote): now its last attempt and success are the last upload,
// and the lag, which does not apply to a source that is not polled, says so.

const FEED = join(REPO_ROOT, 'libs/feeds/fixtures/ok/arxiv-rss/distill_rss_cs.AI_3items.xml');

describe('/ops and the stats: the upload source after an upload', () => {
  let admin = '';
  const api = useTestApi('t_ops_upload', async (db) => {
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
  });
  const cell = (html: string, id: string) => new RegExp(`data-testid="${id}">([^<]*)<`).exec(html)?.[1];

  it('shows when the last upload arrived, and that a lag does not apply', async () => {
    const before = Date.now() - 1000;
    for (let i = 0; i < 2; i++) {
      // The second upload of the same document is stored once but still arrived.
      const r = await api.cli(['ingest', FEED]);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
    const [{ n }] = await api.db.ds.query(`SELECT count(*)::int AS n FROM raw_documents`);
    expect(n).toBe(1);

    const page = (await api.http().get('/ops').expect(200)).text;
    const attempt = cell(page, 'source-upload-last-attempt');
    const success = cell(page, 'source-upload-last-success');
    for (const at of [attempt, success]) expect(Date.parse(at ?? '')).toBeGreaterThanOrEqual(before);
    expect(cell(page, 'source-upload-lag')).toBe('not polled');
    expect(cell(page, 'source-upload-status')).toBe('—');
    expect(cell(page, 'source-upload-failures')).toBe('none');
    expect(cell(page, 'source-upload-polled')).toBe('not polled (uploads)');

    const stats = (await api.http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200)).body;
    const upload = stats.sources.find((s: { kind: string }) => s.kind === 'upload');
    expect(upload).toMatchObject({ name: 'upload', lastAttemptAt: attempt?.replace(' ', 'T'), lastSuccessAt: success?.replace(' ', 'T'), lastStatus: null, lastError: null, consecutiveFailures: 0 });
    expect(typeof upload.lagSeconds).toBe('number');
  });
});
