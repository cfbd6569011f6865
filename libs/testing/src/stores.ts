import { Redis } from 'ioredis';
import { QueueSet } from '@paperwire/queue';
import { TEST_REDIS_URL, createTestDb, uniqueName, type TestDb } from './db';
import { dropQueuePrefix } from './redis-keys';

/** A test's own Postgres schema (migrated) and queue prefix, with the producers over that prefix. */
export interface TestStores {
  db: TestDb;
  /** a connection to the test Redis, as the workers' (no retry limit per request) */
  redis: Redis;
  /** hash-tagged, as a service's QUEUE_PREFIX */
  prefix: string;
  queues: QueueSet;
  /** Closes the queues, deletes what was left under the prefix, disconnects and drops the schema. */
  close(): Promise<void>;
}

/** What an integration spec of a stage service starts from: `name` names the schema and the prefix. */
export async function createTestStores(name: string): Promise<TestStores> {
  const db = await createTestDb(name);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `{${uniqueName(name)}}`;
  const queues = new QueueSet(redis, prefix);
  return {
    db,
    redis,
    prefix,
    queues,
    close: async () => {
      await queues.close();
      await dropQueuePrefix(prefix, redis);
      redis.disconnect();
      await db.drop();
    },
  };
}
