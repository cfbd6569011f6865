import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import Parser from 'rss-parser';
import request from 'supertest';

import { createTestDb, seedPaper, seedSource, seedTopic, TEST_REDIS_URL, type TestDb, uniqueName, failOneJob } from '@paperwire/testing';
import { createApiKey, revokeApiKey, servedTrendScore, verifyApiKey } from '@paperwire/db';
import { createTestApp } from './testing/app';

jest.setTimeout(60_000);

function buildApp(db: TestDb, prefix: string, env: Record<string, string> = {}): Promise<INestApplication> {
  return createTestApp(db, prefix, { MAX_BODY_BYTES: '4096', PUBLIC_URL: 'http://api.test', ...env });
}

const DAY = 24 * 3600 * 1000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();

describe('api contract', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  let admin: string;
  let reader: string;
  let subsA: string;
  let subsB: string;
  let hfSource: string;
  const ids: Record<string, string> = {};
  /** Postgres' clock just before the papers were seeded (their stage times are ages from then). */
  let seededAt: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_api');
    prefix = `{${uniqueName('t-api')}}`;
    const ds = db.ds;
    seededAt = ((await ds.query(`SELECT now()::text AS t`)) as { t: string }[])[0].t;
    for (const t of ['llm', 'vision', 'rl']) await seedTopic(ds, t, t.toUpperCase());
    hfSource = await seedSource(ds, 'hf-daily', 'hf-daily-papers', { lastSuccessAgo: 120 });
    const rss = await seedSource(ds, 'arxiv-rss-cs', 'arxiv-rss', {
      lastError: 'HTTP 503 from rss.arxiv.org',
      lastStatus: 503,
      failures: 3,
    });
    ids.speed = await seedPaper(ds, {
      title: 'FlashDecode: fast transformer decoding',
      abstract: 'We make decoding 3.5x faster and improve accuracy by 2% on GSM8K.',
      arxivId: '2401.00001',
      publishedAt: daysAgo(1),
      topics: [
        { slug: 'llm', score: 0.9, primary: true, evidence: ['decoding', 'transformer'] },
        { slug: 'vision', score: 0.2 },
      ],
      claims: [
        { value: 3.5, unit: 'x', kind: 'speedup', metric: 'decoding speed', text: '3.5x faster' },
        {
          value: 2,
          unit: '%',
          kind: 'relative_improvement',
          metric: 'accuracy',
          dataset: 'GSM8K',
          text: 'by 2%',
          isHeadline: true,
        },
      ],
      sightings: [
        { sourceId: hfSource, sourceKind: 'hf-daily-papers', upvotes: 42, comments: 3 },
        { sourceId: rss, sourceKind: 'arxiv-rss', announceType: 'new' },
      ],
      hasCode: true,
      stageAgo: { parsed: 30, classified: 20, extracted: 10 },
    });
    ids.small = await seedPaper(ds, {
      title: 'A small speedup for vision models',
      abstract:
        'A modest 2x speedup and 5% accuracy gain in image classification; transformer decoding is mentioned once.',
      publishedAt: daysAgo(2),
      topics: [{ slug: 'vision', score: 0.8, primary: true }],
      claims: [
        { value: 2, unit: 'x', kind: 'speedup', text: '2x speedup' },
        { value: 5, unit: '%', kind: 'absolute_score', metric: 'accuracy', text: '5% accuracy' },
      ],
      sightings: [{ sourceId: hfSource, sourceKind: 'hf-daily-papers', upvotes: 1 }],
      contribution: 'analysis',
      stageAgo: { parsed: 100, classified: 40 },
      stage: 'classified',
    });
    ids.rl = await seedPaper(ds, {
      title: 'Reward shaping <revisited> & "improved"',
      abstract: 'Policy gradients with shaped rewards reduce memory by 10x.',
      arxivId: '2402.12345',
      publishedAt: daysAgo(20),
      topics: [{ slug: 'rl', score: 0.7, primary: true }],
      claims: [{ value: 10, unit: 'x', kind: 'reduction', metric: 'memory', text: '10x' }],
      stage: 'parsed',
    });
    for (let i = 0; i < 4; i++) {
      ids[`old${i}`] = await seedPaper(ds, {
        title: `Older language model paper ${i}`,
        abstract: `An older study number ${i} of language models.`,
        publishedAt: daysAgo(40 + i),
        topics: [{ slug: 'llm', score: 0.5 }],
      });
    }
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
    reader = (await createApiKey(ds, { name: 'reader', scopes: ['read'] })).key;
    subsA = (await createApiKey(ds, { name: 'a', scopes: ['subscriptions'] })).key;
    subsB = (await createApiKey(ds, { name: 'b', scopes: ['subscriptions'] })).key;
    app = await buildApp(db, prefix);
  });

  afterAll(async () => {
    await app?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = [...(await redis.keys(`${prefix}:*`)), ...(await redis.keys(`pw-throttle:${prefix}*`))];
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db?.drop();
  });

  describe('api keys', () => {
    it('creates pw_ keys with a 12-char prefix, verifies and revokes them', async () => {
      const k = await createApiKey(db.ds, { name: 'tmp', scopes: ['read'] });
      expect(k.key).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
      expect(k.prefix).toBe(k.key.slice(0, 12));
      expect((await verifyApiKey(db.ds, k.key))?.id).toBe(k.id);
      expect(await verifyApiKey(db.ds, k.key.slice(0, -1) + (k.key.endsWith('A') ? 'B' : 'A'))).toBeNull();
      expect(await revokeApiKey(db.ds, k.id)).toBe(true);
      expect(await verifyApiKey(db.ds, k.key)).toBeNull();
      const stored: { key_hash: string }[] = await db.ds.query(
        `SELECT key_hash FROM api_keys WHERE id = $1`,
        [k.id],
      );
      expect(stored[0].key_hash).not.toContain(k.key);
    });
  });

  describe('GET /v1/papers', () => {
    it('lists newest first with topics, headline claim and sightings', async () => {
      const res = await http().get('/v1/papers').expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id).slice(0, 3)).toEqual([
        ids.speed,
        ids.small,
        ids.rl,
      ]);
      const first = res.body.items[0];
      expect(first).toMatchObject({
        arxivId: '2401.00001',
        primaryTopic: 'llm',
        sightings: 2,
        hasCode: true,
        contribution: 'method',
      });
      expect(first.topics).toEqual([
        { slug: 'llm', score: expect.closeTo(0.9, 5) },
        { slug: 'vision', score: expect.closeTo(0.2, 5) },
      ]);
      expect(first.headlineClaim).toMatchObject({
        value: 2,
        unit: '%',
        metric: 'accuracy',
        isHeadline: true,
      });
      expect(first.headlineClaim.summary).toContain('2%');
      // no headline flag → first result claim
      expect(res.body.items[1].headlineClaim).toMatchObject({ value: 2, unit: 'x', kind: 'speedup' });
      expect(res.body.nextCursor).toBeNull();
    });

    it('paginates with a stable cursor even when a newer paper arrives mid-way', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: request.Response = await http()
          .get('/v1/papers')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
        if (pages === 0)
          await seedPaper(db.ds, {
            title: 'Arrived during paging',
            abstract: 'Late.',
            publishedAt: new Date().toISOString(),
          });
        pages += 1;
      } while (cursor);
      expect(pages).toBe(4);
      expect(new Set(seen).size).toBe(7);
      expect(seen).toEqual([ids.speed, ids.small, ids.rl, ids.old0, ids.old1, ids.old2, ids.old3]);
    });

    it('ranks full-text matches (title above abstract) and highlights snippets', async () => {
      const res = await http()
        .get('/v1/papers')
        .query({ q: 'transformer decoding', sort: 'relevance' })
        .expect(200);
      const got = res.body.items.map((p: { id: string }) => p.id);
      expect(got).toEqual([ids.speed, ids.small]);
      expect(res.body.items[0].rank).toBeGreaterThan(res.body.items[1].rank);
      expect(res.body.items[0].snippet).toMatch(/<mark>decod/i);
    });

    it('filters by claims: one claim must satisfy every claim condition', async () => {
      const fast = await http().get('/v1/papers').query({ claimKind: 'speedup', claimMin: '3' }).expect(200);
      expect(fast.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed]);
      // small has a 2x speedup and a 5% claim: unit x with min 3 must not match across claims
      const mixed = await http().get('/v1/papers').query({ claimUnit: 'x', claimMin: '4' }).expect(200);
      expect(mixed.body.items.map((p: { id: string }) => p.id)).toEqual([ids.rl]);
      const metric = await http()
        .get('/v1/papers')
        .query({ claimMetric: 'ACCURACY', claimMax: '3' })
        .expect(200);
      expect(metric.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed]);
    });

    it('filters by topic list, source, hasCode, contribution and dates; sorts by trending', async () => {
      const t = await http().get('/v1/papers?topic=rl,vision').expect(200);
      expect(t.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed, ids.small, ids.rl]);
      const t2 = await http().get('/v1/papers?topic=rl&topic=vision').expect(200);
      expect(t2.body.items).toHaveLength(3);
      const src = await http().get('/v1/papers').query({ source: 'arxiv-rss' }).expect(200);
      expect(src.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed]);
      const byName = await http().get('/v1/papers').query({ source: 'hf-daily' }).expect(200);
      expect(byName.body.items).toHaveLength(2);
      expect(
        (await http().get('/v1/papers?hasCode=true').expect(200)).body.items.map((p: { id: string }) => p.id),
      ).toEqual([ids.speed]);
      expect(
        (await http().get('/v1/papers?contribution=analysis').expect(200)).body.items.map(
          (p: { id: string }) => p.id,
        ),
      ).toEqual([ids.small]);
      const dated = await http()
        .get('/v1/papers')
        .query({ since: daysAgo(30).slice(0, 10), until: daysAgo(10) })
        .expect(200);
      expect(dated.body.items.map((p: { id: string }) => p.id)).toEqual([ids.rl]);
      // The trending tab's order (read model trend key): speed (42 upvotes, 3 comments, two sources) above small
      // (1 upvote).
      const trending = await http().get('/v1/papers?sort=trending&limit=2').expect(200);
      expect(trending.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed, ids.small]);
      const tab = await http().get('/v1/trending?window=30d').expect(200);
      expect(tab.body.items.map((p: { id: string }) => p.id)).toEqual([ids.speed, ids.small]);
    });

    it("sort=trending: trendingScore is /v1/trending's decayed score, non-increasing over the papers with a signal, 0 for the rest", async () => {
      // Scores are evaluated at the start of the request's minute: keep the requests in one minute.
      if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 50));
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      const page = (await http().get('/v1/papers?sort=trending&limit=100').expect(200)).body.items as {
        id: string;
        trendingScore: number;
      }[];
      const tab = (await http().get('/v1/trending?window=30d&limit=100').expect(200)).body.items as {
        id: string;
        trendingScore: number;
      }[];
      const tabScore = new Map(tab.map((p) => [p.id, p.trendingScore]));
      const withSignal = page.filter((p) => tabScore.has(p.id));
      expect(withSignal.map((p) => p.id)).toEqual([ids.speed, ids.small]);
      // Each score is the read model's trend key decayed to the request's minute, and nothing else of the paper's.
      const keys: { paper_id: string; trend_key: number }[] = await db.ds.query(
        `SELECT paper_id, trend_key FROM paper_read WHERE paper_id = ANY($1::uuid[])`,
        [withSignal.map((p) => p.id)],
      );
      expect(keys).toHaveLength(2);
      for (const { paper_id, trend_key } of keys)
        expect(withSignal.find((p) => p.id === paper_id)!.trendingScore).toBe(servedTrendScore(trend_key, minute));
      for (const p of withSignal) expect(p.trendingScore).toBe(tabScore.get(p.id));
      for (let i = 1; i < withSignal.length; i++)
        expect(withSignal[i].trendingScore).toBeLessThanOrEqual(withSignal[i - 1].trendingScore);
      expect(withSignal[1].trendingScore).toBeGreaterThan(0);
      // The rest (no signal) come after, with 0 — also in the recent list and the detail.
      expect(page.slice(withSignal.length).every((p) => !tabScore.has(p.id) && p.trendingScore === 0)).toBe(true);
      const detail = (await http().get(`/v1/papers/${ids.small}`).expect(200)).body;
      expect(detail.trendingScore).toBe(tabScore.get(ids.small));
      const recent = (await http().get('/v1/papers?limit=100').expect(200)).body.items as { id: string; trendingScore: number }[];
      expect(recent.find((p) => p.id === ids.speed)?.trendingScore).toBe(tabScore.get(ids.speed));
    });

    it('pages sort=trending by cursor: the papers with a signal, then the rest newest first, each once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await http()
          .get('/v1/papers')
          .query({ sort: 'trending', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
        expect(seen.length).toBeLessThan(50);
      } while (cursor);
      const recent: string[] = (await http().get('/v1/papers?limit=100').expect(200)).body.items.map((p: { id: string }) => p.id);
      expect(recent.length).toBeGreaterThanOrEqual(7);
      expect(seen).toEqual([ids.speed, ids.small, ...recent.filter((id) => id !== ids.speed && id !== ids.small)]);
      // A cursor of the older trending order ([score, date, id]) is a 400, never read as this order's keys.
      const old = Buffer.from(JSON.stringify({ s: 'trending', k: [5, '2026-01-01 00:00:00+00', ids.rl] })).toString('base64url');
      const bad = await http().get('/v1/papers').query({ sort: 'trending', cursor: old }).expect(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'cursor' });
    });

    it('rejects bad input with problem+json, never a 500', async () => {
      for (const qs of [
        'limit=101',
        'limit=abc',
        'since=yesterday',
        'claimKind=bogus',
        'sort=relevance',
        'cursor=xyz',
        'claimMin=5&claimMax=1',
        'topic=Bad%20Slug',
        // keys of the right shape with a UTC offset Postgres cannot read (a 500 from the cast, before)
        ...['recent', 'trending'].flatMap((sort) =>
          ['2026-01-01 10:00:00+16', '2026-01-01 10:00:00+01:99'].map(
            (at) => `sort=${sort}&cursor=${Buffer.from(JSON.stringify({ s: sort, k: [at, ids.rl] })).toString('base64url')}`,
          ),
        ),
      ]) {
        const res = await http().get(`/v1/papers?${qs}`);
        expect({ qs, status: res.status }).toEqual({ qs, status: 400 });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', instance: '/v1/papers' });
        expect(res.body.type).toMatch(/^https:\/\//);
        expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
      }
      const lim = await http().get('/v1/papers?limit=101');
      expect(lim.body.errors[0]).toMatchObject({ field: 'limit' });
    });

    it('answers 304 to a matching If-None-Match and a new ETag after a change', async () => {
      const a = await http().get('/v1/papers?topic=rl').expect(200);
      expect(a.headers.etag).toMatch(/^W\/"/);
      await http().get('/v1/papers?topic=rl').set('If-None-Match', a.headers.etag).expect(304);
      await db.ds.query(`UPDATE papers SET title = title || ' (v2)' WHERE id = $1`, [ids.rl]);
      const b = await http().get('/v1/papers?topic=rl').set('If-None-Match', a.headers.etag).expect(200);
      expect(b.headers.etag).not.toBe(a.headers.etag);
    });
  });

  describe('GET /v1/papers/:id', () => {
    it('returns the full record by uuid and by arXiv id (version ignored)', async () => {
      const byUuid = await http().get(`/v1/papers/${ids.speed}`).expect(200);
      const byArxiv = await http().get('/v1/papers/2401.00001v3').expect(200);
      expect(byArxiv.body.id).toBe(ids.speed);
      const p = byUuid.body;
      expect(p.topics[0]).toMatchObject({
        slug: 'llm',
        isPrimary: true,
        evidence: ['decoding', 'transformer'],
        modelVersion: 'test-1',
      });
      expect(p.claims).toHaveLength(2);
      expect(p.claims[1]).toMatchObject({
        value: 2,
        unit: '%',
        kind: 'relative_improvement',
        dataset: 'GSM8K',
        category: 'result',
        baseline: null,
      });
      expect(p.sightings.map((s: { sourceName: string }) => s.sourceName).sort()).toEqual([
        'arxiv-rss-cs',
        'hf-daily',
      ]);
      expect(p.sightings.find((s: { sourceName: string }) => s.sourceName === 'hf-daily')).toMatchObject({
        upvotes: 42,
        comments: 3,
      });
      // the signals the list, daily and trending items carry: the highest over the sightings (the RSS one gives none)
      expect({ upvotes: p.upvotes, comments: p.comments, githubStars: p.githubStars }).toEqual({ upvotes: 42, comments: 3, githubStars: null });
      expect(p.versions).toHaveLength(1);
      expect(p.stage).toBe('extracted');
      expect(p.stageTimes.classifiedAt).not.toBeNull();
      expect(p.stageTimes.notifiedAt).toBeNull();
    });

    it('404s unknown papers as problems (400 for what is no paper id)', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', '9999.99999']) {
        const res = await http().get(`/v1/papers/${id}`).expect(404);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
      const bad = await http().get('/v1/papers/nonsense').expect(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      await http().get('/v1/nowhere').expect(404);
    });
  });

  describe('topics, claims, stats', () => {
    it('counts papers per topic with a 7/30-day trend', async () => {
      const res = await http().get('/v1/topics').expect(200);
      const llm = res.body.items.find((t: { slug: string }) => t.slug === 'llm');
      expect(llm).toMatchObject({
        paperCount: 5,
        primaryCount: 1,
        trend: { last7: 1, prev7: 0, last30: 1, prev30: 4, change7: null, change30: -0.75 },
      });
    });

    it('searches claims across papers', async () => {
      const res = await http().get('/v1/claims').query({ claimUnit: 'x', limit: 2 }).expect(200);
      expect(res.body.items.map((c: { paperId: string; value: number }) => [c.paperId, c.value])).toEqual([
        [ids.speed, 3.5],
        [ids.small, 2],
      ]);
      expect(res.body.items[0].paperTitle).toContain('FlashDecode');
      const next = await http()
        .get('/v1/claims')
        .query({ claimUnit: 'x', limit: 2, cursor: res.body.nextCursor })
        .expect(200);
      expect(next.body.items.map((c: { value: number }) => c.value)).toEqual([10]);
      expect(next.body.nextCursor).toBeNull();
      await http().get('/v1/claims?claimUnit=furlongs').expect(400);
    });

    it('reports pipeline stats: stages, queues, throughput, latency, failures and source lag', async () => {
      // The stage times were seeded as ages (20 s and 40 s for the classified ones), and the tests before
      // this one may take longer than the 20 s that leaves inside the 1-minute window on a loaded machine.
      // Move them forward by the time since seeding, so the ages are at most as seeded when the stats are
      // read; the latencies (differences of stage times) stay as they were.
      await db.ds.query(
        `UPDATE paper_stages SET parsed_at = parsed_at + s.d, classified_at = classified_at + s.d,
                           extracted_at = extracted_at + s.d, notified_at = notified_at + s.d
           FROM (SELECT now() - $1::timestamptz AS d) s`,
        [seededAt],
      );
      const res = await http().get('/v1/stats/pipeline').expect(200);
      const s = res.body;
      const stage = (n: string) => s.stages.find((x: { stage: string }) => x.stage === n);
      expect(stage('parsed').papers).toBe(1);
      expect(stage('classified').papers).toBe(1);
      expect(stage('extracted').papers).toBe(6);
      expect(stage('classified').throughput).toEqual({ m1: 2, m5: 2, m60: 2 });
      expect(stage('classified').latency.samples).toBe(2);
      expect(stage('classified').latency.p50).toBeCloseTo(35, 0);
      expect(stage('extracted').latency.p95).toBeCloseTo(10, 0);
      expect(s.queues.map((q: { queue: string }) => q.queue)).toEqual(
        expect.arrayContaining(['fetch', 'parse', 'classify', 'extract', 'notify', 'deliver']),
      );
      const hf = s.sources.find((x: { name: string }) => x.name === 'hf-daily');
      expect(hf.lagSeconds).toBeGreaterThanOrEqual(119);
      const rss = s.sources.find((x: { name: string }) => x.name === 'arxiv-rss-cs');
      // Without an admin key the error is its class (issue 14); with one, verbatim.
      expect(rss).toMatchObject({
        lastStatus: 503,
        consecutiveFailures: 3,
        lagSeconds: null,
        lastError: 'HTTP 503',
      });
      const full = await http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200);
      expect(full.body.sources.find((x: { name: string }) => x.name === 'arxiv-rss-cs').lastError).toBe('HTTP 503 from rss.arxiv.org');
    });
  });

  describe('auth', () => {
    it('rejects keys in the query string', async () => {
      const res = await http().get(`/v1/papers?api_key=${admin}`).expect(400);
      expect(res.body.detail).toMatch(/header/);
      await http().get(`/v1/subscriptions?key=${subsA}`).expect(400);
    });

    it('401 without or with a bad key, 403 with a key lacking the scope', async () => {
      const none = await http().get('/v1/subscriptions').expect(401);
      expect(none.headers['www-authenticate']).toMatch(/Bearer/);
      await http()
        .get('/v1/subscriptions')
        .set('Authorization', 'Bearer pw_notarealkeynotarealkeynotarealkeynotarealkey1')
        .expect(401);
      await http().get('/v1/papers').set('X-API-Key', 'garbage').expect(401);
      await http().get('/v1/subscriptions').set('X-API-Key', reader).expect(403);
      await http().get('/v1/sources').set('Authorization', `Bearer ${subsA}`).expect(403);
      await http().get('/v1/sources').set('Authorization', `Bearer ${admin}`).expect(200);
    });

    it('lets an admin key create and revoke keys', async () => {
      const created = await http()
        .post('/v1/admin/keys')
        .set('X-API-Key', admin)
        .send({ name: 'bot', scopes: ['read'] })
        .expect(201);
      expect(created.body.key).toMatch(/^pw_/);
      await http().get('/v1/papers').set('X-API-Key', created.body.key).expect(200);
      await http().delete(`/v1/admin/keys/${created.body.id}`).set('X-API-Key', admin).expect(204);
      await http().get('/v1/papers').set('X-API-Key', created.body.key).expect(401);
      await http()
        .post('/v1/admin/keys')
        .set('X-API-Key', subsA)
        .send({ name: 'x', scopes: ['admin'] })
        .expect(403);
      await http()
        .post('/v1/admin/keys')
        .set('X-API-Key', admin)
        .send({ name: 'x', scopes: ['root'] })
        .expect(400);
    });
  });

  describe('subscriptions', () => {
    let subId: string;
    it('creates a webhook subscription with a one-time whsec_ secret', async () => {
      const res = await http()
        .post('/v1/subscriptions')
        .set('Authorization', `Bearer ${subsA}`)
        .send({
          channel: 'webhook',
          target: 'https://93.184.215.14/hook',
          filters: { topics: { slugs: ['llm'] }, claims: [{ kind: 'speedup', min: 10 }] },
        })
        .expect(201);
      expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      expect(res.body).toMatchObject({ status: 'active', mode: 'instant', channel: 'webhook' });
      subId = res.body.id;
      const row: { owner_key_id: string; secrets: string[] }[] = await db.ds.query(
        `SELECT owner_key_id, secrets FROM subscriptions WHERE id = $1`,
        [subId],
      );
      expect(row[0].secrets).toEqual([res.body.secret]);
      const again = await http().get(`/v1/subscriptions/${subId}`).set('X-API-Key', subsA).expect(200);
      expect(again.body.secret).toBeUndefined();
    });

    it('refuses private webhook targets, bad filters and bad schedules', async () => {
      const email = { channel: 'email', target: 'a@example.org' };
      // Each body is refused with a 400; where a field is named, the first error points at it.
      const cases: [body: object | string, field?: string][] = [
        [{ channel: 'webhook', target: 'http://127.0.0.1:8080/x' }, '/target'],
        [{ channel: 'webhook', target: 'http://169.254.169.254/latest' }],
        [{ channel: 'webhook', target: 'ftp://93.184.215.14/' }],
        [{ ...email, filters: { topcis: ['x'] } }, '/filters'],
        [{ ...email, filters: 'llm' }],
        [{ ...email, mode: 'weekly', schedule: { hour: 8, timeZone: 'Europe/Paris' } }],
        [{ ...email, mode: 'daily', schedule: { hour: 8, timeZone: 'Mars/Olympus' } }],
        ['{"channel":'],
      ];
      for (const [body, field] of cases) {
        const req = http().post('/v1/subscriptions').set('X-API-Key', subsA).set('Content-Type', 'application/json');
        const res = await req.send(body).expect(400);
        if (field) expect(res.body.errors[0].field).toBe(field);
      }
    });

    it('starts email subscriptions pending confirmation', async () => {
      const res = await http()
        .post('/v1/subscriptions')
        .set('X-API-Key', subsA)
        .send({
          channel: 'email',
          target: 'reader@example.org',
          mode: 'weekly',
          schedule: { hour: 8, minute: 30, timeZone: 'Europe/Paris', weekday: 1 },
        })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'pending_confirmation',
        schedule: { hour: 8, minute: 30, timeZone: 'Europe/Paris', weekday: 1 },
      });
      expect(res.body.secret).toBeUndefined();
      await http()
        .patch(`/v1/subscriptions/${res.body.id}`)
        .set('X-API-Key', subsA)
        .send({ status: 'active' })
        .expect(400);
    });

    it("hides other keys' subscriptions (404) and lists only your own", async () => {
      await http().get(`/v1/subscriptions/${subId}`).set('X-API-Key', subsB).expect(404);
      await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsB)
        .send({ status: 'paused' })
        .expect(404);
      await http().delete(`/v1/subscriptions/${subId}`).set('X-API-Key', subsB).expect(404);
      expect((await http().get('/v1/subscriptions').set('X-API-Key', subsB).expect(200)).body.items).toEqual(
        [],
      );
      expect(
        (await http().get('/v1/subscriptions').set('X-API-Key', subsA).expect(200)).body.items,
      ).toHaveLength(2);
    });

    it('pauses, resumes and deletes', async () => {
      const paused = await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'paused' })
        .expect(200);
      expect(paused.body.status).toBe('paused');
      expect(Date.now() - Date.parse(paused.body.pausedAt)).toBeLessThan(60_000);
      // Paused a day ago: the resume queues one backfill of the papers notified since.
      await db.ds.query(`UPDATE subscriptions SET paused_at = now() - interval '1 day' WHERE id = $1`, [
        subId,
      ]);
      const [{ paused_at: pausedAt }] = await db.ds.query(
        `SELECT paused_at FROM subscriptions WHERE id = $1`,
        [subId],
      );
      const resumed = await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'active', filters: { hasCode: true } })
        .expect(200);
      expect(resumed.body).toMatchObject({ status: 'active', filters: { hasCode: true }, pausedAt: null });
      const [{ n }] = await db.ds.query(
        `SELECT count(*)::int AS n FROM paper_stages WHERE stage = 'notified' AND notified_at >= $1`,
        [resumed.body.backfill.since],
      );
      expect(resumed.body.backfill).toEqual({
        jobId: `backfill-${subId}-${pausedAt.getTime()}`,
        since: new Date(pausedAt.getTime() - 60_000).toISOString(),
        papersToCheck: n,
      });
      const conn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const notifyQueue = new Queue('notify', { connection: conn, prefix });
      const job = await notifyQueue.getJob(resumed.body.backfill.jobId);
      expect(job?.name).toBe('backfill-subscription');
      expect(job?.data).toEqual({ subscriptionId: subId, since: pausedAt.toISOString() });
      // Resuming an active subscription, or with backfill: false, queues nothing.
      const again = await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'active' })
        .expect(200);
      expect(again.body.backfill).toBeUndefined();
      await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'paused' })
        .expect(200);
      const noBackfill = await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'active', backfill: false })
        .expect(200);
      expect(noBackfill.body).toMatchObject({ status: 'active', pausedAt: null });
      expect(noBackfill.body.backfill).toBeUndefined();
      expect((await notifyQueue.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.name)).toEqual([
        'backfill-subscription',
      ]);
      await notifyQueue.close();
      await conn.quit();
      await http()
        .patch(`/v1/subscriptions/${subId}`)
        .set('X-API-Key', subsA)
        .send({ status: 'disabled' })
        .expect(400);
      await http().delete(`/v1/subscriptions/${subId}`).set('X-API-Key', subsA).expect(204);
      await http().get(`/v1/subscriptions/${subId}`).set('X-API-Key', subsA).expect(404);
    });

    it('answers 413 problem for oversized bodies', async () => {
      const res = await http()
        .post('/v1/subscriptions')
        .set('X-API-Key', subsA)
        .send({ channel: 'email', target: 'a@example.org', name: 'x'.repeat(5000) })
        .expect(413);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.status).toBe(413);
    });
  });

  describe('sources and admin', () => {
    it('creates, validates, updates, disables, polls and deletes sources', async () => {
      const auth = { 'X-API-Key': admin };
      const created = await http()
        .post('/v1/sources')
        .set(auth)
        .send({ name: 'oai', kind: 'arxiv-oai', url: 'https://export.arxiv.org/oai2', everySeconds: 3600 })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'oai',
        kind: 'arxiv-oai',
        enabled: true,
        everySeconds: 3600,
      });
      await http()
        .post('/v1/sources')
        .set(auth)
        .send({ name: 'oai', kind: 'arxiv-oai', url: 'https://export.arxiv.org/oai2' })
        .expect(409);
      await http()
        .post('/v1/sources')
        .set(auth)
        .send({ name: 'x', kind: 'gopher', url: 'https://x.org' })
        .expect(400);
      await http().post('/v1/sources').set(auth).send({ name: 'y', kind: 'arxiv-api' }).expect(400);
      await http()
        .post('/v1/sources')
        .set(auth)
        .send({ name: 'z', kind: 'arxiv-api', url: 'file:///etc/passwd' })
        .expect(400);
      const id = created.body.id;
      expect(
        (await http().patch(`/v1/sources/${id}`).set(auth).send({ everySeconds: 7200 }).expect(200)).body
          .everySeconds,
      ).toBe(7200);
      const polled = await http().post(`/v1/sources/${id}/poll`).set(auth).expect(202);
      const conn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const fetchQueue = new Queue('fetch', { connection: conn, prefix });
      const job = await fetchQueue.getJob(polled.body.jobId);
      expect(job?.name).toBe('fetch-source');
      expect(job?.data).toEqual({ sourceId: id, reason: 'manual' });
      await fetchQueue.close();
      await conn.quit();
      expect((await http().post(`/v1/sources/${id}/disable`).set(auth).expect(200)).body.enabled).toBe(false);
      await http().post(`/v1/sources/${id}/poll`).set(auth).expect(400);
      expect((await http().post(`/v1/sources/${id}/enable`).set(auth).expect(200)).body.enabled).toBe(true);
      await http().delete(`/v1/sources/${id}`).set(auth).expect(204);
      await http().get(`/v1/sources/${id}`).set(auth).expect(404);
    });

    it('lists failed jobs with their error and retries one', async () => {
      const job = await failOneJob(prefix, 'parse', 'parse-document', { rawDocumentId: '00000000-0000-4000-8000-000000000001' }, 'unsupported format: text/html');
      const list = await http().get('/v1/admin/failed?queue=parse').set('X-API-Key', admin).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          queue: 'parse',
          id: job.id,
          failedReason: 'unsupported format: text/html',
        }),
      ]);
      await http().get('/v1/admin/failed?queue=nope').set('X-API-Key', admin).expect(400);
      const stats = await http().get('/v1/stats/pipeline').expect(200);
      expect(stats.body.failures.byQueue.parse).toBe(1);
      expect(stats.body.failures.recent[0]).toMatchObject({ queue: 'parse', id: job.id });
      // The public page lists the failure without a Retry button (that needs an admin key, issue 14).
      const ops = await http().get('/ops').expect(200);
      expect(ops.text).toContain(`data-testid="failure-parse-${job.id}-row"`);
      expect(ops.text).toContain(`data-testid="failure-parse-${job.id}-retry-needs-key"`);
      expect(ops.text).not.toContain(`data-testid="failure-parse-${job.id}-retry"`);
      await http().post(`/v1/admin/failed/parse/${job.id}/retry`).set('X-API-Key', reader).expect(403);
      await http().post(`/v1/admin/failed/parse/nope/retry`).set('X-API-Key', admin).expect(404);
      const retried = await http()
        .post(`/v1/admin/failed/parse/${job.id}/retry`)
        .set('X-API-Key', admin)
        .expect(202);
      expect(retried.body.state).toBe('waiting');
      await http().post(`/v1/admin/failed/parse/${job.id}/retry`).set('X-API-Key', admin).expect(409);
    });
  });

  describe('feeds', () => {
    const parser = new Parser();
    it('serves a topic as Atom that a feed parser reads, with escaping and ETag', async () => {
      const res = await http().get('/v1/feeds/topics/rl.atom').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/atom\+xml/);
      const feed = await parser.parseString(res.text);
      expect(feed.title).toBe('PaperWire — RL');
      expect(feed.items).toHaveLength(1);
      expect(feed.items[0].title).toBe('Reward shaping <revisited> & "improved" (v2)');
      // Entries link to the paper's page on PaperWire (issue #17); the arXiv page is a related link.
      expect(feed.items[0].link).toBe('http://api.test/papers/2402.12345');
      expect(res.text).toContain('<link rel="related" type="text/html" title="abstract" href="https://arxiv.org/abs/2402.12345"/>');
      expect(res.text).toMatch(/Headline claim: 10x memory reduction — “10x”/);
      await http().get('/v1/feeds/topics/rl.atom').set('If-None-Match', res.headers.etag).expect(304);
      await seedPaper(db.ds, {
        title: 'New RL paper',
        abstract: 'Fresh.',
        topics: [{ slug: 'rl', score: 0.9 }],
      });
      const after = await http()
        .get('/v1/feeds/topics/rl.atom')
        .set('If-None-Match', res.headers.etag)
        .expect(200);
      expect(after.headers.etag).not.toBe(res.headers.etag);
      expect((await parser.parseString(after.text)).items[0].title).toBe('New RL paper');
    });

    it('serves JSON Feed 1.1 and saved searches; unknown topics 404', async () => {
      const res = await http().get('/v1/feeds/topics/llm.json').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/feed\+json/);
      const feed = JSON.parse(res.text);
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.items).toHaveLength(5);
      expect(feed.items[0]).toMatchObject({
        id: ids.speed,
        url: 'http://api.test/papers/2401.00001',
        external_url: 'https://arxiv.org/abs/2401.00001',
        tags: ['llm', 'vision'],
      });
      expect(feed.items[0].content_text).toContain('Headline claim: 2% accuracy gain on GSM8K — “by 2%”');
      const search = await http()
        .get('/v1/feeds/search.atom')
        .query({ q: 'transformer decoding', topic: 'vision' })
        .expect(200);
      expect((await parser.parseString(search.text)).items.map((i) => i.title)).toEqual([
        'FlashDecode: fast transformer decoding',
        'A small speedup for vision models',
      ]);
      await http().get('/v1/feeds/topics/nope.atom').expect(404);
      await http().get('/v1/feeds/topics/llm.rss').expect(404);
      // limit and since are not parameters of a search feed: refused, never silently dropped.
      const notFeedParams = await http().get('/v1/feeds/search.atom?limit=abc&since=x').expect(400);
      expect(notFeedParams.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit', 'since']);
      await http().get('/v1/feeds/search.atom?hasCode=maybe').expect(400);
    });
  });

  describe('docs, ops page and headers', () => {
    it('publishes OpenAPI at /docs-json and the UI at /docs', async () => {
      const doc = await http().get('/docs-json').expect(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/papers',
          '/v1/papers/{id}',
          '/v1/topics',
          '/v1/claims',
          '/v1/stats/pipeline',
          '/v1/subscriptions',
          '/v1/sources/{id}/poll',
          '/v1/admin/failed/{queue}/{jobId}/retry',
        ]),
      );
      expect(doc.body.components.schemas.PaperSummaryDto.properties.headlineClaim).toBeDefined();
      const ui = await http().get('/docs').expect(200);
      expect(ui.text).toContain('swagger');
    });

    it('renders /ops with test ids, a nonce CSP and no external assets', async () => {
      const res = await http().get('/ops').expect(200);
      const csp = res.headers['content-security-policy'];
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(res.text).toContain(`<script nonce="${nonce}">`);
      expect(res.text).toMatch(/data-testid="stage-classified-papers">1</);
      expect(res.text).toMatch(/data-testid="source-hf-daily-lag">2 min</);
      expect(res.text).toContain('data-testid="source-arxiv-rss-cs-error">HTTP 503<');
      expect(res.text).not.toMatch(/(src|href)="https?:/);
      expect(res.text).toContain('sessionStorage');
      // the inline script (which embeds the server renderer's compiled source) must at least parse
      const open = `<script nonce="${nonce}">`;
      const from = res.text.indexOf(open) + open.length;
      const script = res.text.slice(from, res.text.indexOf('</script>', from));
      expect(script.length).toBeGreaterThan(500);
      expect(() => new Function(script)).not.toThrow();
      expect(res.text).toContain('<label id="key-label" for="admin-key">');
    });

    it('sets security headers and hides X-Powered-By', async () => {
      const res = await http().get('/v1/topics').expect(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    });
  });
});

describe('rate limiting', () => {
  let db: TestDb;
  let app: INestApplication;
  let prefix: string;
  beforeAll(async () => {
    db = await createTestDb('t_api_rl');
    prefix = `{${uniqueName('t-api-rl')}}`;
    app = await buildApp(db, prefix, { RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await app?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`pw-throttle:${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db?.drop();
  });

  it('answers 429 with Retry-After past the limit, counted per key when one is given', async () => {
    const http = () => request(app.getHttpServer());
    for (let i = 0; i < 3; i++) await http().get('/v1/topics').expect(200);
    const res = await http().get('/v1/topics').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    await http().get('/healthz').expect(200);
    const key = (await createApiKey(db.ds, { name: 'k', scopes: ['read'] })).key;
    await http().get('/v1/topics').set('X-API-Key', key).expect(200);
  });
});
