import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { REPO_ROOT, TEST_REDIS_URL, createTestDb, uniqueName, type TestDb } from '@paperwire/testing';
import { useBeforeAll } from '@paperwire/testing/jest';
import { createTestApp } from './app';

/** The api of one `describe`, ready once its `beforeAll` has run. */
export interface TestApi {
  readonly db: TestDb;
  readonly app: INestApplication;
  /** the queue prefix the app writes under */
  readonly prefix: string;
  http(): ReturnType<typeof request>;
  /** `paperwire …` (built, from dist/) on the same schema and queues, as a child that does not block this process */
  cli(args: string[]): Promise<CliRun>;
}

/** How a CLI run ended (a non-zero exit does not reject). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
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
    cli: async (args) => {
      const { db } = started();
      const cliEnv = {
        DATABASE_URL: db.url,
        DATABASE_SCHEMA: db.schema,
        QUEUE_PREFIX: prefix,
        REDIS_URL: TEST_REDIS_URL,
        LOG_LEVEL: 'silent',
      };
      try {
        const { stdout, stderr } = await promisify(execFile)(
          process.execPath,
          [join(REPO_ROOT, 'tools', 'run.js'), 'services/cli', ...args],
          {
            env: { ...process.env, ...cliEnv },
            timeout: 60_000,
          },
        );
        return { code: 0, stdout, stderr };
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        return {
          code: typeof x.code === 'number' ? x.code : -1,
          stdout: x.stdout ?? '',
          stderr: x.stderr ?? '',
        };
      }
    },
  };
}
