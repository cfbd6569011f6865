import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { refreshReadModel, servedTrendScore } from '@paperwire/db';
import { paperKey, parseDocument } from '@paperwire/feeds';
import { REPO_ROOT, seedPaper, seedSource, seedTopic, TEST_REDIS_URL } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

const HOUR = 3600 * 1000;

describe('daily papers and trending', () => {
  const ids: Record<string, string> = {};
  const titles = (body: { items: { title: string }[] }) => body.items.map((i) => i.title);

  const api = useTestApi(
    't_daily',
    async ({ ds }) => {
      for (const t of ['llm', 'vision']) await seedTopic(ds, t, t.toUpperCase());
      const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
      const rss = await seedSource(ds, 'arxiv-rss', 'arxiv-rss');
      // Day 2026-03-10 on HF: upvotes 5, 40, 40 (tie broken by the later featured time), 0.
      const day = (d: string, h: number) => `${d}T${String(h).padStart(2, '0')}:00:00Z`;
      const hfPaper = async (
        name: string,
        upvotes: number,
        featuredAt: string,
        extra: Partial<Parameters<typeof seedPaper>[1]> = {},
      ) =>
        (ids[name] = await seedPaper(ds, {
          title: `Paper ${name}`,
          abstract: `Abstract of ${name} with retrieval and decoding words.`,
          publishedAt: '2026-03-01T00:00:00Z',
          sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes, featuredAt }],
          stageAgo: { parsed: 100, classified: 90, extracted: 80 },
          ...extra,
        }));
      await hfPaper('low', 5, day('2026-03-10', 9), { topics: [{ slug: 'vision', score: 0.8 }] });
      await hfPaper('tieEarly', 40, day('2026-03-10', 8), { topics: [{ slug: 'llm', score: 0.9 }] });
      await hfPaper('tieLate', 40, day('2026-03-10', 11), {
        topics: [{ slug: 'llm', score: 0.7 }],
        claims: [
          {
            value: 63.5,
            unit: '%',
            kind: 'relative_improvement',
            metric: 'F1',
            dataset: 'StreamingQA',
            text: '63.5%',
            isHeadline: true,
          },
        ],
        hasCode: true,
      });
      await hfPaper('zero', 0, day('2026-03-10', 12));
      // 2026-03-08 (RSS announcement) and 2026-03-13: neighbours with a gap.
      ids.rss = await seedPaper(ds, {
        title: 'Paper rss',
        abstract: 'An announced paper.',
        sightings: [
          { sourceId: rss, sourceKind: 'arxiv-rss', announceType: 'new', featuredAt: day('2026-03-08', 4) },
        ],
      });
      await hfPaper('later', 1, day('2026-03-13', 10));
    },
  );
  const http = api.http;

  it('ranks a day by upvotes, then recency, with topics, headline claim and code links', async () => {
    const res = await http().get('/v1/daily?date=2026-03-10').expect(200);
    expect(titles(res.body)).toEqual(['Paper tieLate', 'Paper tieEarly', 'Paper low', 'Paper zero']);
    expect(res.body).toMatchObject({
      date: '2026-03-10',
      previousDate: '2026-03-08',
      nextDate: '2026-03-13',
      total: 4,
    });
    const top = res.body.items[0];
    expect(top).toMatchObject({
      rank: 1,
      upvotes: 40,
      hasCode: true,
      topics: [{ slug: 'llm', name: 'LLM' }],
    });
    expect(top.headlineClaim.summary).toContain('63.5% F1');
    expect(top.headlineClaim.summary).toContain('StreamingQA');
    expect(top.links.code).toEqual(['https://github.com/x/y']);
  });

  it('pages a day by keyset (`after` from `nextAfter`) as by offset, with ranks, the Link header and 400s for bad cursors', async () => {
    const byOffset: string[] = [];
    const byAfter: { title: string; rank: number }[] = [];
    for (let offset = 0; offset < 4; offset++)
      byOffset.push(...titles((await http().get(`/v1/daily?date=2026-03-10&limit=1&offset=${offset}`).expect(200)).body));
    let res = await http().get('/v1/daily?date=2026-03-10&limit=1&offset=0').expect(200);
    expect(res.headers.link).toBe(`</v1/daily?date=2026-03-10&limit=1&after=${res.body.nextAfter}>; rel="next"`);
    for (let i = 0; i < 10; i++) {
      byAfter.push(...(res.body.items as { title: string; rank: number }[]).map(({ title, rank }) => ({ title, rank })));
      if (!res.body.nextAfter) break;
      // (the cursor holds its day: no date needed)
      const next = `/v1/daily?limit=1&after=${res.body.nextAfter}`;
      res = await http().get(next).expect(200);
      if (res.body.nextAfter) expect(res.headers.link).toBe(`</v1/daily?limit=1&after=${res.body.nextAfter}>; rel="next"`);
      expect(res.body).toMatchObject({ date: '2026-03-10', total: 4, offset: byAfter.length });
    }
    expect(byOffset).toEqual(['Paper tieLate', 'Paper tieEarly', 'Paper low', 'Paper zero']);
    expect(byAfter).toEqual(byOffset.map((title, i) => ({ title, rank: i + 1 })));
    expect(res.body.nextAfter).toBeNull();
    expect(res.headers.link).toBeUndefined();
    // by topic too
    const llm = await http().get('/v1/daily?date=2026-03-10&limit=1&topic=llm').expect(200);
    const llm2 = await http().get(`/v1/daily?limit=1&topic=llm&after=${llm.body.nextAfter}`).expect(200);
    expect([...titles(llm.body), ...titles(llm2.body)]).toEqual(['Paper tieLate', 'Paper tieEarly']);
    expect(llm2.body.nextAfter).toBeNull();

    const first = (await http().get('/v1/daily?date=2026-03-10&limit=2').expect(200)).body.nextAfter as string;
    const cells = JSON.parse(Buffer.from(first, 'base64url').toString('utf8')) as { s: string; k: (string | number)[] };
    const forged = (k: (string | number)[], s = cells.s) => Buffer.from(JSON.stringify({ s, k }), 'utf8').toString('base64url');
    const bad = [
      'garbage',
      forged(cells.k.slice(1)),
      forged(cells.k, 'day:rank:2026-03-10'),
      forged(['2026-02-30', ...cells.k.slice(1)]),
      forged([cells.k[0], -1, ...cells.k.slice(2)]),
      forged([cells.k[0], cells.k[1], 'many', ...cells.k.slice(3)]),
      forged([...cells.k.slice(0, 4), '2026-03-10 25:00:00', cells.k[5]]),
      forged([...cells.k.slice(0, 5), 'not-a-uuid']),
      forged([cells.k[0], 2 ** 40, ...cells.k.slice(2)]),
    ];
    for (const after of bad) {
      const r = await http().get(`/v1/daily?limit=2&after=${encodeURIComponent(after)}`);
      expect({ after, status: r.status }).toEqual({ after, status: 400 });
      expect(r.body.errors?.[0]?.field).toBe('after');
    }
    await http().get(`/v1/daily?limit=2&offset=2&after=${first}`).expect(400);
    const other = await http().get(`/v1/daily?date=2026-03-13&limit=2&after=${first}`).expect(400);
    expect(other.body.detail).toMatch(/another day/);
    await http().get(`/v1/daily?date=2026-03-10&limit=2&after=${first}`).expect(200);
  });

  it('lists a day by publication or by trend, paged by keyset (`after` of that order), a cursor of another order a 400', async () => {
    const want = { published: ['Paper zero', 'Paper tieLate', 'Paper low', 'Paper tieEarly'], trending: ['Paper tieLate', 'Paper tieEarly', 'Paper low', 'Paper zero'] };
    for (const sort of ['published', 'trending'] as const) {
      expect(titles((await http().get(`/v1/daily?date=2026-03-10&sort=${sort}`).expect(200)).body)).toEqual(want[sort]);
      const walked: { title: string; rank: number }[] = [];
      let res = await http().get(`/v1/daily?date=2026-03-10&sort=${sort}&limit=1`).expect(200);
      for (let i = 0; i < 10; i++) {
        walked.push(...(res.body.items as { title: string; rank: number }[]).map(({ title, rank }) => ({ title, rank })));
        if (!res.body.nextAfter) break;
        expect(res.headers.link).toMatch(new RegExp(`^</v1/daily\\?(date=2026-03-10&)?sort=${sort}&limit=1&after=${res.body.nextAfter}>; rel="next"$`));
        res = await http().get(`/v1/daily?sort=${sort}&limit=1&after=${res.body.nextAfter}`).expect(200);
        expect(res.body).toMatchObject({ date: '2026-03-10', total: 4, offset: walked.length });
      }
      expect(walked).toEqual(want[sort].map((title, i) => ({ title, rank: i + 1 })));
    }
    // a cursor is read in the order it was made for only: given another sort, a 400; without one, its own order
    const published = (await http().get('/v1/daily?date=2026-03-10&sort=published&limit=1').expect(200)).body.nextAfter as string;
    const rank = (await http().get('/v1/daily?date=2026-03-10&limit=1').expect(200)).body.nextAfter as string;
    for (const [after, sort, made] of [[published, 'trending', 'published'], [published, 'rank', 'published'], [rank, 'published', 'rank']]) {
      const r = await http().get(`/v1/daily?limit=1&after=${after}&sort=${sort}`).expect(400);
      expect(r.body.errors).toEqual([{ field: 'after', detail: `the cursor was made for sort=${made}` }]);
    }
    const own = await http().get(`/v1/daily?limit=1&after=${published}`).expect(200);
    expect(own.body.items.map((i: { title: string }) => i.title)).toEqual([want.published[1]]);
    const bad = await http().get('/v1/daily?sort=upvotes').expect(400);
    expect(bad.body.errors[0].field).toBe('sort');
  });

  it('defaults to the latest day, walks neighbours, filters by topic and validates the date', async () => {
    const latest = await http().get('/v1/daily').expect(200);
    expect(latest.body).toMatchObject({ date: '2026-03-13', previousDate: '2026-03-10', nextDate: null });
    const first = await http().get('/v1/daily?date=2026-03-08').expect(200);
    expect(first.body).toMatchObject({ previousDate: null, nextDate: '2026-03-10' });
    expect(titles(first.body)).toEqual(['Paper rss']);
    const empty = await http().get('/v1/daily?date=2026-03-09').expect(200);
    expect(empty.body).toMatchObject({
      total: 0,
      previousDate: '2026-03-08',
      nextDate: '2026-03-10',
      items: [],
    });
    const llm = await http().get('/v1/daily?date=2026-03-10&topic=llm').expect(200);
    expect(titles(llm.body)).toEqual(['Paper tieLate', 'Paper tieEarly']);
    const paged = await http().get('/v1/daily?date=2026-03-10&limit=3&offset=2').expect(200);
    expect(titles(paged.body)).toEqual(['Paper low', 'Paper zero']);
    const bad = await http().get('/v1/daily?date=2026-02-30').expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('re-ranks trending on an upvote change without re-classifying', async () => {
    const read = (): Promise<{ id: string; classified_at: Date; trend_key: number }[]> =>
      api.db.ds.query(
        `SELECT p.id, s.classified_at, r.trend_key FROM papers p JOIN paper_stages s ON s.paper_id = p.id
           JOIN paper_read r ON r.paper_id = p.id WHERE p.id = ANY($1::uuid[])`,
        [[ids.low, ids.tieLate]],
      );
    const before = await read();
    const key = (id: string, rows: typeof before) => rows.find((r) => r.id === id)!.trend_key;
    expect(key(ids.tieLate, before)).toBeGreaterThan(key(ids.low, before));
    // Hand-checked formula: ln(40 upvotes) + ln2/48 · hours since the epoch of its first appearance (03-10 11:00)
    expect(key(ids.tieLate, before)).toBeCloseTo(Math.log(40) + (Math.LN2 / 48) * (Date.parse('2026-03-10T11:00:00Z') / HOUR), 9);

    // An upvote change reaches the read model with the sightings (as the parser writes them), nothing else.
    await api.db.ds.query(`UPDATE paper_sources SET upvotes = 500 WHERE paper_id = $1`, [ids.low]);
    expect(await refreshReadModel(api.db.ds, [ids.low])).toBe(1);
    const after = await read();
    expect(key(ids.low, after)).toBeGreaterThan(key(ids.tieLate, after));
    for (const r of after)
      expect(new Date(r.classified_at).getTime()).toBe(new Date(before.find((b) => b.id === r.id)!.classified_at).getTime());

    // The papers list sorts by the same key, and shows its decayed score (servedTrendScore: rounded, so these
    // papers of March show 0 by December): 500 upvotes first seen 2 h before 40 upvotes score 12.5 · 2^(−2/48)
    // times as much, at any moment (the keys differ by its log).
    expect(key(ids.low, after) - key(ids.tieLate, after)).toBeCloseTo(Math.log(12.5 * Math.pow(2, -2 / 48)), 9);
    const asked = new Date();
    const list = await http().get('/v1/papers?sort=trending&limit=100').expect(200);
    const items: { id: string; trendingScore: number }[] = list.body.items;
    expect(items[0].id).toBe(ids.low);
    const served = (id: string) => [asked, new Date()].map((t) => servedTrendScore(key(id, after), t));
    expect(served(ids.low)).toContain(items[0].trendingScore);
    expect(served(ids.tieLate)).toContain(items.find((i) => i.id === ids.tieLate)!.trendingScore);
    // Refreshing with nothing changed rewrites nothing.
    expect(await refreshReadModel(api.db.ds, [ids.low, ids.tieLate])).toBe(0);
  });

  it('lists trending within a window, most recent signal decaying', async () => {
    const hf: { id: string }[] = await api.db.ds.query(`SELECT id FROM sources WHERE name = 'hf-daily'`);
    /** An HF paper with one topic, featured `hoursAgo` hours ago with `upvotes`. */
    const featured = (name: string, topic: string, upvotes: number, hoursAgo: number) =>
      seedPaper(api.db.ds, {
        title: `Paper ${name}`,
        abstract: `${name[0].toUpperCase()}${name.slice(1)}.`,
        topics: [{ slug: topic, score: 0.9 }],
        sightings: [
          {
            sourceId: hf[0].id,
            sourceKind: 'hf-daily-papers',
            upvotes,
            featuredAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
          },
        ],
      });
    const fresh = await featured('fresh', 'vision', 3, 2);
    const stale = await featured('stale', 'llm', 30, 5 * 24);
    // Trending (issue #16): signal · 2^(−age/48 h). 30 upvotes 5 days ago (30·2^−2.5 ≈ 5.3) still
    // outrank 3 upvotes 2 hours ago (3·2^−(2/48) ≈ 2.9); the 24 h window keeps only the fresh one.
    const week = await http().get('/v1/trending?window=7d').expect(200);
    expect(week.body.items.map((i: { id: string }) => i.id)).toEqual([stale, fresh]);
    const [s0, s1] = week.body.items.map((i: { trendingScore: number }) => i.trendingScore);
    expect(s0).toBeCloseTo(30 * Math.pow(2, -120 / 48), 1);
    expect(s1).toBeCloseTo(3 * Math.pow(2, -2 / 48), 1);
    const day = await http().get('/v1/trending?window=24h').expect(200);
    expect(day.body.items.map((i: { id: string }) => i.id)).toEqual([fresh]);
    const topic = await http().get('/v1/trending?window=7d&topic=llm').expect(200);
    expect(topic.body.items.map((i: { id: string }) => i.id)).toEqual([stale]);
    await http().get('/v1/trending?window=1y').expect(400);
  });

  it("keeps a text capture's own order on its first-seen day", async () => {
    const body = readFileSync(join(REPO_ROOT, 'data/sample/daily-papers-sep-1.txt'));
    const parsed = parseDocument({ body, format: 'daily-papers-text' }).papers.slice(0, 60);
    const upload = await seedSource(api.db.ds, 'upload', 'upload');
    const [doc]: { id: string }[] = await api.db.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, body, byte_size, format, status) VALUES ($1, 'sample-hash', $2, $3, 'daily-papers-text', 'parsed') RETURNING id`,
      [upload, body, body.length],
    );
    // Insert in reverse, all in one statement like the parser, so neither ids nor timestamps carry the order.
    await api.db.ds.query(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(key text, title text, abstract text))
       INSERT INTO papers (paper_key, title, abstract, content_hash) SELECT key, title, abstract, md5(key) FROM x`,
      [
        JSON.stringify(
          [...parsed].reverse().map((p) => ({ key: paperKey(p), title: p.title, abstract: p.abstract })),
        ),
      ],
    );
    await api.db.ds.query(
      `INSERT INTO paper_sources (paper_id, source_id, source_kind, raw_document_id, first_seen_at)
       SELECT p.id, $1, 'upload', $2, '2026-04-02T10:00:00Z' FROM papers p WHERE p.paper_key = ANY($3::text[])`,
      [upload, doc.id, parsed.map((p) => paperKey(p))],
    );
    // The parser records a capture's order in the read model as it writes the sightings.
    const written: { id: string; paper_key: string }[] = await api.db.ds.query(`SELECT id, paper_key FROM papers WHERE paper_key = ANY($1::text[])`, [
      parsed.map((p) => paperKey(p)),
    ]);
    const idOf = new Map(written.map((r) => [r.paper_key, r.id]));
    await refreshReadModel(
      api.db.ds,
      written.map((r) => r.id),
      parsed.map((p, pos) => ({ paperId: idOf.get(paperKey(p))!, sourceId: upload, pos })),
    );
    const res = await http().get('/v1/daily?date=2026-04-02&limit=500').expect(200);
    expect(res.body.total).toBe(parsed.length);
    expect(titles(res.body)).toEqual(parsed.map((p) => p.title));
    expect(res.body.items[0].upvotes).toBeNull();
  });

  it('serves the page with a nonce CSP and subscribes through a CSRF-checked form', async () => {
    const page = await http().get('/?date=2026-03-10').expect(200);
    const csp = String(page.headers['content-security-policy']);
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(page.text).toContain(`<style nonce="${nonce}">`);
    expect(page.text).not.toMatch(/<script|rel="stylesheet"/);
    expect(page.text.indexOf('Paper tieLate')).toBeLessThan(page.text.indexOf('Paper tieEarly'));
    expect(page.text).toContain('63.5% F1');
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)![1];

    // No cookie (a cross-site post under SameSite=Strict), or a foreign Origin: refused.
    await http().post('/subscribe').type('form').send({ email: 'a@example.org', csrf: token }).expect(403);
    await http()
      .post('/subscribe')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ email: 'a@example.org', csrf: token })
      .expect(403);
    const bad = await http()
      .post('/subscribe')
      .set('Cookie', cookie)
      .type('form')
      .send({ email: 'not-an-address', csrf: token })
      .expect(400);
    expect(bad.text).toContain('enter a valid email address');

    // A topic PaperWire does not have is refused on the form (the API and the CLI refuse it too), nothing stored.
    const unknownTopic = await http()
      .post('/subscribe')
      .set('Cookie', cookie)
      .type('form')
      .send(`email=Reader%40Example.org&topics=llm&topics=nope&csrf=${encodeURIComponent(token)}`)
      .expect(400);
    expect(unknownTopic.headers['content-type']).toMatch(/^text\/html/);
    expect(unknownTopic.text).toMatch(/data-testid="subscribe-error">no such topic: nope\b/);
    expect(unknownTopic.text).toContain('value="Reader@Example.org"');
    expect(await api.db.ds.query(`SELECT id FROM subscriptions`)).toEqual([]);

    const ok = await http()
      .post('/subscribe')
      .set('Cookie', cookie)
      .type('form')
      .send(`email=Reader%40Example.org&topics=llm&csrf=${encodeURIComponent(token)}`)
      .expect(200);
    expect(ok.text).toContain('Check your inbox');
    const [sub] = await api.db.ds.query(
      `SELECT id, name, target, channel, mode, status, schedule, filters, owner_key_id FROM subscriptions`,
    );
    expect(sub).toMatchObject({
      name: 'Trending papers: LLM',
      target: 'reader@example.org',
      channel: 'email',
      mode: 'daily',
      status: 'pending_confirmation',
      schedule: { hour: 8, timeZone: 'UTC', limit: 10, sort: 'trending' },
      filters: { topics: { slugs: ['llm'], match: 'any' } },
      owner_key_id: null,
    });
    const queue = new Queue('deliver', {
      connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: api.prefix,
    });
    try {
      const job = await queue.getJob(`confirm-${sub.id}`);
      expect(job?.name).toBe('send-confirmation');
      expect(job?.data).toEqual({ subscriptionId: sub.id });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await (await queue.client).quit();
    }
  });
});
