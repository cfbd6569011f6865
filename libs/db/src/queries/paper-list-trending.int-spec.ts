import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { searchExpressionOf } from '../entities/paper.entity';
import { statementsOfCall } from '../test-db';
import { countPaperRows, listPaperRows, type PaperListRow, type PaperListSql } from './paper-reads';
import { listedDayPage, rebuildReadModel, trendingCardRows, trendingWindowPage } from './read-model';
import type { Db } from './sql';

// `/v1/papers?sort=trending` reads the read model's trend order (listPaperRows): its pages are read through
// idx_paper_read_trend, never by a scan of papers and a sort (the order by the per-paper score it had, a papers
// column since dropped, was a parallel seq scan of all 2M papers and a top-N sort: 593k buffers, 4.2 s). 20,000
// papers, analysed, a fifth of them with a community signal; every plan of a first page, a cursor page and every
// filter must not scan papers, and the unfiltered and topic pages must walk the trend index. Then the order and
// the paging: the papers with a signal as the trending tab orders them, then the others newest first, every
// paper once across cursor pages.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `trendlist_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const N = 20_000;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  const [src]: { id: string }[] = await ds.query(
    `INSERT INTO sources (name, kind) VALUES ('trend', 'hf-daily') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at, has_code)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i,
            CASE WHEN i % 500 = 0 THEN 'Quokka adapters, case ' ELSE 'We study sparse models, case ' END || i || '.',
            md5(i::text), CASE WHEN i % 50 = 0 THEN NULL ELSE now() - make_interval(hours => i % 2000) END,
            i % 4 = 0
       FROM generate_series(1, ${N}) i`,
  );
  // A fifth of the papers have upvotes (a signal, so a trend key); paper i % 7 = 3 has no sighting at all.
  await ds.query(
    `INSERT INTO paper_sources (paper_id, source_id, source_kind, upvotes, featured_at)
     SELECT id, $1, 'hf-daily', CASE WHEN n % 5 = 0 THEN 1 + n % 37 ELSE 0 END, published_at
       FROM (SELECT id, published_at, substr(paper_key, 12)::int AS n FROM papers) x WHERE n % 7 <> 3`,
    [src.id],
  );
  await rebuildReadModel(ds);
  await ds.query(
    `INSERT INTO paper_search (paper_id, search, content_hash) SELECT p.id, ${searchExpressionOf('p')}, p.content_hash FROM papers p`,
  );
  await ds.query(
    `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rare', 'Rare', 'rare') ON CONFLICT DO NOTHING`,
  );
  await ds.query(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, CASE WHEN substr(paper_key, 12)::int % 291 = 0 THEN 'rare' ELSE 'peft' END, 0.5, true, '[]', 'trend', content_hash
       FROM papers WHERE substr(paper_key, 12)::int % 3 = 0`,
  );
  await ds.query(
    `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, metric, category, kind, is_headline, extractor_version, content_hash)
     SELECT id, 0, 3, '42%', 42, '%', CASE WHEN substr(paper_key, 12)::int % 200 = 0 THEN 'BLEU' ELSE 'accuracy' END,
            'result', 'absolute_score', false, 'trend', content_hash
       FROM papers WHERE substr(paper_key, 12)::int % 10 = 0`,
  );
  await ds.query('ANALYZE');
}, 180_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

/** The plans (EXPLAIN) of the statements `run` sends; each answers no rows. */
const plansOfCall = async (run: (db: Db) => Promise<unknown>): Promise<string[]> =>
  (await statementsOfCall(ds, run, { explain: 'EXPLAIN', dry: true })).map((s) => s.plan);

/** The plans of the statements a listPaperRows call sends; each answers no rows, so both parts are planned. */
const plansOf = (opts: PaperListSql): Promise<string[]> => plansOfCall((db) => listPaperRows(db, opts));

const trending = (filters: PaperListSql['filters'], after?: PaperListSql['after']): PaperListSql => ({
  filters,
  sort: 'trending',
  limit: 20,
  after,
});

describe('sort=trending plans (20,000 papers, analysed)', () => {
  let head: [number, string];
  beforeAll(async () => {
    const [r]: { trend_key: number; paper_id: string }[] = await ds.query(
      `SELECT trend_key, paper_id FROM paper_read WHERE trend_key IS NOT NULL ORDER BY trend_key DESC, paper_id DESC OFFSET 40 LIMIT 1`,
    );
    head = [r.trend_key, r.paper_id];
  });

  const cases: [string, PaperListSql['filters'], boolean][] = [
    ['unfiltered', {}, true],
    ['topic', { topic: ['peft'] }, true],
    ['hasCode', { hasCode: true }, true],
    ['dates', { since: '2020-01-01', until: '2099-12-31' }, true],
    ['rare topic', { topic: ['rare'] }, false],
    ['q', { q: 'quokka' }, false],
    ['claim metric', { claim: { metricAliases: ['bleu'] } }, false],
    [
      'topic, q, claim, hasCode',
      { topic: ['peft'], q: 'quokka', claim: { metricAliases: ['bleu'] }, hasCode: true },
      false,
    ],
  ];
  it.each(cases)('%s: first and cursor pages never scan papers', async (_name, filters, byTrendIndex) => {
    for (const after of [undefined, head]) {
      const [trendPart, ...rest] = await plansOf(trending(filters, after));
      if (process.env.SHOW_PLANS) console.log(trendPart);
      expect(trendPart).not.toMatch(/Seq Scan on (papers|paper_read)\b/);
      // Whatever the filter, the order is the read model's: a sort, when there is one, is by its trend key only.
      for (const [, key] of trendPart.matchAll(/Sort Key: (.*)/g)) expect(key).toMatch(/^r\.trend_key DESC, (r\.paper_id|p\.id) DESC$/);
      // Unfiltered and broad filters read the trend index in its order (a page of entries, no sort).
      if (byTrendIndex) {
        expect(trendPart).toMatch(/Index (Only )?Scan using idx_paper_read_trend on paper_read/);
        expect(trendPart).not.toMatch(/\bSort\b/);
      }
      for (const plan of rest) expect(plan).not.toMatch(/Seq Scan on papers\b/);
    }
  });

  it('a page past the papers with a signal reads papers by date, not by a scan', async () => {
    const [last]: { sort_at: string; id: string }[] = await ds.query(
      `SELECT coalesce(published_at, created_at)::text AS sort_at, id FROM papers ORDER BY 1 DESC, 2 DESC OFFSET 100 LIMIT 1`,
    );
    for (const filters of [{}, { topic: ['peft'] }]) {
      const plans = await plansOf(trending(filters, [last.sort_at, last.id]));
      expect(plans).toHaveLength(1);
      if (process.env.SHOW_PLANS) console.log(plans[0]);
      expect(plans[0]).toMatch(/Index Scan using idx_papers_sort_at on papers/);
      expect(plans[0]).not.toMatch(/Seq Scan on papers\b/);
    }
  });
});

describe('sort=trending order and paging', () => {
  /** Every page of the listing by cursor, as listPapers makes cursors: [trend key, id], then [date, id]. */
  async function allPages(filters: PaperListSql['filters'], limit: number): Promise<PaperListRow[][]> {
    const pages: PaperListRow[][] = [];
    let after: (string | number)[] | undefined;
    for (;;) {
      const rows = await listPaperRows(ds, { filters, sort: 'trending', limit, after });
      expect(rows.length).toBeLessThanOrEqual(limit + 1);
      const page = rows.slice(0, limit);
      pages.push(page);
      if (rows.length <= limit) return pages;
      const last = page[page.length - 1];
      after =
        last.trend_key !== undefined && last.trend_key !== null
          ? [last.trend_key, last.id]
          : [last.sort_at, last.id];
      expect(pages.length).toBeLessThan(500);
    }
  }

  /** The expected order, computed independently: signal first by trend key, then the rest newest first. */
  async function expected(topic?: string): Promise<string[]> {
    const rows: { id: string }[] = await ds.query(
      `SELECT p.id FROM papers p LEFT JOIN paper_read r ON r.paper_id = p.id
        WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM paper_topics t WHERE t.paper_id = p.id AND t.topic_slug = $1))
        ORDER BY (r.trend_key IS NULL), r.trend_key DESC, CASE WHEN r.trend_key IS NULL THEN coalesce(p.published_at, p.created_at) END DESC,
                 p.id DESC`,
      [topic ?? null],
    );
    return rows.map((r) => r.id);
  }

  it('a topic listing pages through every paper once, signal first in trend order, then newest first', async () => {
    const pages = await allPages({ topic: ['rare'] }, 3);
    const ids = pages.flat().map((r) => r.id);
    const want = await expected('rare');
    expect(want.length).toBeGreaterThan(15); // the walk crosses from the trend part into the rest
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(want);
    // Both parts are present and the boundary falls inside a page or on one.
    const flat = pages.flat();
    expect(flat.some((r) => r.trend_key != null)).toBe(true);
    expect(flat.some((r) => r.trend_key == null)).toBe(true);
  });

  it('the first pages are the order of the trending tab (trendingCardRows) over all time', async () => {
    const pages = await allPages({ hasCode: false, topic: ['rare'] }, 2);
    const tab = await trendingCardRows(ds, {
      now: new Date(),
      hours: 1_000_000,
      topic: ['rare'],
      limit: 1000,
    });
    const signalIds = pages.flat().filter((r) => r.trend_key != null);
    const hasCode = new Set(
      ((await ds.query(`SELECT id FROM papers WHERE has_code`)) as { id: string }[]).map((r) => r.id),
    );
    expect(signalIds.map((r) => r.id)).toEqual(tab.map((r) => r.id).filter((id) => !hasCode.has(id)));
    expect(signalIds.length).toBeGreaterThan(0);
  });

  it('the unfiltered listing starts with the trending tab and reaches the papers without a signal by cursor', async () => {
    const first = await listPaperRows(ds, { filters: {}, sort: 'trending', limit: 10 });
    const tab = await trendingCardRows(ds, { now: new Date(), hours: 1_000_000, limit: 11 });
    expect(first.map((r) => r.id)).toEqual(tab.map((r) => r.id));
    // The last paper with a signal: the next page is the newest papers without one.
    const [lastSignal]: { trend_key: number; paper_id: string }[] = await ds.query(
      `SELECT trend_key, paper_id FROM paper_read WHERE trend_key IS NOT NULL ORDER BY trend_key, paper_id LIMIT 1`,
    );
    const next = await listPaperRows(ds, {
      filters: {},
      sort: 'trending',
      limit: 5,
      after: [lastSignal.trend_key, lastSignal.paper_id],
    });
    const want = await expected();
    const at = want.indexOf(lastSignal.paper_id);
    expect(next.map((r) => r.id)).toEqual(want.slice(at + 1, at + 7));
    expect(next.every((r) => r.trend_key == null)).toBe(true);
  });
});

// Every page shows `trendingScore` from the read model's trend key (trendScore): the other sorts read it by
// paper id, one lookup of paper_read's primary key per returned row, never a scan of paper_read or papers.
describe('the trend key of recent and relevance pages (20,000 papers, analysed)', () => {
  const sorts: [string, PaperListSql][] = [
    ['recent', { filters: {}, sort: 'recent', limit: 20 }],
    ['recent, topic', { filters: { topic: ['peft'] }, sort: 'recent', limit: 20 }],
    ['relevance', { filters: { q: 'quokka' }, sort: 'relevance', limit: 20 }],
  ];
  it.each(sorts)('%s: a primary-key lookup of paper_read per row', async (_name, opts) => {
    // the page's statement (a search first reads its matches: searchMatchIds' probe, a statement of its own)
    const plans = await plansOf(opts);
    const plan = plans.find((p) => /paper_read/.test(p));
    expect(plan).toBeDefined();
    if (process.env.SHOW_PLANS) console.log(plan);
    expect(plan).toMatch(/Index (Only )?Scan using "?PK_paper_read"? on paper_read pr/);
    expect(plan).not.toMatch(/Seq Scan on (papers|paper_read)\b/);
  });

  it('serves the key with each row: the trend part its own, the rest the lookup, null without a signal', async () => {
    const [want]: { id: string; trend_key: number }[] = await ds.query(
      `SELECT paper_id AS id, trend_key FROM paper_read WHERE trend_key IS NOT NULL ORDER BY t0 DESC, paper_id DESC LIMIT 1`,
    );
    const recent = await listPaperRows(ds, { filters: {}, sort: 'recent', limit: 20_000 });
    const got = new Map(recent.map((r) => [r.id, r.trend_key]));
    expect(got.get(want.id)).toBe(want.trend_key);
    const keyed: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM paper_read WHERE trend_key IS NOT NULL`,
    );
    expect(recent.filter((r) => r.trend_key !== null)).toHaveLength(keyed[0].n);
    const top = await listPaperRows(ds, trending({}));
    expect(top[0].trend_key).not.toBeNull();
  });
});

