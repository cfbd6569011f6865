import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { refreshReadModel } from '@paperwire/db';
import { createTestDb, seedPaper, seedSource, seedTopic, type TestDb, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../testing/app';
import { ListingsService, type PaperCardRow } from './listings.service';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

// The listings' data layer on the read model: every page walked with its cursor gives the period's
// papers once each, in the documented order, whatever the page size.
describe('ListingsService', () => {
  let db: TestDb;
  let app: INestApplication;
  let svc: ListingsService;
  const now = new Date('2026-03-20T12:00:00Z');
  const papers: { id: string; featured: string; upvotes: number; submitter: string | null; topic: string }[] = [];

  beforeAll(async () => {
    db = await createTestDb('t_listings');
    await seedTopic(db.ds, 'llm', 'LLM');
    await seedTopic(db.ds, 'vision', 'Vision');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    // 3 papers a day from 2026-03-02 (Monday, ISO week 10) to 2026-03-19, upvotes varying, one with none.
    for (let d = 0; d < 18; d++)
      for (let k = 0; k < 3; k++) {
        const featured = new Date(Date.parse('2026-03-02T08:00:00Z') + d * 24 * HOUR + k * HOUR).toISOString();
        const upvotes = (d * 7 + k * 13) % 17;
        const topic = k === 0 ? 'llm' : 'vision';
        const id = await seedPaper(db.ds, {
          title: `P${d}-${k}`,
          abstract: 'Abstract '.repeat(80),
          topics: [{ slug: topic, score: 0.9 }],
          sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes, featuredAt: featured }],
        });
        if (k === 2) await db.ds.query(`UPDATE paper_sources SET submitted_by = 'bob' WHERE paper_id = $1`, [id]);
        papers.push({ id, featured, upvotes, submitter: k === 2 ? 'bob' : null, topic });
      }
    // A submitter changes on the sightings: the read model follows when refreshed (as the parser does).
    await refreshReadModel(db.ds, papers.map((p) => p.id));
    app = await createTestApp(db, `{${uniqueName('t-listings')}}`);
    svc = app.get(ListingsService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const score = (p: (typeof papers)[number]) => (p.upvotes > 0 ? p.upvotes * Math.pow(2, -(now.getTime() - Date.parse(p.featured)) / (48 * HOUR)) : -Infinity);
  async function walk(fn: (cursor?: string) => Promise<{ items: PaperCardRow[]; nextCursor: string | null }>): Promise<PaperCardRow[]> {
    const all: PaperCardRow[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await fn(cursor);
      all.push(...page.items);
      if (!page.nextCursor) return all;
      cursor = page.nextCursor;
    }
    throw new Error('cursor never ended');
  }

  it('lists an ISO week by trending with a cursor: each paper once, by decayed score (no signal last)', async () => {
    const inWeek = papers.filter((p) => p.featured >= '2026-03-09' && p.featured < '2026-03-16');
    const got = await walk((cursor) => svc.list({ period: { kind: 'week', week: '2026-W11' }, sort: 'trending', limit: 4, cursor }, now));
    expect(got.map((c) => c.id).sort()).toEqual(inWeek.map((p) => p.id).sort());
    const scores = got.map((c) => score(papers.find((p) => p.id === c.id)!));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const first = got[0];
    // the served score: rounded to 3 decimals
    expect(Math.abs(first.trendingScore - scores[0])).toBeLessThanOrEqual(0.0005 + 1e-12);
    expect(first.trendingScore).toBe(Math.round(first.trendingScore * 1000) / 1000);
    expect(first).toMatchObject({ organization: null, thumbnailUrl: null, sources: [{ kind: 'hf-daily-papers', name: 'hf' }] });
    expect(first.abstractPreview.length).toBeLessThan(first.abstract.length);
  });

  it('links the next week or month only once it has begun', async () => {
    const next = async (period: { kind: 'week'; week: string } | { kind: 'month'; month: string }) =>
      (await svc.list({ period, limit: 1 }, now)).next;
    expect(await next({ kind: 'month', month: '2026-02' })).toBe('2026-03'); // holds now
    expect(await next({ kind: 'month', month: '2026-03' })).toBeNull();
    expect(await next({ kind: 'week', week: '2026-W11' })).toBe('2026-W12'); // 16-22 March holds now
    expect(await next({ kind: 'week', week: '2026-W12' })).toBeNull();
    expect(await next({ kind: 'week', week: '2027-W01' })).toBeNull();
  });

  it('lists a month newest first with HF-style p and limit, and bounds p', async () => {
    const inMonth = papers.filter((p) => p.featured.startsWith('2026-03')).sort((a, b) => (a.featured < b.featured ? 1 : -1));
    const p0 = await svc.list({ period: { kind: 'month', month: '2026-03' }, sort: 'published', limit: 10, p: 0 }, now);
    const p1 = await svc.list({ period: { kind: 'month', month: '2026-03' }, sort: 'published', limit: 10, p: 1 }, now);
    expect([...p0.items, ...p1.items].map((c) => c.id)).toEqual(inMonth.slice(0, 20).map((p) => p.id));
    // the month holds `now` (2026-03-20): no next month yet; no earlier month lists a paper: no previous either
    // (an adjacent empty month is not linked: the nearest with papers is)
    expect(p0).toMatchObject({ total: inMonth.length, previous: null, next: null, period: { from: '2026-03-01', to: '2026-03-31' } });
    expect(p1.items[0].rank).toBe(11);
    await expect(svc.list({ period: { kind: 'month', month: '2026-03' }, limit: 100, p: 101 })).rejects.toThrow(/p × limit/);
  });

  it('lists a day in the Daily Papers order, filters by topic and submitter, and walks trending windows', async () => {
    const day = await svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 2 }, now);
    const want = papers.filter((p) => p.featured.startsWith('2026-03-10')).sort((a, b) => b.upvotes - a.upvotes || (a.featured < b.featured ? 1 : -1));
    const all = await walk((cursor) => svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 2, cursor }, now));
    expect(all.map((c) => c.id)).toEqual(want.map((p) => p.id));
    expect(day).toMatchObject({ total: 3, previous: '2026-03-09', next: '2026-03-11' });
    // the next page in rank order by keyset (its cursor: where the page ends), ranks going on; a cursor made before
    // (an offset) still pages; the publication and trend orders page by keyset too (topic-day-counts.int-spec.ts)
    const second = await svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 2, cursor: day.nextCursor! }, now);
    expect(second.items.map((c) => [c.id, c.rank])).toEqual([[want[2].id, 3]]);
    const oldCursor = Buffer.from(JSON.stringify({ s: 'day:rank:2026-03-10', k: [1] })).toString('base64url');
    expect((await svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 5, cursor: oldCursor }, now)).items.map((c) => c.id)).toEqual(want.slice(1).map((p) => p.id));
    const published = await walk((cursor) => svc.list({ period: { kind: 'day', day: '2026-03-10' }, sort: 'published', limit: 2, cursor }, now));
    expect(published.map((c) => c.id).sort()).toEqual(want.map((p) => p.id).sort());
    const bob = await svc.list({ period: { kind: 'week', week: '2026-W11' }, submitter: 'bob', limit: 50 }, now);
    expect(bob.items.length).toBe(7);
    expect(bob.items.every((c) => c.submittedBy === 'bob')).toBe(true);
    const llm = await svc.list({ period: { kind: 'month', month: '2026-03' }, topic: ['llm'], limit: 50 }, now);
    expect(llm.items.length).toBe(18);
    const window = await walk((cursor) => svc.trending({ window: '7d', limit: 5, cursor }, now));
    const want7d = papers.filter((p) => p.upvotes > 0 && Date.parse(p.featured) >= now.getTime() - 7 * 24 * HOUR);
    expect(window.map((c) => c.id).sort()).toEqual(want7d.map((p) => p.id).sort());
    // By decayed score (equal scores, e.g. 4 upvotes now and 8 upvotes 48 h earlier, in either order).
    const s7 = window.map((c) => score(papers.find((p) => p.id === c.id)!));
    for (let i = 1; i < s7.length; i++) expect(s7[i]).toBeLessThanOrEqual(s7[i - 1] * (1 + 1e-9));
    await expect(svc.list({ period: { kind: 'week', week: '2026-W11' }, sort: 'trending', limit: 5, cursor: 'bm9wZQ' })).rejects.toThrow();
  });

  it('a cursor whose time is no calendar time (Feb 30, 24:00, year 0), or a day offset past an int, is a 400, not a 500 from Postgres', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const cursor = (s: string, k: (string | number)[]) => Buffer.from(JSON.stringify({ s, k })).toString('base64url');
    for (const at of ['2026-02-30T00:00:00Z', '2026-04-31T10:00:00Z', '2026-03-01T24:00:00Z', '0000-03-01T00:00:00Z']) {
      for (const [sort, k] of [
        ['trending', ['1.5', at, id]],
        ['published', [at, id]],
      ] as const) {
        const res = svc.list({ period: { kind: 'month', month: '2026-03' }, sort, limit: 5, cursor: cursor(`month:${sort}:2026-03`, [...k]) });
        await expect(res).rejects.toMatchObject({ status: 400 });
      }
    }
    // a day's cursor is an offset: past what SQL's int holds is a 400 too
    for (const offset of [2 ** 31, 2 ** 53, 1e19]) {
      const res = svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 5, cursor: cursor('day:rank:2026-03-10', [offset]) });
      await expect(res).rejects.toMatchObject({ status: 400 });
    }
    expect((await svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 5, cursor: cursor('day:rank:2026-03-10', [2 ** 31 - 1]) })).items).toEqual([]);
    // a day's cursor in rank order is where its page ends (day-cursor.ts): a bad cell is a 400 too
    const day = await svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 1 }, now);
    const k = (JSON.parse(Buffer.from(day.nextCursor!, 'base64url').toString('utf8')) as { k: (string | number)[] }).k;
    expect(k).toHaveLength(5);
    for (const bad of [[-1, ...k.slice(1)], [k[0], 1.5, ...k.slice(2)], [...k.slice(0, 3), '2026-03-10T10:00:00Z', k[4]], [...k.slice(0, 4), 'x'], k.slice(1)]) {
      const res = svc.list({ period: { kind: 'day', day: '2026-03-10' }, limit: 5, cursor: cursor('day:rank:2026-03-10', bad) });
      await expect(res).rejects.toMatchObject({ status: 400 });
    }
    // a valid one still pages: after the month's last instant, its papers from the newest
    const inMonth = papers.filter((p) => p.featured.startsWith('2026-03')).sort((a, b) => (a.featured < b.featured ? 1 : -1));
    const end = cursor('month:published:2026-03', ['2026-03-31T23:59:59.999999Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff']);
    const ok = await svc.list({ period: { kind: 'month', month: '2026-03' }, sort: 'published', limit: 5, cursor: end }, now);
    expect(ok.items.map((c) => c.id)).toEqual(inMonth.slice(0, 5).map((p) => p.id));
  });
});

