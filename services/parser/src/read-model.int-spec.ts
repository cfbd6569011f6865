import type { CanonicalPaper } from '@paperwire/contracts';
import { contentHash, paperKey } from '@paperwire/feeds';
import { MIGRATIONS } from '@paperwire/db';
import { createTestDb, type TestDb } from '@paperwire/testing';
import { PaperRepository, type IncomingPaper } from './paper.repository';

// The listings' read model (paper_read, paper_days) must always equal what the source rows say. This
// spec ingests through the real repository, as the parser does (one transaction per document), mutates
// (new sightings, upvote and comment changes, new versions, new papers) and after each step compares
// the read model with a from-scratch computation: SQL over papers / paper_sources and the trending
// formula written out here, independently of libs/db.

const HOUR = 3_600_000;
const LN2 = Math.log(2);

function paper(
  arxiv: string,
  opts: {
    version?: number;
    abstract?: string;
    publishedAt?: string;
    sighting?: CanonicalPaper['sighting'];
  } = {},
): IncomingPaper {
  const p: CanonicalPaper = {
    title: `Paper ${arxiv}`,
    abstract: opts.abstract ?? `We study sparse adapters for paper ${arxiv}.`,
    authors: [{ name: 'A. Author' }],
    externalIds: { arxiv },
    version: opts.version ?? 1,
    categories: ['cs.LG'],
    links: { code: [], project: [] },
    publishedAt: opts.publishedAt,
    sighting: opts.sighting ?? {},
  };
  return { key: paperKey(p), hash: contentHash(p.title, p.abstract), paper: p };
}

interface Expected {
  paper_id: string;
  t0: number;
  upvotes: number | null;
  comments: number | null;
  stars: number | null;
  sources: number;
  signal: number;
  trend_key: number | null;
}

