import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, TEST_REDIS_URL, cliOutcome, createTestDb } from '@paperwire/testing';
import { postgresConnectError } from './context';

jest.setTimeout(120_000);

// With Postgres down every command that needs it said only `paperwire: connect ECONNREFUSED …`, and with
// Redis down a command that needs it waited forever: now one line names the service, where it was looked
// for and the setting that says so, never the URL's user or password (as `up` does for Redis).

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address() as { port: number };
  await new Promise((ok) => srv.close(ok));
  return port;
}

const cli = (args: string[], env: Record<string, string>) => cliOutcome(args, { REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', ...env });

describe('the CLI with Postgres down', () => {
  it('every command that needs Postgres says in one line which service, where and which setting, without credentials', async () => {
    const port = await closedPort();
    const env = { DATABASE_URL: `postgres://alice:pa%24%24word@127.0.0.1:${port}/paperwire`, QUEUE_PREFIX: '{read18-pg-down}' };
    const commands = [['stats'], ['stats', '--json'], ['db', 'migrate'], ['topics', 'list'], ['sources', 'list'], ['paper', '2401.00001'], ['keys', 'list'], ['subscriptions', 'list'], ['up']];
    const runs = await Promise.all(commands.map(async (args) => ({ args: args.join(' '), ...(await cli(args, env)) })));
    for (const r of runs) {
      expect({ args: r.args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        args: r.args,
        code: 1,
        stdout: '',
        stderr: `paperwire: Postgres is not reachable at 127.0.0.1:${port} (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}\n`,
      });
    }
  });

  it('with Redis down, every command that needs it stops with one line naming Redis and REDIS_URL (it waited forever)', async () => {
    const db = await createTestDb('read18_redis_down');
    try {
      const port = await closedPort();
      const env = { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, REDIS_URL: `redis://:secret@127.0.0.1:${port}`, QUEUE_PREFIX: '{read18-redis-down}' };
      const feed = join(REPO_ROOT, 'libs/feeds/fixtures/ok/arxiv-rss/distill_rss_cs.AI_3items.xml');
      const commands = [['failed', 'list'], ['failed', 'retry', 'parse'], ['stats'], ['sources', 'poll'], ['ingest', feed], ['reclassify', '--all']];
      const runs = await Promise.all(commands.map(async (args) => ({ args: args.join(' '), ...(await cli(args, env)) })));
      for (const r of runs)
        expect({ args: r.args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
          args: r.args,
          code: 1,
          stdout: '',
          stderr: `paperwire: Redis is not reachable at 127.0.0.1:${port} (REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}\n`,
        });
    } finally {
      await db.drop();
    }
  });

  it('a name that does not resolve, several addresses, a default port, a password in a reason: never the credentials', () => {
    const url = 'postgres://alice:s3cr%40t@db.invalid/paperwire';
    expect(postgresConnectError(url, Object.assign(new Error('getaddrinfo ENOTFOUND db.invalid'), { code: 'ENOTFOUND' })).message).toBe(
      'Postgres is not reachable at db.invalid:5432 (DATABASE_URL): getaddrinfo ENOTFOUND db.invalid',
    );
    const both = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432'), new Error('connect ECONNREFUSED 127.0.0.1:5432')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(postgresConnectError('postgres://localhost/x', both).message).toBe(
      'Postgres is not reachable at localhost:5432 (DATABASE_URL): connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
    // Reached, but refused: not "not reachable", and the password never printed even if a reason carried it.
    const auth = postgresConnectError(url, Object.assign(new Error('password authentication failed for "s3cr@t"'), { code: '28P01' })).message;
    expect(auth).toBe('Postgres at db.invalid:5432 (DATABASE_URL): password authentication failed for "***"');
    expect(postgresConnectError('postgres:///paperwire?host=/var/run/postgresql', Object.assign(new Error('connect ENOENT'), { code: 'ECONNREFUSED' })).message).toMatch(
      /^Postgres is not reachable at \/var\/run\/postgresql:5432 \(DATABASE_URL\)/,
    );
  });
});