// Week and month cursors hold t0 to the microsecond (a millisecond one could not say where among the papers of one
// millisecond its page ended: the next page repeated or skipped one), with the paper id as the tiebreak.
describe('ListingsService: papers inside one millisecond, walked page by page', () => {
  let db: TestDb;
  let app: INestApplication;
  let svc: ListingsService;
  const ids: string[] = [];

  beforeAll(async () => {
    db = await createTestDb('t_listings_us');
    const hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    // 12 papers whose first appearance falls inside 2026-02-17T08:00:00.123 (microseconds 100..1100 apart), two at
    // the same microsecond; no signal (their trend order is t0, then id), and two with the same signal
    for (let k = 0; k < 12; k++) {
      const us = String(Math.min(k, 10) * 80 + 100).padStart(3, '0');
      const id = await seedPaper(db.ds, {
        title: `Same millisecond ${k}`,
        abstract: 'An abstract.',
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: k >= 10 ? 3 : 0, featuredAt: `2026-02-17T08:00:00.123${us}Z` }],
      });
      ids.push(id);
    }
    app = await createTestApp(db, `{${uniqueName('t-listings-us')}}`);
    svc = app.get(ListingsService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lists each paper once in a week and a month, in both orders, whatever the page size', async () => {
    const now = new Date('2026-02-20T00:00:00Z');
    for (const period of [{ kind: 'week', week: '2026-W08' } as const, { kind: 'month', month: '2026-02' } as const])
      for (const sort of ['trending', 'published'] as const) {
        const whole = (await svc.list({ period, sort, limit: 100 }, now)).items.map((c) => c.id);
        expect(whole.slice().sort()).toEqual(ids.slice().sort());
        for (const limit of [1, 2, 3, 5]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 20; i++) {
            const page = await svc.list({ period, sort, limit, cursor }, now);
            seen.push(...page.items.map((c) => c.id));
            if (!page.nextCursor) break;
            cursor = page.nextCursor;
          }
          expect({ period, sort, limit, seen }).toEqual({ period, sort, limit, seen: whole });
        }
      }
  });

  it('answers a cursor made before (its time to the millisecond) with a 400 that says to start again', async () => {
    const cursor = (s: string, k: (string | number)[]) => Buffer.from(JSON.stringify({ s, k })).toString('base64url');
    const old = cursor('week:published:2026-W08', ['2026-02-17T08:00:00.123Z', ids[0]]);
    const res = svc.list({ period: { kind: 'week', week: '2026-W08' }, sort: 'published', limit: 5, cursor: old });
    await expect(res).rejects.toMatchObject({ status: 400 });
    await expect(res).rejects.toMatchObject({ response: { detail: expect.stringMatching(/older version .* first page/), errors: [{ field: 'cursor', detail: expect.stringContaining('microseconds') }] } });
  });
});
