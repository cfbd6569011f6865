import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '@paperwire/db';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique lower-case identifier for a test's schema / queue prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestDb {
  ds: DataSource;
  schema: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh schema in the test database, migrated, with its own data source. */
export async function createTestDb(prefix = 't', opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const schema = uniqueName(prefix);
  await ensureDatabase(TEST_DATABASE_URL, schema);
  const ds = createDataSource({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  await ds.initialize();
  if (opts.migrate !== false) await migrate(ds);
  return {
    ds,
    schema,
    url: TEST_DATABASE_URL,
    async drop() {
      if (ds.isInitialized) {
        await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await ds.destroy();
      }
    },
  };
}