describe('listings read model (Postgres)', () => {
  let db: TestDb;
  let repo: PaperRepository;
  const src: Record<'oai' | 'rss' | 'hf' | 'hf2' | 'upload' | 'capture', string> = {
    oai: '',
    rss: '',
    hf: '',
    hf2: '',
    upload: '',
    capture: '',
  };
  const kinds = {
    oai: 'arxiv-oai',
    rss: 'arxiv-rss',
    hf: 'hf-daily-papers',
    hf2: 'hf-daily-papers',
    upload: 'upload',
    capture: 'daily-papers-text',
  } as const;

  beforeAll(async () => {
    db = await createTestDb('read_model');
    repo = new PaperRepository(db.ds);
    for (const k of Object.keys(src) as (keyof typeof src)[])
      src[k] = (
        await db.ds.query(`INSERT INTO sources (name, kind) VALUES ($1, $2) RETURNING id`, [
          `s-${k}`,
          kinds[k],
        ])
      )[0].id;
  });
  afterAll(() => db?.drop());

  /** One document through the repository, as ParserService does it. */
  async function ingest(source: keyof typeof src, items: IncomingPaper[], format: string | null = null) {
    const [doc]: { id: string }[] = await db.ds.query(
      `INSERT INTO raw_documents (source_id, content_hash, body, byte_size, format) VALUES ($1, md5(random()::text), '\\x00', 1, $2) RETURNING id`,
      [src[source], format],
    );
    await repo.transaction(async (em) => {
      await repo.upsertPapers(em, items);
      const ids = new Map(
        (
          await repo.papersByKey(
            em,
            items.map((i) => i.key),
          )
        ).map((r) => [r.paper_key, r.id]),
      );
      const withIds = items.map((i) => ({ ...i, paperId: ids.get(i.key)! }));
      await repo.recordVersions(em, doc.id, withIds);
      await repo.recordSightings(em, doc.id, src[source], kinds[source], withIds);
    });
  }

  /** The read model recomputed from scratch: SQL aggregates, then the formula as the docs state it. */
  async function expected(): Promise<Expected[]> {
    const rows: {
      paper_id: string;
      t0: Date;
      upvotes: number | null;
      comments: number | null;
      stars: number | null;
      sources: number;
    }[] = await db.ds.query(
      `SELECT ps.paper_id,
              min(CASE WHEN ps.featured_at IS NOT NULL THEN ps.featured_at
                       WHEN ps.source_kind IN ('arxiv-api', 'arxiv-oai', 'file', 'upload') THEN coalesce(p.published_at, ps.first_seen_at)
                       ELSE ps.first_seen_at END) AS t0,
              max(ps.upvotes) AS upvotes, max(ps.comments) AS comments, max(ps.github_stars) AS stars,
              -- the public origins, Hugging Face and arXiv, of the formats the sightings were read in
              count(DISTINCT CASE WHEN f.feed IN ('hf-daily-papers', 'hf-papers-html', 'daily-papers-text') THEN 'hf'
                                  WHEN f.feed IN ('arxiv-api', 'arxiv-rss', 'arxiv-oai') THEN 'arxiv' END)::int AS sources
         FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id JOIN sources s ON s.id = ps.source_id
         LEFT JOIN raw_documents r ON r.id = ps.raw_document_id
        CROSS JOIN LATERAL (SELECT coalesce(r.format, s.params->>'format', s.kind) AS feed) f
        GROUP BY ps.paper_id ORDER BY ps.paper_id`,
    );
    return rows.map((r) => {
      const signal = (r.upvotes ?? 0) + 2 * (r.comments ?? 0) + 3 * Math.max(r.sources - 1, 0) + (r.stars ?? 0);
      const t0 = new Date(r.t0).getTime();
      return { ...r, t0, signal, trend_key: signal > 0 ? Math.log(signal) + ((LN2 / 48) * t0) / HOUR : null };
    });
  }

  async function expectReadModelMatches(): Promise<void> {
    const want = await expected();
    const got: (Omit<Expected, 't0'> & { t0: Date; day0: string; week0: string; month0: string })[] =
      await db.ds.query(
        `SELECT paper_id, t0, day0::text, week0::text, month0::text, upvotes, comments, stars, sources, signal, trend_key FROM paper_read ORDER BY paper_id`,
      );
    expect(got.map((r) => r.paper_id)).toEqual(want.map((r) => r.paper_id));
    got.forEach((g, i) => {
      const w = want[i];
      expect({
        t0: new Date(g.t0).getTime(),
        upvotes: g.upvotes,
        comments: g.comments,
        stars: g.stars,
        sources: g.sources,
      }).toEqual({
        t0: w.t0,
        upvotes: w.upvotes,
        comments: w.comments,
        stars: w.stars,
        sources: w.sources,
      });
      expect(g.signal).toBeCloseTo(w.signal, 9);
      if (w.trend_key === null) expect(g.trend_key).toBeNull();
      else expect(g.trend_key).toBeCloseTo(w.trend_key, 6);
      const day = new Date(w.t0).toISOString().slice(0, 10);
      expect(g.day0).toBe(day);
      expect(g.month0).toBe(`${day.slice(0, 7)}-01`);
      const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
      expect(g.week0).toBe(
        new Date(Date.parse(`${day}T00:00:00Z`) - dow * 24 * HOUR).toISOString().slice(0, 10),
      );
    });
    // paper_days: one row per paper and UTC day of a sighting, with that day's max upvotes.
    const days: { paper_id: string; day: string; upvotes: number | null }[] = await db.ds.query(
      `SELECT paper_id, day::text, upvotes FROM paper_days ORDER BY paper_id, day`,
    );
    const wantDays: typeof days = await db.ds.query(
      `SELECT ps.paper_id, ((CASE WHEN ps.featured_at IS NOT NULL THEN ps.featured_at
                       WHEN ps.source_kind IN ('arxiv-api', 'arxiv-oai', 'file', 'upload') THEN coalesce(p.published_at, ps.first_seen_at)
                       ELSE ps.first_seen_at END) AT TIME ZONE 'UTC')::date::text AS day, max(ps.upvotes) AS upvotes
         FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(days).toEqual(wantDays);
    // and each of them carries its paper's trend key (-Infinity without a signal): the day's trend order's index
    const stale: { paper_id: string }[] = await db.ds.query(
      `SELECT d.paper_id FROM paper_days d JOIN paper_read r ON r.paper_id = d.paper_id
        WHERE d.trend_key IS DISTINCT FROM coalesce(r.trend_key, '-Infinity'::float8)`,
    );
    expect(stale).toEqual([]);
  }

  it('equals the source rows after new papers, sightings, upvote changes and new versions', async () => {
    // Monday: arXiv OAI publishes five papers (no community signal: not trending).
    const ids = ['2603.00001', '2603.00002', '2603.00003', '2603.00004', '2603.00005'];
    await ingest(
      'oai',
      ids.map((a, k) => paper(a, { publishedAt: `2026-03-02T0${k}:00:00Z` })),
    );
    await expectReadModelMatches();
    expect(
      (await db.ds.query(`SELECT count(*)::int AS n FROM paper_read WHERE trend_key IS NOT NULL`))[0].n,
    ).toBe(0);

    // Tuesday: RSS announces three of them (a second day; a second source row but the same public origin, arXiv,
    // so still no signal: review 26 found such papers trending with "– upvotes"), and an arXiv API export uploaded
    // (read as arxiv-api) sees a fourth: arXiv again.
    await ingest(
      'rss',
      ids
        .slice(0, 3)
        .map((a) => paper(a, { sighting: { featuredAt: '2026-03-03T00:00:00Z', announceType: 'new' } })),
    );
    await ingest('upload', [paper(ids[4], { publishedAt: '2026-03-02T04:00:00Z' })], 'arxiv-api');
    await expectReadModelMatches();
    expect(
      (await db.ds.query(`SELECT count(*)::int AS n, max(sources)::int AS sources FROM paper_read WHERE trend_key IS NOT NULL OR sources > 1`))[0],
    ).toEqual({ n: 0, sources: null });

    // Wednesday: HF features two, with upvotes, comments and stars; one new paper appears on HF only.
    await ingest('hf', [
      paper(ids[0], {
        sighting: {
          featuredAt: '2026-03-04T09:00:00Z',
          upvotes: 10,
          comments: 2,
          githubStars: 7,
          submittedBy: 'alice',
        },
      }),
      paper(ids[3], { sighting: { featuredAt: '2026-03-04T10:00:00Z', upvotes: 3 } }),
      paper('2603.00099', { sighting: { featuredAt: '2026-03-04T11:00:00Z', upvotes: 1 } }),
    ]);
    await expectReadModelMatches();
    // Hugging Face next to arXiv is a second origin: an extra source's 3 on top of the upvotes
    const [signals]: { first: number; fourth: number; hfOnly: number }[] = await db.ds.query(
      `SELECT max(r.signal) FILTER (WHERE p.arxiv_id = $1) AS first, max(r.signal) FILTER (WHERE p.arxiv_id = $2) AS fourth,
              max(r.signal) FILTER (WHERE p.arxiv_id = '2603.00099') AS "hfOnly"
         FROM paper_read r JOIN papers p ON p.id = r.paper_id`,
      [ids[0], ids[3]],
    );
    expect(signals).toEqual({ first: 10 + 2 * 2 + 7 + 3, fourth: 3 + 3, hfOnly: 1 });

    // Upvotes and comments change on the next poll; a second HF mirror sees one of them too.
    await ingest('hf', [
      paper(ids[0], { sighting: { upvotes: 55, comments: 9 } }),
      paper(ids[3], { sighting: { upvotes: 4 } }),
      paper('2603.00099', { sighting: { upvotes: 1 } }),
    ]);
    await ingest('hf2', [paper(ids[3], { sighting: { featuredAt: '2026-03-05T08:00:00Z', upvotes: 40 } })]);
    await expectReadModelMatches();

    // A new version (v2, new abstract) and a paper whose publication date arrives late.
    await ingest('oai', [
      paper(ids[1], {
        version: 2,
        abstract: 'A rewritten abstract for version two.',
        publishedAt: '2026-03-02T01:00:00Z',
      }),
      paper('2603.00100', {}),
    ]);
    await ingest('oai', [paper('2603.00100', { publishedAt: '2026-03-01T12:00:00Z' })]);
    await expectReadModelMatches();
    // An arXiv export replayed as an upload lists its papers on their publication dates, not the day it was read; a
    // record without a date, and a text capture's sighting, on the day they were read.
    await ingest('upload', [
      paper('2602.00201', { publishedAt: '2026-02-10T17:00:00Z' }),
      paper('2602.00202', { publishedAt: '2026-02-11T17:00:00Z' }),
      paper('2602.00203', {}),
    ]);
    await ingest('capture', [paper('2602.00201', {}), paper('2602.00204', {})]);
    await expectReadModelMatches();
    const [{ today }]: { today: string }[] = await db.ds.query(
      `SELECT (now() AT TIME ZONE 'UTC')::date::text AS today`,
    );
    const listed: { arxiv_id: string; days: string[] }[] = await db.ds.query(
      `SELECT p.arxiv_id, array_agg(d.day::text ORDER BY d.day) AS days FROM paper_days d JOIN papers p ON p.id = d.paper_id
        WHERE p.arxiv_id LIKE '2602.002%' GROUP BY 1 ORDER BY 1`,
    );
    expect(listed).toEqual([
      { arxiv_id: '2602.00201', days: ['2026-02-10', today] },
      { arxiv_id: '2602.00202', days: ['2026-02-11'] },
      { arxiv_id: '2602.00203', days: [today] },
      { arxiv_id: '2602.00204', days: [today] },
    ]);
    // Rows written by the old rule (the day the file was read) are re-derived by migration 1796050000000.
    await db.ds.query(
      `UPDATE paper_days d SET day = (now() AT TIME ZONE 'UTC')::date FROM papers p
        WHERE p.id = d.paper_id AND p.arxiv_id = '2602.00202'`,
    );
    await db.ds.query(
      `UPDATE paper_read r SET t0 = now() FROM papers p WHERE p.id = r.paper_id AND p.arxiv_id = '2602.00202'`,
    );
    const runner = db.ds.createQueryRunner();
    try {
      const Migration = MIGRATIONS.find((m) => m.name === 'ReplayedFileDays1796050000000')!;
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }
    await expectReadModelMatches();
    // Rows written when every source row counted (review 26) are re-derived by migration 1796340000000.
    await db.ds.query(
      `UPDATE paper_read r SET sources = n.n, signal = r.signal + 3 * (n.n - r.sources), trend_key = ln(r.signal + 3 * (n.n - r.sources))
         FROM (SELECT paper_id, count(DISTINCT source_id)::int AS n FROM paper_sources GROUP BY 1) n
        WHERE n.paper_id = r.paper_id AND n.n > r.sources AND n.n > 1`,
    );
    await db.ds.query(`UPDATE paper_days d SET trend_key = r.trend_key FROM paper_read r WHERE r.paper_id = d.paper_id AND r.trend_key IS NOT NULL`);
    expect((await db.ds.query(`SELECT count(*)::int AS n FROM paper_read WHERE sources > 2`))[0].n).toBeGreaterThan(0);
    const runner2 = db.ds.createQueryRunner();
    try {
      const Migration = MIGRATIONS.find((m) => m.name === 'TrendPublicOrigins1796340000000')!;
      await new Migration().up(runner2);
    } finally {
      await runner2.release();
    }
    await expectReadModelMatches();
    const top: { paper_id: string }[] = await db.ds.query(
      `SELECT paper_id FROM paper_read WHERE trend_key IS NOT NULL ORDER BY trend_key DESC LIMIT 1`,
    );
    const want = (await expected())
      .filter((e) => e.trend_key !== null)
      .sort((a, b) => b.trend_key! - a.trend_key!)[0];
    expect(top[0].paper_id).toBe(want.paper_id);
  });

  it('orders by the decayed score at any moment, and windows by first appearance (no decay job)', async () => {
    const rows: { paper_id: string; t0: Date; signal: number; trend_key: number | null }[] =
      await db.ds.query(`SELECT paper_id, t0, signal, trend_key FROM paper_read WHERE trend_key IS NOT NULL`);
    expect(rows.length).toBeGreaterThan(2);
    for (const now of [
      Date.parse('2026-03-05T12:00:00Z'),
      Date.parse('2026-03-09T00:00:00Z'),
      Date.parse('2026-04-30T00:00:00Z'),
    ]) {
      // score(now) = signal · 2^(−age/48 h), from scratch; the stored key gives the same number and order.
      const score = (r: (typeof rows)[number]) =>
        r.signal * Math.pow(2, -(now - new Date(r.t0).getTime()) / (48 * HOUR));
      for (const r of rows)
        expect(Math.exp(r.trend_key! - ((LN2 / 48) * now) / HOUR) / score(r)).toBeCloseTo(1, 9);
      const byScore = [...rows].sort((a, b) => score(b) - score(a)).map((r) => r.paper_id);
      const window: { paper_id: string }[] = await db.ds.query(
        `SELECT paper_id FROM paper_read WHERE trend_key IS NOT NULL AND t0 >= $1::timestamptz - interval '30 days' ORDER BY trend_key DESC`,
        [new Date(now).toISOString()],
      );
      const inWindow = byScore.filter(
        (id) => new Date(rows.find((r) => r.paper_id === id)!.t0).getTime() >= now - 30 * 24 * HOUR,
      );
      expect(window.map((r) => r.paper_id)).toEqual(inWindow);
    }
    // 24 h after the HF day only the papers that first appeared then are in the 24 h window.
    const day: { paper_id: string }[] = await db.ds.query(
      `SELECT paper_id FROM paper_read WHERE trend_key IS NOT NULL AND t0 >= '2026-03-05T10:30:00Z'::timestamptz - interval '24 hours'`,
    );
    const wantDay = rows
      .filter((r) => new Date(r.t0).getTime() >= Date.parse('2026-03-04T10:30:00Z'))
      .map((r) => r.paper_id);
    expect(day.map((r) => r.paper_id).sort()).toEqual(wantDay.sort());
  });
});
