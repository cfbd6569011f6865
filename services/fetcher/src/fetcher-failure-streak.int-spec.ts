import { fetcherEnvSchema, loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { startReplayServer, type ReplayServer } from '@paperwire/testing';
import { useTestStores } from '@paperwire/testing/jest';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';

// /ops showed a source's failed attempts (every retry counted) as its failures. A source's streak is since when it
// fails and how many polls failed for good: an attempt that will be retried is no failed poll yet, its job's last
// attempt is, and so is an error no retry heals (a 404), at once.
describe('a source failure streak: failed polls beside failed attempts', () => {
  const stores = useTestStores('fetch_streak');
  let server: ReplayServer;
  let fetcher: FetcherService;

  beforeAll(async () => {
    server = await startReplayServer({
      '/busy': { status: 503, body: 'busy', contentType: 'text/plain' },
      '/gone': { status: 404, body: 'gone', contentType: 'text/plain' },
    });
    const config = loadConfig(fetcherEnvSchema, { QUEUE_PREFIX: stores().prefix, FETCH_RETRIES: '0', FETCH_TIMEOUT_MS: '5000' });
    fetcher = new FetcherService(new SourceRepository(stores().db.ds), stores().queues, stores().redis, config, createLogger('streak', 'silent'), new Metrics());
  });

  afterAll(async () => {
    await server?.close();
  });

  const add = async (name: string, path: string) =>
    ((await stores().db.ds.query(
      `INSERT INTO sources (name, kind, url, allow_private, min_interval_ms) VALUES ($1, 'arxiv-rss', $2, true, 0) RETURNING id`,
      [name, `${server.url}${path}`],
    )) as { id: string }[])[0]!.id;
  const streak = async (id: string) =>
    ((await stores().db.ds.query(`SELECT consecutive_failures, failed_polls, failing_since FROM sources WHERE id = $1`, [id])) as {
      consecutive_failures: number;
      failed_polls: number;
      failing_since: Date | null;
    }[])[0]!;

  it('a retried attempt counts among the attempts only; the last attempt fails the poll', async () => {
    const id = await add('busy', '/busy');
    await expect(fetcher.handleFetchSource(id, 'manual', false)).rejects.toThrow('HTTP 503');
    const first = await streak(id);
    expect([first.consecutive_failures, first.failed_polls]).toEqual([1, 0]);
    expect(first.failing_since).not.toBeNull();
    await expect(fetcher.handleFetchSource(id, 'manual', true)).rejects.toThrow('HTTP 503');
    const second = await streak(id);
    expect([second.consecutive_failures, second.failed_polls]).toEqual([2, 1]);
    expect(second.failing_since).toEqual(first.failing_since);
  });

  it('an error no retry heals fails the poll at its first attempt', async () => {
    const id = await add('gone', '/gone');
    await expect(fetcher.handleFetchSource(id, 'manual', false)).rejects.toThrow('HTTP 404');
    expect(await streak(id)).toMatchObject({ consecutive_failures: 1, failed_polls: 1 });
  });
});
