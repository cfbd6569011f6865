import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { QUEUES } from '@paperwire/contracts';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, deleteRedisKeys, type TestStores } from '@paperwire/testing';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

// Source schedules against real Postgres and Redis: one fetcher replica per period re-syncs them
// (a lease in Redis), and the re-sync brings back the schedules a Redis lost.
describe('SchedulerService periodic re-sync (Postgres + Redis)', () => {
  let stores: TestStores;
  let replicas: SchedulerService[];

  beforeAll(async () => {
    stores = await createTestStores('fetcher_scheduler');
    const config = loadConfig(commonEnvSchema, {
      RECONCILE_EVERY_SECONDS: '60',
      QUEUE_PREFIX: stores.prefix,
    });
    const sources = new SourceRepository(stores.db.ds);
    const log = createLogger('scheduler-test', 'silent');
    replicas = [1, 2].map(() => new SchedulerService(sources, stores.queues, stores.redis, config, log));
  });

  afterAll(async () => {
    await stores?.close();
  });

  const dropKeys = () => deleteRedisKeys([`${stores.prefix}:*`], stores.redis);

  it('lets one replica per period re-sync, and re-registers source schedules Redis lost', async () => {
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO sources (name, kind, url, every_seconds) VALUES ('hourly', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL', 3600) RETURNING id`,
    );
    const schedulerOf = () => stores.queues.get(QUEUES.fetch).getJobScheduler(`source-${id}`);
    expect(await schedulerOf()).toBeUndefined();

    expect(await replicas[0].resync()).toBe(true);
    expect(await schedulerOf()).toMatchObject({ every: 3_600_000 });
    // The other replica's tick in the same period leaves it alone.
    expect(await replicas[1].resync()).toBe(false);

    await dropKeys(); // a Redis restarted without persistence: schedules and lease gone
    expect(await schedulerOf()).toBeUndefined();
    expect(await replicas[1].resync()).toBe(true);
    expect(await schedulerOf()).toMatchObject({ every: 3_600_000 });
  });
});
