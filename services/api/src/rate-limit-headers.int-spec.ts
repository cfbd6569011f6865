import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { QueryRunner } from 'typeorm';
import { createApiKey } from '@paperwire/db';
import { createTestDb, dropQueuePrefix, seedPaper, seedSource, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

// Every answer to a rate-limited caller carries that caller's X-RateLimit-* counters, whoever answers it: a 404
// outside /v1, a middleware's 400 / 413 / 415 before any route, the guard's 401 and its failed-authentication 429, the
// per-client concurrency 429. The routes deliberately not rate-limited (/healthz, /readyz, /docs, /docs-json) carry
// none and count nothing. Each caller is told apart by the address a trusted proxy gives (X-Forwarded-For).
describe('rate-limit counters on every answer', () => {
  let db: TestDb;
  const apps: { app: INestApplication; prefix: string }[] = [];
  let next = 0;
  const start = async (env: Record<string, string> = {}) => {
    const prefix = `{${uniqueName('t-rlh')}}`;
    const app = await createTestApp(db, prefix, { RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: 'loopback', ...env });
    apps.push({ app, prefix });
    return app;
  };
  /** A fresh caller (its own address), and what it is told. */
  const caller = () => `198.51.100.${++next}`;
  const counters = (r: request.Response) => ({
    status: r.status,
    limit: r.headers['x-ratelimit-limit'],
    remaining: r.headers['x-ratelimit-remaining'],
    reset: r.headers['x-ratelimit-reset'] === undefined ? undefined : 'set',
  });

  beforeAll(async () => {
    db = await createTestDb('t_rate_limit_headers');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    await seedPaper(db.ds, { title: 'A paper', abstract: 'An abstract.', sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: '2026-06-01T10:00:00Z' }] });
  });

  afterAll(async () => {
    for (const { app, prefix } of apps) {
      await app.close();
      await dropQueuePrefix(prefix);
    }
    await db?.drop();
  });

  it('a 404, 405 and every refusal before the routes carry the counters, each counted against the caller', async () => {
    const app = await start({ MAX_BODY_BYTES: '2048' });
    const ip = caller();
    const send = (r: request.Test) => r.set('X-Forwarded-For', ip);
    const http = () => request(app.getHttpServer());
    const answers = [
      // no route (outside /v1, as a browser and as a client; under /v1), a wrong method
      await send(http().get('/no-such-page').set('Accept', 'text/html')),
      await send(http().get('/no-such-page')),
      await send(http().get('/v1/no-such-thing')),
      await send(http().delete('/v1/topics')),
      // the middlewares before the routes: NUL, a broken percent-encoding, a body that is not JSON, too large, not parsable
      await send(http().get('/v1/papers?q=%00')),
      await send(http().get('/v1/papers?q=%E0%A4%A')),
      await send(http().post('/v1/subscriptions').set('Content-Type', 'text/plain').send('hello')),
      await send(http().post('/v1/subscriptions').set('Content-Type', 'application/json').send(JSON.stringify({ x: 'y'.repeat(4096) }))),
      await send(http().post('/v1/subscriptions').set('Content-Type', 'application/json').send('{"x":')),
      // the guard: a key in the URL, a required key missing, a key that is no key
      await send(http().get('/v1/papers?api_key=abc')),
      await send(http().post('/v1/subscriptions').send({})),
      await send(http().get('/v1/papers').set('Authorization', 'Bearer pw_nope')),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 405, 400, 400, 415, 413, 400, 400, 401, 401]);
    // each answer counted, in order: the caller's own budget going down by one each time
    expect(answers.map(counters)).toEqual(answers.map((r, i) => ({ status: r.status, limit: '1000', remaining: String(999 - i), reset: 'set' })));
  });

  it('the failed-authentication 429 carries the counters too', async () => {
    const app = await start({ AUTH_FAILURE_LIMIT: '1' });
    const ip = caller();
    const bad = () => request(app.getHttpServer()).get('/v1/papers').set('X-Forwarded-For', ip).set('Authorization', 'Bearer pw_nope');
    expect(counters(await bad())).toEqual({ status: 401, limit: '1000', remaining: '999', reset: 'set' });
    const refused = await bad();
    expect(counters(refused)).toEqual({ status: 429, limit: '1000', remaining: '998', reset: 'set' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("counts a valid key's requests against the key, whatever the answer (a 404 too), and the address's apart", async () => {
    const app = await start();
    const ip = caller();
    const key = (await createApiKey(db.ds, { name: 'rlh', scopes: ['read'] })).key;
    const http = () => request(app.getHttpServer());
    const keyed = [
      await http().get('/v1/topics').set('X-Forwarded-For', ip).set('X-API-Key', key),
      await http().get('/v1/no-such-thing').set('X-Forwarded-For', ip).set('X-API-Key', key),
      await http().get('/v1/papers?q=%00').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${key}`),
    ];
    expect(keyed.map(counters)).toEqual([
      { status: 200, limit: '1000', remaining: '999', reset: 'set' },
      { status: 404, limit: '1000', remaining: '998', reset: 'set' },
      { status: 400, limit: '1000', remaining: '997', reset: 'set' },
    ]);
    // the same address without the key: its own budget
    expect(counters(await http().get('/v1/topics').set('X-Forwarded-For', ip))).toEqual({ status: 200, limit: '1000', remaining: '999', reset: 'set' });
  });

  it('leaves the probes and the documentation out: no counters on them, and they count nothing', async () => {
    const app = await start();
    const ip = caller();
    const http = () => request(app.getHttpServer());
    for (const path of ['/healthz', '/readyz', '/docs-json', '/docs/']) {
      const res = await http().get(path).set('X-Forwarded-For', ip);
      expect({ path, status: res.status < 400 || res.status === 503, limit: res.headers['x-ratelimit-limit'] }).toEqual({ path, status: true, limit: undefined });
    }
    expect(counters(await http().get('/v1/topics').set('X-Forwarded-For', ip))).toEqual({ status: 200, limit: '1000', remaining: '999', reset: 'set' });
  });

  it('a caller over its limit gets its 429 with the counters on any path, a 404 one too', async () => {
    const app = await start({ RATE_LIMIT_PER_MINUTE: '2' });
    const ip = caller();
    const get = (path: string) => request(app.getHttpServer()).get(path).set('X-Forwarded-For', ip);
    expect([(await get('/nope')).status, (await get('/v1/nope')).status]).toEqual([404, 404]);
    const refused = await get('/nope');
    expect(counters(refused)).toEqual({ status: 429, limit: '2', remaining: '0', reset: 'set' });
    expect(refused.headers['retry-after']).toBe(refused.headers['x-ratelimit-reset']);
  });

  it('a hot page refused to one caller over its limit is still computed for the callers waiting on it (single-flight)', async () => {
    const app = await start({ RATE_LIMIT_PER_MINUTE: '1', API_CACHE_MS: '5000' });
    const [over, fresh] = [caller(), caller()];
    const get = (ip: string) => request(app.getHttpServer()).get('/v1/papers?limit=1').set('X-Forwarded-For', ip);
    await request(app.getHttpServer()).get('/v1/topics').set('X-Forwarded-For', over).expect(200);
    // whichever arrives first leads the key: the one over its limit is refused, the other answered
    const [a, b] = await Promise.all([get(over), get(fresh)]);
    expect([counters(a), counters(b)]).toEqual([
      { status: 429, limit: '1', remaining: '0', reset: 'set' },
      { status: 200, limit: '1', remaining: '0', reset: 'set' },
    ]);
  });

  it('the per-client concurrency 429 carries the counters', async () => {
    const app = await start({ API_CLIENT_CONCURRENCY: '1', API_STATEMENT_TIMEOUT_MS: '20000' });
    const ip = caller();
    const get = (path: string) => request(app.getHttpServer()).get(path).set('X-Forwarded-For', ip);
    const lock: QueryRunner = db.ds.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('LOCK TABLE paper_days IN ACCESS EXCLUSIVE MODE');
    let first: Promise<request.Response> | null = null;
    let second: request.Response | null = null;
    try {
      first = get('/v1/daily?date=2026-06-01').then((r) => r);
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000) {
        second = await get('/v1/daily?date=2026-06-02');
        if (second.status === 429) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    expect(second?.status).toBe(429);
    expect(second?.headers['retry-after']).toBeDefined();
    expect(second?.headers['x-ratelimit-limit']).toBe('1000');
    expect(Number(second?.headers['x-ratelimit-remaining'])).toBeLessThan(999);
    expect((await first!).headers['x-ratelimit-remaining']).toBe('999');
  });
});
