import type { DataSource } from 'typeorm';
import { PAPER_NUMBER_SQL, createTestDb, seedNumberedPapers, type TestDb } from '../test-db';
import { CLAIM_SCAN_BUDGET, METRIC_COUNT_TTL_MS, searchClaimRows, type ClaimSearchSql } from './claim-reads';
import { SORT_AT, claimConditions, paperConditions } from './paper-filters';
import { SqlParams, type Db } from './sql';

// A claim search walks at most a scan budget of candidate claims in listing order: a filter that matches nothing
// answers an empty page and a cursor where its walk stopped instead of reading every claim of the catalogue (42.8k
// buffers at 1M papers, the statement timeout at 10M). 30,000 papers (listing dates shared by a few) and 60,000
// claims, analysed: following the
// cursors to the end gives exactly the hits of one unbounded read, in order, on the general path and the claim_topics
// path, whatever the budget; a no-match read walks the budget and no more.

const N = 30_000;
let db: TestDb;
let ds: DataSource;

const n = PAPER_NUMBER_SQL;

beforeAll(async () => {
  db = await createTestDb('claimscan');
  ds = db.ds;
  await seedNumberedPapers(ds, N, { published: { step: 7, wrap: 200_000, nullEvery: 50 }, created: { step: 11, wrap: 200_000 } });
  await ds.query(
    `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rag', 'RAG', 'retrieval')
     ON CONFLICT DO NOTHING`,
  );
  await ds.query(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, t, 0.5, true, '[]', 'cs', content_hash
       FROM papers CROSS JOIN unnest(ARRAY['peft', 'rag']) t
      WHERE (t = 'peft' AND ${n} % 3 = 0) OR (t = 'rag' AND ${n} % 5 = 0)`,
  );
  // Two claims a paper: an accuracy score (setup on 1 in 6, BLEU on 1 in 4, F1 on 1 in 1,500), a latency ratio.
  await ds.query(
    `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, metric, category, kind, is_headline, extractor_version, content_hash)
     SELECT id, 0, 3, 'x', (${n} % 97)::float8, '%',
            CASE WHEN ${n} % 1500 = 0 THEN 'F1' WHEN ${n} % 4 = 0 THEN 'BLEU' ELSE 'accuracy' END,
            CASE WHEN ${n} % 6 = 0 THEN 'setup' ELSE 'result' END, 'absolute_score', false, 'cs', content_hash FROM papers
     UNION ALL
     SELECT id, 10, 14, 'y', (${n} % 7)::float8, 'x', 'latency', 'result', 'reduction', false, 'cs', content_hash FROM papers`,
  );
  await ds.query('ANALYZE');
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/** Every hit of a search in one unbounded read (claims joined with their papers): what the pages must add up to. */
async function allHits(q: ClaimSearchSql): Promise<string[]> {
  const params = new SqlParams();
  const { category, ...claim } = q.claim;
  const conds = [...claimConditions(claim, params), ...paperConditions({ topic: q.topic, since: q.since, until: q.until }, params)];
  if (category) conds.push(`c.category = ${params.add(category)}`);
  const rows: { id: string; sort_at: string }[] = await ds.query(
    `SELECT c.id, ${SORT_AT}::text AS sort_at FROM paper_claims c JOIN papers p ON p.id = c.paper_id
      ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY ${SORT_AT} DESC, c.id DESC`,
    params.values,
  );
  return rows.map((r) => `${r.id} ${r.sort_at}`);
}

/** Every page by cursor, as the action builds it: the last hit when there are more hits, else where the scan stopped. */
async function followPages(q: ClaimSearchSql): Promise<{ hits: string[]; pages: number; partial: number }> {
  const hits: string[] = [];
  let after: readonly [string, string] | undefined;
  let pages = 0;
  let partial = 0;
  for (;;) {
    const { rows, scannedTo } = await searchClaimRows(ds, { ...q, after });
    pages += 1;
    const page = rows.slice(0, q.limit);
    hits.push(...page.map((r) => `${r.id} ${r.sort_at}`));
    const last = page[page.length - 1];
    const next = rows.length > q.limit && last ? ([last.sort_at, last.id] as const) : scannedTo;
    if (!next) return { hits, pages, partial };
    if (page.length < q.limit) partial += 1;
    after = next;
    if (pages > 2_000) throw new Error('the cursor does not advance');
  }
}

const since = () => new Date(Date.now() - 60 * 86400_000).toISOString();
const CASES: [string, ClaimSearchSql][] = [
  ['nothing matches (setup reduction)', { claim: { category: 'setup', kind: 'reduction' }, limit: 50 }],
  ['setup scores at least 90', { claim: { category: 'setup', kind: 'absolute_score', unit: '%', min: 90 }, limit: 20 }],
  ['a unit and a range', { claim: { unit: 'x', min: 2, max: 3 }, limit: 50 }],
  ['a topic and a kind, since', { claim: { kind: 'absolute_score', max: 5 }, topic: ['rag'], since: since(), limit: 25 }],
  ['a common metric and a category', { claim: { metricAliases: ['bleu'], category: 'setup' }, limit: 30 }],
  ['a rare metric', { claim: { metricAliases: ['f1'] }, limit: 5 }],
  ['metric and topic (claim_topics), a min', { claim: { metricAliases: ['accuracy', 'bleu'], min: 95 }, topic: ['peft', 'rag'], limit: 20 }],
  ['metric and topic (claim_topics), nothing matches', { claim: { metricAliases: ['latency'], category: 'setup' }, topic: ['peft'], limit: 20 }],
];

describe('claim search with a scan budget (60,000 claims, analysed)', () => {
  it.each(CASES)('%s: the pages, followed to the end, are every hit once, in order (budgets 300 and the default)', async (_name, q) => {
    const want = await allHits(q);
    const small = await followPages({ ...q, scanBudget: 300 });
    expect(small.hits).toEqual(want);
    const full = await followPages(q);
    expect(full.hits).toEqual(want);
    // a small budget on a catalogue of 60,000 claims stops early: partial pages, continued by their cursor
    if (!q.claim.metricAliases?.includes('f1')) expect(small.partial).toBeGreaterThan(0);
  }, 120_000);

  it('a filter that matches nothing walks the budget: bounded buffers, an empty page and a cursor where it stopped', async () => {
    const q: ClaimSearchSql = { claim: { category: 'setup', kind: 'reduction', unit: 'x', min: 1 }, limit: 50 };
    const read = async (scanBudget: number, since?: string): Promise<{ buffers: number; walked: number }> => {
      let buffers = 0;
      let walked = 0;
      const db: Db = {
        query: async (sql: string, params?: unknown[]) => {
          const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${sql}`, params);
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          if (process.env.SHOW_PLANS) console.log(plan);
          // claims read per walked paper (an index probe each), never a table scan or a hash join over one
          expect(plan).not.toMatch(/Seq Scan|Hash Join/);
          // (in listing order; a date range the planner expects fewer claims in than the budget may be read whole)
          if (!since) expect(plan).toMatch(/Index Scan using idx_papers_sort_at on papers/);
          const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
          buffers += Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0);
          // the walk: the Limit under the window
          walked = Math.max(walked, ...[...plan.matchAll(/Limit \(actual rows=(\d+)/g)].map((m) => Number(m[1])));
          return [];
        },
      } as unknown as Db;
      await searchClaimRows(db, { ...q, scanBudget, since });
      return { buffers, walked };
    };
    const small = await read(500);
    const large = await read(CLAIM_SCAN_BUDGET);
    expect(small.walked).toBe(500);
    expect(large.walked).toBe(CLAIM_SCAN_BUDGET);
    // a claim walked costs its paper's index entry and row and the claim's (~2.5 buffers): the budget sets the price,
    // not the 60,000 claims of the catalogue
    expect(small.buffers).toBeLessThan(500 * 4);
    expect(large.buffers).toBeLessThan(CLAIM_SCAN_BUDGET * 4);
    expect(large.buffers).toBeGreaterThan(small.buffers * 3);
    // a date range the planner expects fewer claims in than the budget: still walked per paper, no table scan
    const recent = await read(CLAIM_SCAN_BUDGET, new Date(Date.now() - 3 * 86400_000).toISOString());
    expect(recent.walked).toBeLessThan(CLAIM_SCAN_BUDGET);
    expect(recent.buffers).toBeLessThan(CLAIM_SCAN_BUDGET * 4);
    const page = await searchClaimRows(ds, q);
    expect(page.rows).toEqual([]);
    expect(page.scannedTo).not.toBeNull();
  }, 60_000);

  it('a filter that matches often fills its page without walking the budget', async () => {
    let plan = '';
    const db = {
      query: async (sql: string, params?: unknown[]) => {
        const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${sql}`, params);
        plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        if (process.env.SHOW_PLANS) console.log(plan);
        return [];
      },
    } as unknown as Db;
    await searchClaimRows(db, { claim: { kind: 'reduction', unit: 'x' }, limit: 50 });
    const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
    expect(Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0)).toBeLessThan(1_000);
    const page = await searchClaimRows(ds, { claim: { kind: 'reduction', unit: 'x' }, limit: 50 });
    expect(page.rows).toHaveLength(51);
    expect(page.scannedTo).toBeNull();
  });

  it("counts a metric's claims once per METRIC_COUNT_TTL_MS, not on every read, and decides the same", async () => {
    const counted: unknown[] = [];
    const query = ds.query.bind(ds);
    const spy = jest.spyOn(ds, 'query').mockImplementation(async (sql: string, params?: unknown[]) => {
      if (sql.includes('SELECT count(*)::int FROM (SELECT 1 FROM paper_claims')) counted.push(params?.[0]);
      return query(sql, params);
    });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      // F1: 20 claims, read whole (every hit on one page, no cursor); BLEU: 15,000, walked by the budget (a budget of
      // 999, counted up to 999: counts of their own, not those the cases above made up to the default)
      const f1 = () => searchClaimRows(ds, { claim: { metricAliases: ['f1'] }, limit: 50, scanBudget: 999 });
      const bleu = () => searchClaimRows(ds, { claim: { metricAliases: ['bleu', 'f1'], category: 'setup' }, limit: 50, scanBudget: 999 });
      const first = await f1();
      expect(first.rows).toHaveLength(20);
      expect(first.scannedTo).toBeNull();
      await bleu();
      expect(counted).toEqual([['f1'], ['bleu']]);
      counted.length = 0;
      expect(await f1()).toEqual(first);
      await bleu();
      expect(counted).toEqual([]);
      // past the time to live: counted again, the same decision
      clock.mockReturnValue(now + METRIC_COUNT_TTL_MS + 1);
      expect(await f1()).toEqual(first);
      expect(counted).toEqual([['f1']]);
    } finally {
      clock.mockRestore();
      spy.mockRestore();
    }
  });
});
