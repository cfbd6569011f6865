import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { resetPapersToStage } from './paper-reads';

// reclassify / reextract walk the whole catalogue in windows of RESET_WINDOW stage rows. Each call must
// cost its window: an ordered range of paper_stages' primary key from the cursor, never a scan of the
// table (without statistics the earlier "first 5,000 matching rows" form was planned as a scan and sort
// of paper_stages on every call), and a run must visit every paper once. The catalogue here is 12,345
// papers, so the windows are scaled down with it (WINDOW) to keep a window a small part of the table, as
// RESET_WINDOW is of a production catalogue.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `reset_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const PAPERS = 12_345;
const WINDOW = 500;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  // Every third paper was classified by the current version 'v2'; the rest by 'v1'. Never analysed.
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at, classifier_version)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i, 'Abstract ' || i,
            md5(i::text), now() - make_interval(hours => i % 500), CASE WHEN i % 3 = 0 THEN 'v2' ELSE 'v1' END
       FROM generate_series(1, $1::int) i`,
    [PAPERS],
  );
  // (a paper's stage row comes with it; every paper finished the pipeline a day ago)
  await ds.query(
    `UPDATE paper_stages SET stage = 'notified', stage_at = now() - interval '1 day', notified_at = now() - interval '1 day'`,
  );
  const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM paper_stages`);
  expect(n).toBe(PAPERS);
}, 120_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

const opts = (startedAt: string, after: string | null) => ({
  to: 'parsed' as const,
  from: ['classified', 'extracted', 'notified'],
  column: 'classifier_version' as const,
  version: 'v2',
  since: null,
  all: false,
  startedAt,
  after,
  window: WINDOW,
});

it('plans each window as an ordered range of the primary key, without statistics', async () => {
  const runner = ds.createQueryRunner();
  await runner.startTransaction();
  const plans: string[] = [];
  try {
    const db = {
      query: async (sql: string, params: unknown[]) => {
        const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, params);
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
        return [{ next: null, moved: [] }];
      },
    } as unknown as DataSource;
    await resetPapersToStage(db, opts(new Date().toISOString(), '7fffffff-0000-0000-0000-000000000000'));
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
  expect(plans).toHaveLength(1);
  // The window: the next WINDOW keys of the primary key, read in order (no scan, no sort of the table).
  // (How the window's few rows are then joined to their stage rows is the planner's call by table size:
  // a hash join here, 12k rows; index look-ups at 1M, measured.)
  const win = plans[0].slice(plans[0].indexOf('CTE win'), plans[0].indexOf('CTE moved'));
  expect(win).toMatch(/Limit[\s\S]*Index (Only )?Scan using \S+ on paper_stages\b/);
  expect(win).not.toMatch(/Seq Scan|Sort/);
  expect(plans[0]).not.toMatch(/Seq Scan on papers\b/);
});

it('a run moves every paper of another version once, window by window', async () => {
  const startedAt = new Date().toISOString();
  const seen = new Map<string, number>();
  let after: string | null = null;
  let calls = 0;
  do {
    const step = await resetPapersToStage(ds, opts(startedAt, after));
    calls += 1;
    for (const m of step.moved) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
    expect(step.moved.length).toBeLessThanOrEqual(WINDOW);
    if (after !== null && step.next !== null) expect(step.next > after).toBe(true);
    after = step.next;
  } while (after !== null);
  // the windows of rows, then the empty one that ends the run
  expect(calls).toBe(Math.ceil(PAPERS / WINDOW) + 1);
  const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM papers WHERE classifier_version <> 'v2'`);
  expect(seen.size).toBe(n);
  expect([...seen.values()].every((k) => k === 1)).toBe(true);
  const stages: { stage: string; n: number }[] = await ds.query(
    `SELECT s.stage, count(*)::int AS n FROM paper_stages s JOIN papers p ON p.id = s.paper_id
      WHERE p.classifier_version <> 'v2' GROUP BY 1`,
  );
  expect(stages).toEqual([{ stage: 'parsed', n }]);
  // A second pass of the same run (same startedAt) finds nothing left to move.
  const again = await resetPapersToStage(ds, opts(startedAt, null));
  expect(again.moved).toEqual([]);
}, 60_000);
