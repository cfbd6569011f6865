import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createApiKey } from '@paperwire/db';
import { REPO_ROOT, TEST_REDIS_URL, createTestDb, dropQueuePrefix, failOneJob, uniqueName, type TestDb } from '@paperwire/testing';
import { createTestApp } from './testing/app';

// Issue #15 item 2: the API and the CLI are two doors to the same actions (libs/actions), so on the
// same input they give the same result or the same refusal. The api runs in-process; the CLI is the
// built one (dist/), run as a child on the same schema and queue prefix.

jest.setTimeout(120_000);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('CLI and API agree (issue #15 item 2)', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;
  let tenant: { id: string; key: string };
  let env: NodeJS.ProcessEnv;
  const http = () => request(app.getHttpServer());

  /** Runs `paperwire …` and resolves with its exit code and output (never rejects on a non-zero exit). */
  const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'tools', 'run.js'), 'services/cli', ...args], {
        env: { ...process.env, ...env, ...extraEnv },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
    }
  };
  const cliJson = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const r = await cli(args);
    if (r.code !== 0) throw new Error(`paperwire ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const cliLines = async <T = Record<string, unknown>>(args: string[]): Promise<T[]> => {
    const r = await cli(args);
    if (r.code !== 0) throw new Error(`paperwire ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  };

  beforeAll(async () => {
    db = await createTestDb('cliapi');
    prefix = `{${uniqueName('cliapi')}}`;
    env = { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL, WEBHOOK_ALLOW_PRIVATE: 'false', LOG_LEVEL: 'silent' };
    app = await createTestApp(db, prefix, { WEBHOOK_ALLOW_PRIVATE: 'false' });
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    const t = await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] });
    tenant = { id: t.id, key: t.key };
  });

  afterAll(async () => {
    await app?.close();
    await dropQueuePrefix(prefix);
    await db?.drop();
  });

  it('source names: one rule (the API’s) at both doors', async () => {
    // Refused by both, with the same reason.
    const api = await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'a/b', kind: 'arxiv-rss', url: 'https://export.arxiv.org/rss/cs.CL' });
    expect(api.status).toBe(400);
    expect(api.body.errors).toEqual([{ field: '/name', detail: 'name must start with a letter or digit and hold only letters, digits, space . _ : - (got a/b)' }]);
    const slash = await cli(['sources', 'add', 'a/b', 'arxiv-rss', 'https://export.arxiv.org/rss/cs.CL']);
    expect(slash.code).toBe(1);
    expect(slash.stderr).toContain(api.body.errors[0].detail);
    // Accepted by both (the CLI used to refuse capitals and spaces the API took).
    expect((await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'ArXiv CL', kind: 'arxiv-rss', url: 'https://export.arxiv.org/rss/cs.CL' })).status).toBe(201);
    expect((await cliJson<{ name: string }>(['sources', 'add', 'ArXiv LG', 'arxiv-rss', 'https://export.arxiv.org/rss/cs.LG'])).name).toBe('ArXiv LG');
  });

  it('default request interval: the same for the same URL, whichever door', async () => {
    const api = await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'api-oai', kind: 'arxiv-oai', url: 'https://export.arxiv.org/oai2' }).expect(201);
    const viaCli = await cliJson<{ minIntervalMs: number }>(['sources', 'add', 'cli-oai', 'arxiv-oai', 'https://export.arxiv.org/oai2']);
    expect(api.body.minIntervalMs).toBe(3000);
    expect(viaCli.minIntervalMs).toBe(api.body.minIntervalMs);
    const otherApi = await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'api-hf', kind: 'hf-daily-papers', url: 'https://huggingface.co/api/daily_papers' }).expect(201);
    const otherCli = await cliJson<{ minIntervalMs: number }>(['sources', 'add', 'cli-hf', 'hf-daily-papers', 'https://huggingface.co/api/daily_papers']);
    expect(otherCli.minIntervalMs).toBe(otherApi.body.minIntervalMs);
    expect(otherCli.minIntervalMs).toBe(1000);
  });

  it('a source whose host does not resolve now: kept, with the same warning in the API\'s 201 and on the CLI\'s stderr', async () => {
    // not a special-use name: a TLD nobody delegated, so the lookup fails (offline it fails too, the same way)
    const url = 'https://feeds.pw-no-such-tld-zq/rss';
    const api = await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'unresolved-api', kind: 'arxiv-rss', url }).expect(201);
    expect(api.body.warnings).toHaveLength(1);
    expect(api.body.warnings[0]).toContain('feeds.pw-no-such-tld-zq');
    const viaCli = await cli(['sources', 'add', 'unresolved-cli', 'arxiv-rss', url]);
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.stdout).warnings).toEqual(api.body.warnings);
    expect(viaCli.stderr).toContain(`paperwire: warning: ${api.body.warnings[0]}`);
    // an update checks the URL again: the warning stands while the host does not resolve
    const patched = await http().patch(`/v1/sources/${api.body.id}`).set('X-API-Key', admin).send({ everySeconds: 600 }).expect(200);
    expect([patched.body.everySeconds, patched.body.warnings]).toEqual([600, api.body.warnings]);
  });

  it('source and webhook URLs: the CLI refuses what the API refuses', async () => {
    const cases: { source?: string; webhook?: string }[] = [
      // credentials in the URL: the API refused them, the CLI took them
      { source: 'https://user:secret@export.arxiv.org/rss/cs.CL', webhook: 'https://user:secret@hooks.example.org/x' },
      // private and loopback addresses
      { source: 'http://127.0.0.1:9/rss', webhook: 'http://10.1.2.3/hook' },
      // a host that cannot resolve: a special-use name is refused for a source too (the API took it with a silent
      // 201, the CLI warned); a webhook's is refused like any name that does not resolve
      { source: 'https://no-such-host.invalid/rss', webhook: 'https://receiver.invalid/hook' },
      // a special-use name for private networks: refused without the operator's grant
      { source: 'http://replay.test/rss' },
      // not http(s)
      { source: 'ftp://export.arxiv.org/rss', webhook: 'ftp://hooks.example.org/x' },
    ];
    for (const c of cases) {
      if (c.source) {
        const api = await http().post('/v1/sources').set('X-API-Key', admin).send({ name: 'refused-src', kind: 'arxiv-rss', url: c.source });
        expect([c.source, api.status]).toEqual([c.source, 400]);
        const viaCli = await cli(['sources', 'add', 'refused-src', 'arxiv-rss', c.source]);
        expect([c.source, viaCli.code]).toEqual([c.source, 1]);
        expect(viaCli.stderr).toContain(api.body.errors[0].detail);
      }
      if (c.webhook) {
        const api = await http().post('/v1/subscriptions').set('X-API-Key', tenant.key).send({ channel: 'webhook', target: c.webhook });
        expect([c.webhook, api.status]).toEqual([c.webhook, 400]);
        const viaCli = await cli(['subscriptions', 'add', 'refused-hook', 'webhook', c.webhook]);
        expect([c.webhook, viaCli.code]).toEqual([c.webhook, 1]);
        expect(viaCli.stderr).toContain(api.body.errors[0].detail);
        // A private address is refused as such to both; the way round (--allow-private, WEBHOOK_ALLOW_PRIVATE) is the
        // operator's and named to the CLI only, never to a tenant: the API says that targets must be public.
        const isPrivate = c.webhook === 'http://10.1.2.3/hook';
        expect([c.webhook, String(api.body.errors[0].detail).includes('webhook targets must be public addresses')]).toEqual([c.webhook, isPrivate]);
        expect([c.webhook, /WEBHOOK_ALLOW_PRIVATE|allow-private/.test(JSON.stringify(api.body))]).toEqual([c.webhook, false]);
        expect([c.webhook, viaCli.stderr.includes('--allow-private') && viaCli.stderr.includes('WEBHOOK_ALLOW_PRIVATE')]).toEqual([c.webhook, isPrivate]);
      }
    }
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM sources WHERE name = 'refused-src'`))[0].n).toBe(0);
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE channel = 'webhook'`))[0].n).toBe(0);
    // The operator's grant stays the CLI's alone: --allow-private takes a loopback receiver.
    expect((await cliJson<{ status: string }>(['subscriptions', 'add', 'local', 'webhook', 'http://127.0.0.1:9/hook', '--allow-private'])).status).toBe('active');
    expect((await cliJson<{ allowPrivate: boolean }>(['sources', 'add', 'local-src', 'arxiv-rss', 'http://127.0.0.1:9/rss', '--allow-private'])).allowPrivate).toBe(true);
  });

  it('sources: the CLI prints the objects the API returns (camelCase)', async () => {
    const viaCli = await cliLines(['sources', 'list', '--json']);
    const api = await http().get('/v1/sources').set('X-API-Key', admin).expect(200);
    expect(viaCli).toEqual(api.body.items);
    expect(viaCli[0]).toHaveProperty('everySeconds');
    expect(viaCli[0]).not.toHaveProperty('every_seconds');
  });

  it('a subscription made with the CLI is visible to an admin key through the API, not to another key', async () => {
    const made = await cliJson<{ id: string; secret: string; consecutiveFailures: number; pausedAt: null }>(['subscriptions', 'add', 'cli-made', 'webhook', 'https://93.184.215.14/hook', '--keywords', 'diffusion']);
    expect(made.secret).toMatch(/^whsec_/);
    const got = await http().get(`/v1/subscriptions/${made.id}`).set('X-API-Key', admin).expect(200);
    const { secret: _secret, ...shown } = made;
    expect(got.body).toEqual(shown);
    await http().get(`/v1/subscriptions/${made.id}`).set('X-API-Key', tenant.key).expect(404);
    await http().patch(`/v1/subscriptions/${made.id}`).set('X-API-Key', tenant.key).send({ status: 'paused' }).expect(404);
    expect((await http().patch(`/v1/subscriptions/${made.id}`).set('X-API-Key', admin).send({ status: 'paused' }).expect(200)).body.status).toBe('paused');
    // The operator's list and the admin list are the same objects.
    const listed = await cliLines(['subscriptions', 'list', '--json']);
    const adminList = await http().get('/v1/admin/subscriptions').query({ limit: 100 }).set('X-API-Key', admin).expect(200);
    expect(listed).toEqual(adminList.body.items);
    expect(listed.find((s) => s.id === made.id)).toMatchObject({ ownerKeyId: null, statusReason: null, status: 'paused' });
  });

  it('resuming is locked at both doors: of concurrent resumes exactly one sees the pause and reports the backfill', async () => {
    for (let round = 0; round < 2; round++) {
      const made = await cliJson<{ id: string }>(['subscriptions', 'add', `race-${round}`, 'webhook', 'https://93.184.215.14/race']);
      await cliJson(['subscriptions', 'pause', made.id]);
      const results = await Promise.all([
        cli(['subscriptions', 'resume', made.id]),
        cli(['subscriptions', 'resume', made.id]),
        http().patch(`/v1/subscriptions/${made.id}`).set('X-API-Key', admin).send({ status: 'active' }),
      ]);
      const bodies = [JSON.parse(results[0].stdout || '{}'), JSON.parse(results[1].stdout || '{}'), (results[2] as request.Response).body] as { status?: string; backfill?: { jobId: string } }[];
      expect(bodies.map((b) => b.status)).toEqual(['active', 'active', 'active']);
      expect(bodies.filter((b) => b.backfill !== undefined)).toHaveLength(1);
    }
  });

  it('failed jobs: the same names (attemptsMade, failedAt) from the CLI and the API', async () => {
    await failOneJob(prefix, 'parse', 'parse-document', { rawDocumentId: '00000000-0000-4000-8000-000000000002' }, 'unsupported format: text/html');
    const viaCli = await cliLines(['failed', 'list', '--queue', 'parse', '--json']);
    const api = await http().get('/v1/admin/failed?queue=parse').set('X-API-Key', admin).expect(200);
    expect(viaCli).toEqual(api.body.items);
    expect(viaCli[0]).toMatchObject({ attemptsMade: 1, failedReason: 'unsupported format: text/html', failedAt: expect.any(String) });
    expect(viaCli[0]).not.toHaveProperty('attempts');
    expect(viaCli[0]).not.toHaveProperty('finishedOn');
    // The same refusal for an unknown queue.
    const bad = await cli(['failed', 'list', '--queue', 'nope']);
    expect(bad.code).toBe(1);
    expect((await http().get('/v1/admin/failed?queue=nope').set('X-API-Key', admin)).status).toBe(400);
  });

  it('keys: the CLI prints the key object the API returns', async () => {
    const viaCli = await cliJson<Record<string, unknown>>(['keys', 'create', 'cli-key', '--scopes', 'read']);
    const api = await http().post('/v1/admin/keys').set('X-API-Key', admin).send({ name: 'api-key', scopes: ['read'] }).expect(201);
    expect(Object.keys(viaCli).sort()).toEqual(Object.keys(api.body).sort());
    const refusedCli = await cli(['keys', 'create', 'bad', '--scopes', 'root']);
    expect(refusedCli.code).toBe(1);
    await http().post('/v1/admin/keys').set('X-API-Key', admin).send({ name: 'bad', scopes: ['root'] }).expect(400);
  });

  it('ingest --wait gives up after --timeout with exit 1 when nothing processes the document', async () => {
    const r = await cli(['ingest', 'data/sample/daily-papers-sep-1.txt', '--wait', '--timeout', '1']);
    expect(r.code).toBe(1);
    // nothing parsed it: its papers are not known (never "0 papers"), the wait says it waits for the parser
    expect(r.stderr).toMatch(/document fetched; waiting for the parser/);
    expect(r.stderr).toMatch(/timed out after 1 s/);
  });
});