// The trending tab with a topic (`/v1/trending?topic=`, the home page's tab) and a day's page in trend order
// (`/api/daily_papers?sort=trending`) cost their page, not the catalogue. The tab's topic was
// `$3 IS NULL OR EXISTS (…)`, planned as a hashed subplan that read every paper_topics row of the topic first
// (8.8k buffers, 150-220 ms at 200k papers); the day's trend keys were a LEFT JOIN of paper_read, planned as a
// seq scan of all of it when the day's rows were overestimated (2.7k buffers at 200k papers).
describe('trend-ordered pages by topic and by day (20,000 papers, analysed)', () => {
  it('the trending tab with a topic walks the trend index and probes the topics of each row by key', async () => {
    const [plan] = await plansOfCall((db) => trendingCardRows(db, { now: new Date(), hours: 168, topic: ['peft'], limit: 30 }));
    if (process.env.SHOW_PLANS) console.log(plan);
    expect(plan).toMatch(/Index Scan using idx_paper_read_trend on paper_read r/);
    expect(plan).toMatch(/Index Only Scan using "?PK_[0-9a-f]+"? on paper_topics pt/);
    expect(plan).not.toMatch(/hashed SubPlan|idx_paper_topics_topic|Seq Scan/);
  });

  it("a day in trend order walks the day's trend index (paper_days.trend_key, migration 1796230000000), never paper_read", async () => {
    const [{ day }]: { day: string }[] = await ds.query(
      `SELECT day::text AS day FROM paper_days GROUP BY day ORDER BY count(*) DESC LIMIT 1`,
    );
    // (the page and the day's total are sent at once: their plans arrive in either order)
    const plans = await plansOfCall((db) => listedDayPage(db, { day, sort: 'trending', limit: 50, offset: 0 }));
    const plan = plans.find((p) => /paper_days/.test(p)) ?? plans.join('\n');
    if (process.env.SHOW_PLANS) console.log(plans.join('\n\n'));
    expect(plan).toMatch(/idx_paper_days_trend/);
    expect(plan).not.toMatch(/Sort Key/);
    expect(plans.join('\n')).not.toMatch(/paper_read/);
  });

  it('both keep their order: the tab by trend key with the topic applied, the day by trend key then recency', async () => {
    const tab = await trendingCardRows(ds, { now: new Date(), hours: 1_000_000, topic: ['rare'], limit: 1000 });
    const want: { id: string }[] = await ds.query(
      `SELECT r.paper_id AS id FROM paper_read r
        WHERE r.trend_key IS NOT NULL AND EXISTS (SELECT 1 FROM paper_topics t WHERE t.paper_id = r.paper_id AND t.topic_slug = 'rare')
        ORDER BY r.trend_key DESC, r.paper_id DESC`,
    );
    expect(want.length).toBeGreaterThan(5);
    expect(tab.map((r) => r.id)).toEqual(want.map((r) => r.id));
    const [{ day }]: { day: string }[] = await ds.query(`SELECT max(day)::text AS day FROM paper_days`);
    const page = await listedDayPage(ds, { day, sort: 'trending', limit: 1000, offset: 0 });
    const order: { id: string }[] = await ds.query(
      `SELECT d.paper_id AS id FROM paper_days d LEFT JOIN paper_read r ON r.paper_id = d.paper_id WHERE d.day = $1::date
        ORDER BY r.trend_key DESC NULLS LAST, d.sighted_at DESC, d.paper_id DESC`,
      [day],
    );
    expect(page.ids).toEqual(order.map((r) => r.id));
    expect(page.total).toBe(order.length);
  });
});

