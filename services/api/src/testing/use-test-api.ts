import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { useBeforeAll } from '@paperwire/testing/jest';
import { createTestApp } from './app';

/** The api of one `describe`, ready once its `beforeAll` has run. */
export interface TestApi {
  readonly db: TestDb;
  readonly app: INestApplication;
  /** the queue prefix the app writes under */
  readonly prefix: string;
  http(): ReturnType<typeof request>;
}

/**
 * Registers the hooks of an api int spec: before all, a scratch schema (`name`), seeded by `seed`, then
 * the api on it with `env` (createTestApp); after all, the app closed and the schema dropped.
 */
export function useTestApi(name: string, seed: (db: TestDb) => Promise<void>, env: Record<string, string> = {}): TestApi {
  const prefix = `{${uniqueName(name.replace(/_/g, '-'))}}`;
  const started = useBeforeAll(
    `test api ${name}`,
    async () => {
      const db = await createTestDb(name);
      try {
        await seed(db);
        return { db, app: await createTestApp(db, prefix, env) };
      } catch (err) {
        await db.drop();
        throw err;
      }
    },
    async ({ db, app }) => {
      await app.close();
      await db.drop();
    },
  );
  return {
    prefix,
    get db() {
      return started().db;
    },
    get app() {
      return started().app;
    },
    http: () => request(started().app.getHttpServer()),
  };
}
