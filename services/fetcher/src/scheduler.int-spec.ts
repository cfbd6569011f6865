import { Redis } from 'ioredis';
import { commonEnvSchema, loadConfig } from '@paperwire/config';
import { QUEUES } from '@paperwire/contracts';
import { QueueSet } from '@paperwire/queue';
import { createLogger } from '@paperwire/telemetry';
import { TEST_REDIS_URL, createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

// Source schedules against real Postgres and Redis: one fetcher replica per period re-syncs them
// (a lease in Redis), and the re-sync brings back the schedules a Redis lost.
describe('SchedulerService periodic re-sync (Postgres + Redis)', () => {
  let db: TestDb;
  let redis: Redis;
  let queues: QueueSet;
  let prefix: string;
  let replicas: SchedulerService[];

  beforeAll(async () => {
    db = await createTestDb('fetcher_scheduler');
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    prefix = `{${uniqueName('sched')}}`;
    queues = new QueueSet(redis, prefix);
    const config = loadConfig(commonEnvSchema, { RECONCILE_EVERY_SECONDS: '60', QUEUE_PREFIX: prefix });
    const sources = new SourceRepository(db.ds);
    const log = createLogger('scheduler-test', 'silent');
    replicas = [1, 2].map(() => new SchedulerService(sources, queues, redis, config, log));
  });

  afterAll(async () => {
    await queues?.close();
    await dropKeys();
    redis?.disconnect();
    await db?.drop();
  });

  async function dropKeys(): Promise<void> {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }

  it('lets one replica per period re-sync, and re-registers source schedules Redis lost', async () => {
    const [{ id }] = await db.ds.query(
      `INSERT INTO sources (name, kind, url, every_seconds) VALUES ('hourly', 'arxiv-rss', 'https://rss.arxiv.org/rss/cs.CL', 3600) RETURNING id`,
    );
    const schedulerOf = () => queues.get(QUEUES.fetch).getJobScheduler(`source-${id}`);
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
