import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { REPO_ROOT, TEST_REDIS_URL, cliOutcome, createTestDb, failOneJob, type TestDb } from '@paperwire/testing';

jest.setTimeout(120_000);

// A user's review of the CLI: bad whole numbers were refused three ways ("graceHours must be a number (got nan)",
// "--limit: a whole number of at least 1"); a suggested command broke on a name with a space; a removed source left
// its failed fetches listed, and retrying one said "active" before it failed again. The built CLI, real Postgres/Redis.
const PREFIX = '{cli-review25}';

describe('the CLI after a review: its numbers, its suggestions, its failed fetches', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('cli_review25');
  });
  afterAll(async () => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('fetch', { connection, prefix: PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    await db?.drop();
  });
  const cli = (args: string[]) =>
    cliOutcome(args, { REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: PREFIX });

  it('refuses every bad whole number in one form, naming the option and what was given', async () => {
    const id = randomUUID();
    for (const [args, said] of [
      [['subscriptions', 'rotate-secret', id, '--grace-hours', 'abc'], '--grace-hours must be a whole number (got abc)'],
      [['subscriptions', 'add', 'x', 'email', 'a@example.org', '--mode', 'daily', '--hour', 'abc'], '--hour must be a whole number (got abc)'],
      [['subscriptions', 'deliveries', id, '--limit', 'abc'], '--limit must be a whole number (got abc)'],
      [['subscriptions', 'list', '--limit', '0'], '--limit must be at least 1 (got 0)'],
      [['subscriptions', 'digest', id, '--timeout', '1.5'], '--timeout must be a whole number (got 1.5)'],
      [['failed', 'list', '--limit', 'x'], '--limit must be a whole number (got x)'],
      [['sources', 'add', 'x', 'arxiv-rss', 'http://127.0.0.1:9/feed', '--min-interval', 'soon'], '--min-interval must be a whole number (got soon)'],
    ] as const) {
      const r = await cli([...args]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 1, stderr: `paperwire: ${said}\n` });
    }
    // a number out of range is refused by the action, the field named by its option
    const grace = await cli(['subscriptions', 'add', 'x', 'email', 'a@example.org', '--mode', 'daily', '--hour', '25']);
    expect(grace.stderr).toBe('paperwire: --hour must be at most 23 (got 25)\n');
  });

  it('quotes a name with a space in the command it suggests, so the command runs as printed', async () => {
    const r = await cli(['sources', 'add', 'z z', 'arxiv-rss', 'http://127.0.0.1:9/feed', '--allow-private']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("run `paperwire sources poll 'z z'` now");
  });

  it('warns of a file source on a path that does not exist, as of a URL whose host does not resolve', async () => {
    const missing = await cli(['sources', 'add', 'nofile', 'file', '/nonexistent/pw-review25/feed.xml']);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain(
      'paperwire: warning: /nonexistent/pw-review25/feed.xml does not exist now (ENOENT): the source is kept, and fetching it fails until it does\n',
    );
    expect(JSON.parse(missing.stdout).warnings).toHaveLength(1);
    const present = await cli(['sources', 'add', 'somefile', 'file', join(REPO_ROOT, 'package.json')]);
    expect(JSON.parse(present.stdout).warnings).toEqual([]);
  });

  it('removing a source clears its failed fetches; a failed fetch of a source gone is not retried', async () => {
    expect((await cli(['sources', 'add', 'deadfile', 'file', join(REPO_ROOT, 'package.json')])).code).toBe(0);
    expect((await cli(['sources', 'add', 'alive', 'file', join(REPO_ROOT, 'package.json')])).code).toBe(0);
    const [{ id: dead }] = await db.ds.query(`SELECT id FROM sources WHERE name = 'deadfile'`);
    const [{ id: alive }] = await db.ds.query(`SELECT id FROM sources WHERE name = 'alive'`);
    const deadJob = await failOneJob(PREFIX, 'fetch', 'fetch-source', { sourceId: dead, reason: 'manual' }, 'ENOENT');
    const aliveJob = await failOneJob(PREFIX, 'fetch', 'fetch-source', { sourceId: alive, reason: 'manual' }, 'ENOENT');
    const failedIds = async () => (await cli(['failed', 'list', '--queue', 'fetch', '--json'])).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string);
    expect((await failedIds()).sort()).toEqual([deadJob.id, aliveJob.id].sort());

    expect((await cli(['sources', 'remove', 'deadfile'])).code).toBe(0);
    expect(await failedIds()).toEqual([aliveJob.id]);

    // a failure left from before (a source removed by an older version, or while its job ran): refused in words, cleared
    const orphan = await failOneJob(PREFIX, 'fetch', 'fetch-source', { sourceId: randomUUID(), reason: 'manual' }, 'gone');
    const retry = await cli(['failed', 'retry', 'fetch', String(orphan.id)]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/^paperwire: its source was removed since this job failed .*nothing to retry; the failure is cleared\n$/);
    expect(await failedIds()).toEqual([aliveJob.id]);
  });
});
