import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { locatePaper, paperByRef } from './paper-reads';
import type { Db } from './sql';

jest.setTimeout(60_000);

// A paper named by a DOI it carries (not its key): the lookup reads that DOI's rows by idx_papers_doi, then takes
// the oldest. ANALYZE keeps no statistics of a partial index's expression, so on an analysed catalogue the planner
// guessed lower(doi) = $2 at 0.5% of the papers and walked idx_papers_created (ORDER BY created_at LIMIT 1),
// filtering every paper older than the one wanted: a new paper's DOI read the whole index (10.5k buffers at 200k
// papers). 20,000 analysed papers here, each carrying a DOI, and the newest one's looked up.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `doi_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, doi, created_at)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i, 'Abstract ' || i,
            md5(i::text), '10.5555/Doi.' || i, now() - make_interval(secs => 20000 - i)
       FROM generate_series(1, 20000) i`,
  );
  // a second carrier of the newest DOI, younger still: the oldest one is the answer
  await ds.query(
    `INSERT INTO papers (paper_key, title, abstract, content_hash, doi) VALUES ('title:copy', 'Copy', 'Copy', 'c', '10.5555/DOI.20000')`,
  );
  await ds.query(`ANALYZE papers`);
});

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

/** Runs `fn` on a Db that records each statement, then EXPLAIN ANALYZEs them: their plans. */
async function plansOf(fn: (db: Db) => Promise<unknown>): Promise<string[]> {
  const sent: [string, unknown[]][] = [];
  await fn({ query: (sql: string, params?: unknown[]) => (sent.push([sql, params ?? []]), ds.query(sql, params)) } as unknown as Db);
  const plans: string[] = [];
  for (const [sql, params] of sent)
    plans.push(((await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
  return plans;
}

it.each([
  ['locatePaper', (db: Db, ref: string) => locatePaper(db, ref)],
  ['paperByRef', (db: Db, ref: string) => paperByRef(db, ref)],
])('%s by a DOI a paper carries reads its rows by idx_papers_doi, never a walk of the catalogue', async (_name, lookup) => {
  const [{ id }] = await ds.query(`SELECT id FROM papers WHERE paper_key = 'arxiv:2601.20000'`);
  const found = await lookup(ds as unknown as Db, 'https://doi.org/10.5555/doi.20000');
  expect(typeof found === 'string' ? found : (found as { id: string } | null)?.id).toBe(id);
  const plans = await plansOf((db) => lookup(db, 'doi:10.5555/doi.20000'));
  expect(plans).toHaveLength(1);
  expect(plans[0]).toMatch(/Index Scan using idx_papers_doi|Bitmap Index Scan on idx_papers_doi/);
  expect(plans[0]).not.toMatch(/idx_papers_created|Seq Scan on papers/);
  const buffers = [...plans[0].matchAll(/Buffers: shared (?:hit=(\d+))? ?(?:read=(\d+))?/g)].map((m) => Number(m[1] ?? 0) + Number(m[2] ?? 0));
  expect(Math.max(...buffers)).toBeLessThan(60);
});
