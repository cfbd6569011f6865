import { afterAll, beforeAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
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
export function useTestApi(
  name: string,
  seed: (db: TestDb) => Promise<void>,
  env: Record<string, string> = {},
): TestApi {
  const prefix = `{${uniqueName(name.replace(/_/g, '-'))}}`;
  let db: TestDb | undefined;
  let app: INestApplication | undefined;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error(`useTestApi(${name}): used before its beforeAll ran`);
    return v;
  };
  beforeAll(async () => {
    db = await createTestDb(name);
    await seed(db);
    app = await createTestApp(db, prefix, env);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });
  return {
    prefix,
    get db() {
      return ready(db);
    },
    get app() {
      return ready(app);
    },
    http: () => request(ready(app).getHttpServer()),
  };
}
