import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorClass } from '@paperwire/contracts';
import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { startReplayServer, type ReplayServer } from '@paperwire/testing';
import { useTestStores } from '@paperwire/testing/jest';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';

// Issue 14, item 3: a source with private access (an operator's --allow-private) reached an internal
// service, and ~300 bytes of its answer came back in the source's last_error. An error keeps the
// status line and the URL without its query; never the upstream's body.
describe('fetch errors never store the upstream body', () => {
  const stores = useTestStores('fetch_errtext');
  let server: ReplayServer;
  let fetcher: FetcherService;

  beforeAll(async () => {
    server = await startReplayServer({
      '/internal': { status: 500, body: 'db_password=hunter2\nadmin_token=s3cr3t', contentType: 'text/plain' },
      '/gone': { status: 404, body: '<html>internal wiki page: db_password=hunter2</html>', contentType: 'text/html' },
    });
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0', FETCH_TIMEOUT_MS: '5000' });
    fetcher = new FetcherService(new SourceRepository(stores().db.ds), stores().queues, stores().redis, config, createLogger('errtext', 'silent'), new Metrics());
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['/internal', 500],
    ['/gone', 404],
  ])('%s: last_error is "http-status: HTTP %i from <url without query>"', async (path, status) => {
    const [{ id }] = (await stores().db.ds.query(
      `INSERT INTO sources (name, kind, url, allow_private, min_interval_ms) VALUES ($1, 'arxiv-rss', $2, true, 0) RETURNING id`,
      [`internal${path.replace('/', '-')}`, `${server.url}${path}?api_token=tok123`],
    )) as { id: string }[];
    await expect(fetcher.handleFetchSource(id, 'manual', true)).rejects.toThrow(`HTTP ${status}`);
    const [row] = (await stores().db.ds.query(`SELECT last_status, last_error FROM sources WHERE id = $1`, [id])) as {
      last_status: number;
      last_error: string;
    }[];
    expect(server.hits(`${path}?api_token=tok123`).length).toBeGreaterThan(0);
    expect(row.last_status).toBe(status);
    expect(row.last_error).toBe(`http-status: HTTP ${status} from ${server.url}${path}`);
    expect(row.last_error).not.toMatch(/hunter2|s3cr3t|tok123|wiki/);
  });
});

// Review 25, item 10: a file source's missing path was stored as Node's "ENOENT: no such file or directory, stat '…'"
// (`sources list`, `failed list`) while /ops said "file not found": one plain sentence, stored at its source.
describe('a file source whose file cannot be read', () => {
  const stores = useTestStores('fetch_errfile');
  let fetcher: FetcherService;

  beforeAll(() => {
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0' });
    fetcher = new FetcherService(new SourceRepository(stores().db.ds), stores().queues, stores().redis, config, createLogger('errfile', 'silent'), new Metrics());
  });

  it.each([
    ['a missing path', join(tmpdir(), 'paperwire-no-such-dir', 'nope.xml'), 'file not found', 'file not found'],
    ['a directory', tmpdir(), 'not a file (a directory or a device)', 'file not readable'],
  ])('%s: last_error and the failed job say one plain sentence, and /ops its class', async (_what, path, words, cls) => {
    const [{ id }] = (await stores().db.ds.query(`INSERT INTO sources (name, kind, url) VALUES ($1, 'file', $2) RETURNING id`, [`file-${cls}`, path])) as { id: string }[];
    await expect(fetcher.handleFetchSource(id, 'manual', true)).rejects.toThrow(`${words}: ${path}`);
    const [row] = (await stores().db.ds.query(`SELECT last_error FROM sources WHERE id = $1`, [id])) as { last_error: string }[];
    expect(row.last_error).toBe(`${words}: ${path}`);
    expect(row.last_error).not.toMatch(/ENOENT|EISDIR|stat '|no such file/);
    expect(errorClass(row.last_error)).toBe(cls);
  });
});
