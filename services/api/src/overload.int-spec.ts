import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource, QueryRunner } from 'typeorm';
import { DATA_SOURCE, Metrics } from '@paperwire/service-kit';
import { createTestDb, seedPaper, seedSource, type TestDb, uniqueName } from '@paperwire/testing';
import { READ_DATA_SOURCE } from './common/read-db';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

// Overload is answered, not suffered: a full pool or a statement past its timeout is a 503 with
// Retry-After (never a 500), a client over its concurrency gets 429 at once, 50 concurrent misses of
// one page make one computation (single-flight), and every answer is counted by route and status.
describe('api under overload', () => {
  let db: TestDb;
  const apps: INestApplication[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await createTestApp(db, `{${uniqueName('t-overload')}}`, env);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    db = await createTestDb('t_overload');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    for (let i = 0; i < 5; i++)
      await seedPaper(db.ds, {
        title: `Paper ${i}`,
        abstract: 'An abstract.',
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: i, featuredAt: '2026-06-01T10:00:00Z' }],
      });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  /** Holds an ACCESS EXCLUSIVE lock on paper_days until released: reads of a day wait on it. */
  async function lockDays(ds: DataSource): Promise<QueryRunner> {
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    await qr.query('LOCK TABLE paper_days IN ACCESS EXCLUSIVE MODE');
    return qr;
  }

  it("runs its reads serially unless told otherwise: a parallel plan's start-up would cost more than a keyed page", async () => {
    const setting = async (app: INestApplication) =>
      Promise.all([DATA_SOURCE, READ_DATA_SOURCE].map(async (token) => {
        const [row]: { max_parallel_workers_per_gather: string }[] = await app.get<DataSource>(token).query('SHOW max_parallel_workers_per_gather');
        return row.max_parallel_workers_per_gather;
      }));
    expect(await setting(await start({}))).toEqual(['0', '0']);
    expect(await setting(await start({ API_PG_PARALLEL_WORKERS: '2' }))).toEqual(['2', '2']);
  });

  it('answers 503 with Retry-After when a statement runs past its timeout, and counts it', async () => {
    const app = await start({ API_STATEMENT_TIMEOUT_MS: '300' });
    const lock = await lockDays(db.ds);
    try {
      const res = await request(app.getHttpServer()).get('/v1/daily?date=2026-06-01');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    await request(app.getHttpServer()).get('/v1/daily?date=2026-06-01').expect(200);
    const text = await app.get(Metrics).registry.metrics();
    expect(text).toMatch(/paperwire_http_requests_total\{method="GET",route="\/v1\/daily",status="503"\} 1/);
    expect(text).toMatch(/paperwire_http_requests_total\{method="GET",route="\/v1\/daily",status="200"\} 1/);
    expect(text).toMatch(/paperwire_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/daily"\}/);
  });

  it('answers 503 with Retry-After when no pool connection frees up in time', async () => {
    const app = await start({ DATABASE_POOL_SIZE: '1', API_DB_POOL_WAIT_MS: '200' });
    const ds = app.get<DataSource>((await import('./common/read-db')).READ_DATA_SOURCE);
    const held = ds.createQueryRunner();
    await held.connect(); // the pool's only connection
    try {
      const res = await request(app.getHttpServer()).get('/v1/trending');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await held.release();
    }
    await request(app.getHttpServer()).get('/v1/trending').expect(200);
  });

  it('refuses a client over its concurrency with 429 at once, and admits it again when done', async () => {
    const app = await start({ API_CLIENT_CONCURRENCY: '1', API_STATEMENT_TIMEOUT_MS: '20000' });
    const lock = await lockDays(db.ds);
    let first: Promise<request.Response> | null = null;
    try {
      first = request(app.getHttpServer()).get('/v1/daily?date=2026-06-01').then((r) => r);
      // Wait until the first request is in flight (its query waits on the lock).
      const t0 = Date.now();
      let second: request.Response | null = null;
      while (Date.now() - t0 < 20_000) {
        second = await request(app.getHttpServer()).get('/v1/daily?date=2026-06-02');
        if (second.status === 429) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(second?.status).toBe(429);
      expect(second?.headers['retry-after']).toBeDefined();
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    // The held request completes once the lock is gone, and the client is admitted again.
    expect((await first!).status).toBe(200);
    await request(app.getHttpServer()).get('/v1/daily?date=2026-06-02').expect(200);
  });

  it('a browser on a reader page gets the 503 and the 429 as HTML pages with Retry-After', async () => {
    const BROWSER = 'text/html,application/xhtml+xml,*/*;q=0.8';
    const app = await start({ API_CLIENT_CONCURRENCY: '1', API_STATEMENT_TIMEOUT_MS: '1500' });
    const lock = await lockDays(db.ds);
    try {
      const first = request(app.getHttpServer()).get('/?date=2026-06-01').set('Accept', BROWSER).then((r) => r);
      const t0 = Date.now();
      let second: request.Response | null = null;
      while (Date.now() - t0 < 1_000) {
        second = await request(app.getHttpServer()).get('/?date=2026-06-02').set('Accept', BROWSER);
        if (second.status === 429) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const res of [second, await first]) {
        expect([429, 503]).toContain(res?.status);
        expect(res?.headers['retry-after']).toMatch(/^\d+$/);
        expect(res?.headers['content-type']).toMatch(/text\/html/);
        expect(res?.text).toMatch(/<h1>(Too Many Requests|Service Unavailable)<\/h1>/);
      }
      expect(second?.status).toBe(429);
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
  });

  it('computes a hot page once for 50 concurrent anonymous misses (single-flight), then serves it from the cache', async () => {
    const app = await start({ API_CACHE_MS: '5000' });
    const server = app.getHttpServer();
    const res = await Promise.all(Array.from({ length: 50 }, () => request(server).get('/v1/daily?limit=3&date=2026-06-01')));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(new Set(res.map((r) => r.headers.etag)).size).toBe(1);
    expect(res[0].body.items.map((i: { title: string }) => i.title)).toEqual(['Paper 4', 'Paper 3', 'Paper 2']);
    const text = await app.get(Metrics).registry.metrics();
    const count = (result: string) => Number(new RegExp(`paperwire_http_cache_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('miss')).toBe(1);
    expect(count('hit') + count('coalesced')).toBe(49);
    // Same query in another order: the same normalised key.
    await request(server).get('/v1/daily?date=2026-06-01&limit=3').expect(200);
    expect(count('miss')).toBe(1);
  });

  it('a cached answer honours If-None-Match as the handler does (a listed tag or *)', async () => {
    const app = await start({ API_CACHE_MS: '5000' });
    const server = app.getHttpServer();
    const first = await request(server).get('/v1/topics').expect(200);
    const etag = first.headers.etag as string;
    // From the cache now: the same conditional answers as from the handler.
    await request(server).get('/v1/topics').set('If-None-Match', `"other", ${etag}`).expect(304);
    await request(server).get('/v1/topics').set('If-None-Match', '*').expect(304);
    await request(server).get('/v1/topics').set('If-None-Match', '"other"').expect(200);
  });

  it("a cached answer replays the representation's headers only, never its first requester's CORS or rate-limit headers", async () => {
    const [a, b] = ['https://a.example.org', 'https://b.example.org'];
    const app = await start({ API_CACHE_MS: '5000', API_CORS_ORIGINS: `${a}, ${b}` });
    const server = app.getHttpServer();
    const text = async () => app.get(Metrics).registry.metrics();
    const hits = async () => Number(/paperwire_http_cache_total\{result="hit"\} (\d+)/.exec(await text())?.[1] ?? 0);
    const miss = await request(server).get('/v1/papers?limit=2').set('Origin', a).expect(200);
    expect(miss.headers['access-control-allow-origin']).toBe(a);
    expect(miss.headers['x-ratelimit-remaining']).toBeDefined();
    expect(miss.headers.link).toMatch(/rel="next"/);
    const fromB = await request(server).get('/v1/papers?limit=2').set('Origin', b).expect(200);
    const fromNowhere = await request(server).get('/v1/papers?limit=2').expect(200);
    expect(await hits()).toBe(2);
    // the origin of the request it answers, or none
    expect(fromB.headers['access-control-allow-origin']).toBe(b);
    expect(fromNowhere.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromNowhere.headers['access-control-expose-headers']).toBeUndefined();
    for (const hit of [fromB, fromNowhere]) {
      expect(hit.body).toEqual(miss.body);
      // what the route set survives
      for (const h of ['content-type', 'etag', 'cache-control', 'link']) expect([h, hit.headers[h]]).toEqual([h, miss.headers[h]]);
      expect(hit.headers.vary).toMatch(/Authorization/);
      expect(hit.headers.vary).toMatch(/Origin/);
      // the first requester's counters do not: a hit carries its own caller's (the same client here, counted on)
      expect(hit.headers['x-ratelimit-limit']).toBe(miss.headers['x-ratelimit-limit']);
    }
    expect([fromB, fromNowhere].map((h) => Number(h.headers['x-ratelimit-remaining']))).toEqual([
      Number(miss.headers['x-ratelimit-remaining']) - 1,
      Number(miss.headers['x-ratelimit-remaining']) - 2,
    ]);
  });

  it("a cached answer carries its own caller's rate-limit counters, and a caller over the limit gets 429 with them", async () => {
    // Clients told apart by the address a trusted proxy gives (X-Forwarded-For).
    const app = await start({ API_CACHE_MS: '5000', RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const server = app.getHttpServer();
    const from = (ip: string, path = '/v1/papers?limit=1') => request(server).get(path).set('X-Forwarded-For', ip);
    const counters = (r: request.Response) => [r.status, r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining'], r.headers['retry-after']];
    expect(counters(await from('198.51.100.1'))).toEqual([200, '3', '2', undefined]);
    // hits: another client's fresh budget, then the first client's own count
    expect(counters(await from('198.51.100.2'))).toEqual([200, '3', '2', undefined]);
    expect(counters(await from('198.51.100.1'))).toEqual([200, '3', '1', undefined]);
    expect(counters(await from('198.51.100.1'))).toEqual([200, '3', '0', undefined]);
    const refused = await from('198.51.100.1');
    expect(counters(refused).slice(0, 3)).toEqual([429, '3', '0']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['x-ratelimit-reset']).toBe(refused.headers['retry-after']);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    // the guard's own 429 (no cache on this route) carries the same headers
    const guarded = await from('198.51.100.1', '/v1/papers/2401.99999');
    expect(counters(guarded).slice(0, 3)).toEqual([429, '3', '0']);
    expect(Number(guarded.headers['retry-after'])).toBeGreaterThan(0);
    expect(guarded.headers['x-ratelimit-reset']).toBeDefined();
  });
  it('counts a body refused before routing and a method the path does not take under the route they hit, not "unmatched"', async () => {
    const app = await start({});
    const http = () => request(app.getHttpServer());
    await http().post('/v1/subscriptions').set('Content-Type', 'application/json').send('{not json').expect(400);
    await http().delete('/v1/papers').expect(405);
    await http().get('/v1/no-such-route').expect(404);
    const text = await app.get(Metrics).registry.metrics();
    expect(text).toMatch(/paperwire_http_requests_total\{method="POST",route="\/v1\/subscriptions",status="400"\} 1/);
    expect(text).toMatch(/paperwire_http_requests_total\{method="DELETE",route="\/v1\/papers",status="405"\} 1/);
    // a path no route has stays one bounded label
    expect(text).toMatch(/paperwire_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toMatch(/route="[^"]*no-such-route/);
  });
});
