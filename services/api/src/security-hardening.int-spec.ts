import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@paperwire/contracts';
import { createApiKey } from '@paperwire/db';
import { DATA_SOURCE, LOGGER, serveMetrics } from '@paperwire/service-kit';
import { createTestDb, dropQueuePrefix, seedSource, TEST_REDIS_URL, type TestDb, uniqueName, waitFor } from '@paperwire/testing';
import { createTestApp } from './testing/app';

// Issue 14, items 3, 4, 6, 7, 8 and 12 (/metrics), against real Postgres and Redis. Each app gets
// its own queue prefix, so the Redis counters (rate limits, failed authentications) start at zero.

jest.setTimeout(120_000);

const TOKEN = 'SECRETtoken123';
const INTERNAL_BODY = 'db_password=hunter2';
const TENANT_SUB = '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('issue 14: hardening', () => {
  let db: TestDb;
  let admin: string;
  let reader: string;
  const apps: { app: INestApplication; prefix: string }[] = [];

  async function app(env: Record<string, string> = {}): Promise<{ app: INestApplication; prefix: string }> {
    const prefix = `{${uniqueName('t-hard')}}`;
    const a = await createTestApp(db, prefix, { PUBLIC_URL: 'http://api.test', RATE_LIMIT_PER_MINUTE: '100000', ...env });
    apps.push({ app: a, prefix });
    return { app: a, prefix };
  }

  beforeAll(async () => {
    db = await createTestDb('t_hard');
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    reader = (await createApiKey(db.ds, { name: 'reader', scopes: ['read'] })).key;
  });

  afterAll(async () => {
    for (const a of apps) {
      await a.app.close();
      await dropQueuePrefix(a.prefix);
    }
    await db?.drop();
  });

  describe('item 3: allowPrivate is an operator setting', () => {
    it('refuses allowPrivate on POST and PATCH with a 400 naming the field; a new URL drops a CLI grant', async () => {
      const { app: a } = await app();
      const http = () => request(a.getHttpServer());
      for (const allowPrivate of [true, false]) {
        const res = await http()
          .post('/v1/sources')
          .set('X-API-Key', admin)
          .send({ name: `priv-${allowPrivate}`, kind: 'arxiv-rss', url: 'http://127.0.0.1:9/rss', allowPrivate });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: '/allowPrivate', detail: expect.stringMatching(/--allow-private/) })]);
      }
      expect((await db.ds.query(`SELECT count(*)::int AS n FROM sources WHERE name LIKE 'priv-%'`))[0].n).toBe(0);

      // A source an operator allowed private access to with the CLI.
      const [{ id }] = (await db.ds.query(
        `INSERT INTO sources (name, kind, url, allow_private) VALUES ('cli-replay', 'arxiv-rss', 'http://127.0.0.1:9/rss', true) RETURNING id`,
      )) as { id: string }[];
      const patch = await http().patch(`/v1/sources/${id}`).set('X-API-Key', admin).send({ allowPrivate: true });
      expect(patch.status).toBe(400);
      expect(patch.body.errors[0].field).toBe('/allowPrivate');
      // Shown, read-only.
      expect((await http().get(`/v1/sources/${id}`).set('X-API-Key', admin).expect(200)).body.allowPrivate).toBe(true);
      // Editing other fields keeps the grant; a private URL through the API is refused; a new public
      // URL drops the grant.
      await http().patch(`/v1/sources/${id}`).set('X-API-Key', admin).send({ everySeconds: 3600 }).expect(200);
      await http().patch(`/v1/sources/${id}`).set('X-API-Key', admin).send({ url: 'http://127.0.0.2:9/rss' }).expect(400);
      const moved = await http()
        .patch(`/v1/sources/${id}`)
        .set('X-API-Key', admin)
        .send({ url: 'https://93.184.215.14/rss' })
        .expect(200);
      expect(moved.body.allowPrivate).toBe(false);
    });
  });

  describe('item 4: public views show redacted URLs and error classes', () => {
    let a: INestApplication;
    let prefix: string;
    const http = () => request(a.getHttpServer());

    beforeAll(async () => {
      ({ app: a, prefix } = await app());
      await db.ds.query(
        `INSERT INTO sources (name, kind, url, last_attempt_at, last_status, last_error, consecutive_failures)
         VALUES ('leaky', 'arxiv-api', $1, now(), 500, $2, 3)`,
        [
          `https://user:pa55@feed.example/api/query?api_token=${TOKEN}&search_query=cat`,
          `http-status: HTTP 500 from https://feed.example/api/query?api_token=${TOKEN}: ${INTERNAL_BODY}`,
        ],
      );
      await seedSource(db.ds, 'dns-fail', 'arxiv-rss', { lastError: 'network: DNS lookup failed for nowhere.invalid: ENOTFOUND', lastStatus: undefined });
      // Hosts on the operator's network (a replay an operator allowed, a private-use name): how it is laid out.
      await db.ds.query(
        `INSERT INTO sources (name, kind, url, allow_private) VALUES ('lan-replay', 'arxiv-rss', 'http://10.20.30.40:8080/feed', true),
                ('intranet', 'arxiv-rss', 'http://feeds.corp.internal/rss', true), ('loopback-literal', 'arxiv-rss', 'http://[::1]:4127/rss', false)`,
      );
      // A failed job whose reason quotes an internal body.
      const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue(QUEUES.fetch, { connection, prefix });
      const workerConnection = connection.duplicate();
      const worker = new Worker(
        QUEUES.fetch,
        async () => {
          throw new Error(`HTTP 503 from http://10.0.0.5/?api_token=${TOKEN}: ${INTERNAL_BODY}`);
        },
        { connection: workerConnection, prefix },
      );
      await queue.add('fetch-source', { sourceId: '00000000-0000-4000-8000-000000000001', reason: 'manual' }, { attempts: 1 });
      await waitFor('the job to fail', async () => ((await queue.getFailedCount()) === 1 ? true : undefined), 30_000);
      await worker.close();
      await queue.close();
      // A failed job whose id names a tenant's subscription (`digest-<subscription id>`).
      const deliver = new Queue(QUEUES.deliver, { connection, prefix });
      const deliverConnection = workerConnection.duplicate();
      const deliverWorker = new Worker(
        QUEUES.deliver,
        async () => {
          throw new Error('HTTP 502 from the receiver');
        },
        { connection: deliverConnection, prefix },
      );
      await deliver.add('send-digest', { subscriptionId: TENANT_SUB }, { attempts: 1, jobId: `digest-${TENANT_SUB}` });
      await waitFor('the digest job to fail', async () => ((await deliver.getFailedCount()) === 1 ? true : undefined), 30_000);
      await deliverWorker.close();
      await deliver.close();
      await deliverConnection.quit();
      await connection.quit();
      await workerConnection.quit();
    });

    interface Stats {
      detail: string;
      sources: { name: string; url: string | null; lastError: string | null }[];
      failures: { recent: { queue: string; id: string; failedReason: string }[] };
    }

    it('GET /v1/stats/pipeline without a key, or with a read key: no user-info, no query values, error classes', async () => {
      for (const key of [undefined, reader]) {
        const req = http().get('/v1/stats/pipeline');
        const res = await (key ? req.set('X-API-Key', key) : req).expect(200);
        expect(res.text).not.toContain(TOKEN);
        expect(res.text).not.toContain('hunter2');
        expect(res.text).not.toContain('pa55');
        expect(res.text).not.toContain('10.0.0.5');
        const s = res.body as Stats;
        expect(s.detail).toBe('redacted');
        const leaky = s.sources.find((x) => x.name === 'leaky')!;
        expect(leaky.url).toBe('https://feed.example/api/query?api_token=redacted&search_query=redacted');
        expect(leaky.lastError).toBe('HTTP 500');
        expect(s.sources.find((x) => x.name === 'dns-fail')!.lastError).toBe('DNS lookup failed');
        expect(s.failures.recent.map((f) => f.failedReason).sort()).toEqual(['HTTP 502', 'HTTP 503']);
        // the digest job is listed without its id: it names another tenant's subscription
        expect(s.failures.recent.find((f) => f.failedReason === 'HTTP 502')).toMatchObject({ queue: QUEUES.deliver, name: 'send-digest', id: '' });
        expect(res.text).not.toContain(TENANT_SUB);
        for (const name of ['lan-replay', 'intranet', 'loopback-literal']) {
          expect([name, s.sources.find((x) => x.name === name)!.url]).toEqual([name, '(private address)']);
        }
        for (const leak of ['10.20.30.40', 'corp.internal', '[::1]']) expect([leak, res.text.includes(leak)]).toEqual([leak, false]);
      }
    });

    it('an admin key gets the full detail', async () => {
      const s = (await http().get('/v1/stats/pipeline').set('Authorization', `Bearer ${admin}`).expect(200)).body as Stats;
      expect(s.detail).toBe('full');
      expect(s.sources.find((x) => x.name === 'leaky')!.lastError).toContain(INTERNAL_BODY);
      expect(s.sources.find((x) => x.name === 'leaky')!.url).toContain(TOKEN);
      expect(s.sources.find((x) => x.name === 'lan-replay')!.url).toBe('http://10.20.30.40:8080/feed');
      expect(s.failures.recent.find((f) => f.queue === QUEUES.fetch)!.failedReason).toContain(INTERNAL_BODY);
      expect(s.failures.recent.find((f) => f.queue === QUEUES.deliver)!.id).toBe(`digest-${TENANT_SUB}`);
    });

    it('/ops is public and redacted: classes, no secrets, no Retry button', async () => {
      const html = (await http().get('/ops').expect(200)).text;
      const body = html.slice(0, html.indexOf('<script nonce='));
      expect(html).not.toContain(TOKEN);
      expect(html).not.toContain('hunter2');
      expect(body).toContain('>HTTP 500<');
      expect(body).toContain('>HTTP 503<');
      expect(body).toContain('>DNS lookup failed<');
      expect(body).not.toContain('class="retry"');
      expect(body).toContain('retry-needs-key');
      expect(body).not.toContain('10.20.30.40');
      expect(body).not.toContain('corp.internal');
    });
  });

  describe('item 6: trusted proxies', () => {
    it('a rotating X-Forwarded-For from loopback does not escape the per-IP limit by default', async () => {
      const { app: a } = await app({ RATE_LIMIT_PER_MINUTE: '5' });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await request(a.getHttpServer()).get('/v1/topics').set('X-Forwarded-For', `203.0.113.${i + 1}`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    });

    it('with TRUST_PROXY=loopback the forwarded address is the client (a proxy on loopback is trusted)', async () => {
      const { app: a } = await app({ RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await request(a.getHttpServer()).get('/v1/topics').set('X-Forwarded-For', `203.0.113.${i + 1}`)).status);
      expect(statuses).toEqual(Array(8).fill(200));
    });
  });

  describe('item 7: failed authentication', () => {
    it('is limited per client: 429 with Retry-After after AUTH_FAILURE_LIMIT failures; a valid key from that client still works', async () => {
      const { app: a } = await app({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '120' });
      const http = () => request(a.getHttpServer());
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await http().get('/v1/papers').set('X-API-Key', `pw_${String(i).repeat(43)}`)).status);
      // A required key missing counts too.
      statuses.push((await http().get('/v1/subscriptions')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const over = await http().get('/v1/subscriptions').set('X-API-Key', 'pw_nope');
      expect(over.status).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(120);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      // Blocked: the failures are limited, not the holders of a key behind the same address (a NAT, an ingress):
      // valid keys are accepted, on reads and on what needs their scope, and public pages still answer.
      expect((await http().get('/v1/papers').set('X-API-Key', admin)).status).toBe(200);
      expect((await http().get('/v1/admin/keys').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
      expect((await http().get('/v1/papers')).status).toBe(200);
      // Every failure from it still waits: an unknown well-formed key, a malformed one, a required key missing.
      for (const res of [
        await http().get('/v1/papers').set('X-API-Key', `pw_${'Z'.repeat(43)}`),
        await http().get('/v1/papers').set('X-API-Key', 'pw_nope'),
        await http().get('/v1/subscriptions'),
      ]) {
        expect(res.status).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      // and a good key did not reset the window: the next bad one still waits
      expect((await http().get('/v1/papers').set('X-API-Key', reader)).status).toBe(200);
      expect((await http().get('/v1/subscriptions').set('X-API-Key', `pw_${'Y'.repeat(43)}`)).status).toBe(429);
    });

    it('caches bad keys: the same bad key repeated costs one database query', async () => {
      const { app: a } = await app();
      const ds = a.get<DataSource>(DATA_SOURCE);
      const spy = jest.spyOn(ds, 'query');
      const bad = `pw_${'Q'.repeat(43)}`;
      try {
        for (let i = 0; i < 6; i++) await request(a.getHttpServer()).get('/v1/topics').set('X-API-Key', bad).expect(401);
        const keyLookups = spy.mock.calls.filter(([sql]) => /FROM api_keys/.test(String(sql)));
        expect(keyLookups).toHaveLength(1);
        // A good key is still looked up (and works).
        await request(a.getHttpServer()).get('/v1/topics').set('X-API-Key', reader).expect(200);
        expect(spy.mock.calls.filter(([sql]) => /FROM api_keys/.test(String(sql)))).toHaveLength(2);
      } finally {
        spy.mockRestore();
      }
    });

    it('limits Bull Board sign-ins; an active admin key still signs in', async () => {
      const { app: a } = await app({ AUTH_FAILURE_LIMIT: '3' });
      const http = () => request(a.getHttpServer());
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await http().post('/ops/queues/login').type('form').send({ key: `pw_${String(i).repeat(43)}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const blocked = await http().post('/ops/queues/login').type('form').send({ key: reader });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      const signedIn = await http().post('/ops/queues/login').type('form').send({ key: admin });
      expect(signedIn.status).toBe(303);
      expect(String(signedIn.headers['set-cookie'])).toMatch(/^pw_ops_session=/);
    });
  });

  describe('item 8: bad input is a 4xx, every 5xx is logged', () => {
    let a: INestApplication;
    const http = () => request(a.getHttpServer());
    beforeAll(async () => {
      ({ app: a } = await app());
    });

    it('refuses dates outside 1991..today+1y everywhere (no Postgres "date out of range")', async () => {
      for (const path of [
        '/v1/daily?date=0000-01-01',
        '/v1/daily?date=1990-12-31',
        '/v1/daily?date=9999-12-31',
        '/v1/papers?since=0000-01-01',
        '/v1/papers?until=0001-01-01T00:00:00Z',
        '/v1/claims?since=0000-01-01',
        '/v1/claims?until=275760-09-13',
      ]) {
        const res = await http().get(path);
        expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
          path,
          status: 400,
          type: expect.stringMatching(/^application\/problem\+json/),
        });
      }
      // since is no parameter of a search feed: refused (400), never a 5xx either.
      expect((await http().get('/v1/feeds/search.json?since=0000-01-01')).status).toBeLessThan(500);
      await http().get('/v1/daily?date=1991-01-01').expect(200);
      const page = await http().get('/?date=0000-01-01');
      expect(page.status).toBe(400);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/No such (day|date)/);
    });

    it('treats malformed %-escapes in pw_csrf and pw_ops_session as absent', async () => {
      for (const bad of ['%E0%A4%A', '%', '%ZZ']) {
        const home = await http().get('/').set('Cookie', `pw_csrf=${bad}`);
        expect(home.status).toBe(200);
        expect(String(home.headers['set-cookie'])).toMatch(/^pw_csrf=[A-Za-z0-9_-]{16,}/);
        const sub = await http()
          .post('/subscribe')
          .set('Cookie', `pw_csrf=${bad}`)
          .set('Origin', 'http://api.test')
          .type('form')
          .send({ email: 'a@example.com', csrf: 'x' });
        expect(sub.status).toBe(403);
        const board = await http().get('/ops/queues/').set('Cookie', `pw_ops_session=${bad}`);
        expect(board.status).toBe(401);
      }
    });

    it('logs a 5xx on /ops/queues (outside Nest’s exception filter)', async () => {
      const log = a.get<{ error: (...args: unknown[]) => void }>(LOGGER);
      const logged = jest.spyOn(log, 'error');
      const ds = a.get<DataSource>(DATA_SOURCE);
      const query = jest.spyOn(ds, 'query').mockRejectedValueOnce(new Error('connection terminated unexpectedly'));
      try {
        const res = await http().post('/ops/queues/login').type('form').send({ key: admin });
        expect(res.status).toBe(500);
        expect(res.text).not.toContain('connection terminated');
        expect(logged).toHaveBeenCalledWith(
          expect.objectContaining({ path: '/ops/queues/login', err: 'connection terminated unexpectedly' }),
          'request failed',
        );
      } finally {
        query.mockRestore();
        logged.mockRestore();
      }
    });
  });

  describe('item 12: /metrics', () => {
    it('is a 404 on the public port and served on the metrics listener', async () => {
      const { app: a } = await app();
      await request(a.getHttpServer()).get('/metrics').expect(404);
      const server = await serveMetrics(a, 0, '127.0.0.1');
      try {
        const port = (server.address() as AddressInfo).port;
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).toMatch(/^paperwire_queue_depth\{queue="[^"]+",state="waiting"\} \d+/m);
        expect(text).toContain('process_cpu_user_seconds_total');
        expect((await fetch(`http://127.0.0.1:${port}/v1/papers`)).status).toBe(404);
        expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  });
});
