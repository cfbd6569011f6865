import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureDatabase } from './data-source';

// int and e2e files run two at a time (tools/test.js): on a fresh server both workers' first createTestDb
// create the test database at once, and two processes may create one schema at once. Postgres then
// reports a unique violation on its catalogue, not "already exists"; ensureDatabase must accept either.
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = 5;

async function onAdmin<T>(target: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: target });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('ensureDatabase called by two processes at once', () => {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const created: string[] = [];
  // Each DROP DATABASE forces a checkpoint: five of them took over jest's default 5 s on a loaded machine.
  afterAll(async () => {
    await onAdmin(admin.toString(), async (c) => {
      for (const name of created) await c.query(`DROP DATABASE IF EXISTS "${name}"`);
    });
  }, 60_000);

  it('creates a missing database once and both calls succeed', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const name = `pw_ensure_${randomBytes(4).toString('hex')}`;
      created.push(name);
      const target = new URL(url);
      target.pathname = `/${name}`;
      await expect(
        Promise.all([ensureDatabase(target.toString()), ensureDatabase(target.toString())]),
      ).resolves.toBeDefined();
      const rows = await onAdmin(admin.toString(), (c) =>
        c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
      );
      expect(rows.rowCount).toBe(1);
    }
  }, 60_000);

  it('creates a missing schema once and both calls succeed', async () => {
    const schemas: string[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const schema = `pw_ensure_${randomBytes(4).toString('hex')}`;
        schemas.push(schema);
        await expect(
          Promise.all([ensureDatabase(url, schema), ensureDatabase(url, schema)]),
        ).resolves.toBeDefined();
        const rows = await onAdmin(url, (c) =>
          c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]),
        );
        expect(rows.rowCount).toBe(1);
      }
    } finally {
      await onAdmin(url, async (c) => {
        for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}"`);
      });
    }
  });
});