// A trending window walks idx_paper_read_trend from the top and keeps the rows inside the window. With no paper in the
// window (a quiet source, a filter), the walk used to go through every signalled paper of the catalogue; the window's
// lowest possible key (windowKeyFloor) now bounds it, so an empty window reads a handful of index entries.
describe('a trending window with no papers in it (20,000 papers, analysed)', () => {
  async function analysed(q: Parameters<typeof trendingWindowPage>[1]): Promise<string> {
    let plan = '';
    const db = {
      query: async (sql: string, params?: unknown[]) => {
        const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        return [];
      },
    } as unknown as Db;
    await trendingWindowPage(db, q);
    return plan;
  }
  const signalled = async (): Promise<number> =>
    Number((await ds.query(`SELECT count(*)::int AS n FROM paper_read WHERE trend_key IS NOT NULL`))[0].n);

  it('stops at the window: a week beyond every paper reads no signalled paper', async () => {
    expect(await signalled()).toBeGreaterThan(2_000);
    const later = new Date(Date.now() + 400 * 24 * 3_600_000);
    for (const filters of [{}, { topic: ['peft'] }]) {
      const plan = await analysed({ ...filters, now: later, hours: 24 * 7, limit: 20, offset: 0 });
      if (process.env.SHOW_PLANS) console.log(plan);
      expect(plan).toMatch(/Index (Only )?Scan using idx_paper_read_trend on paper_read/);
      expect(plan).toMatch(/Index Cond: \(trend_key >= /);
      // The walk returns no row and is not filtered row by row through the catalogue.
      const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
      expect(Math.max(0, ...removed)).toBeLessThan(50);
      expect(plan).toMatch(/actual time=[\d.]+\.\.[\d.]+ rows=0 loops=1\)\n/);
    }
  });

  it('a window that holds papers lists the same papers as before the bound', async () => {
    const now = new Date();
    for (const hours of [24, 24 * 30, 24 * 365]) {
      const rows = await trendingWindowPage(ds, { now, hours, limit: 5_000, offset: 0 });
      const want: { paper_id: string }[] = await ds.query(
        `SELECT paper_id FROM paper_read WHERE trend_key IS NOT NULL AND t0 >= $1::timestamptz - make_interval(hours => $2)
          ORDER BY trend_key DESC, paper_id DESC`,
        [now.toISOString(), hours],
      );
      expect(want.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.paper_id)).toEqual(want.map((r) => r.paper_id));
    }
  });
});

// The home page's search tab counts its matches (review 25: it said "50 papers" of 69): bounded like the trending
// tab's count, it reads no match past the cap however common the word (countPaperRows), and costs about what the
// relevance page beside it costs.
describe('the count of a search (20,000 papers, analysed)', () => {
  it.each([['sparse'], ['quokka'], ['nothingmatchesthis']])('"%s": counted to the cap + 1, at most what its relevance page reads', async (q) => {
    const [count] = await statementsOfCall(ds, (db) => countPaperRows(db, { q }, 1000));
    const list = await statementsOfCall(ds, (db) => listPaperRows(db, { filters: { q }, sort: 'relevance', limit: 50 }));
    const listed = list.reduce((n, s) => n + s.buffers, 0);
    if (process.env.SHOW_PLANS) console.log(q, count.buffers, listed, count.plan);
    const want: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM paper_search WHERE search @@ websearch_to_tsquery('english', $1)`,
      [q],
    );
    expect(await countPaperRows(ds, { q }, 1000)).toBe(Math.min(want[0].n, 1001));
    expect(count.plan).not.toMatch(/\bSort\b/);
    expect(count.buffers).toBeLessThanOrEqual(Math.max(listed, 50));
  });
});
