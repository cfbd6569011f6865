import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { locatePaper, paperByRef } from './paper-reads';
import type { Db } from './sql';

jest.setTimeout(60_000);

// A paper named by an arXiv id or by a DOI it carries (not its key): the lookup reads that id's rows by its index
// (idx_papers_arxiv_id, idx_papers_doi), then takes the oldest. With `ORDER BY created_at LIMIT 1` on the table the
// planner walked idx_papers_created instead, filtering every paper older than the one wanted, whenever it guessed
// the id matches many papers: an arXiv id on a catalogue never analysed (18.9k buffers, ~110 ms at 200k papers for a
// new paper's or a missing id), a DOI even on an analysed one (ANALYZE keeps no statistics of a partial index's
// expression: 10.5k buffers at 200k papers). 20,000 papers here, each with an arXiv id and a DOI, first never
// analysed, then analysed; the newest one's and a missing one's looked up.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `doi_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  // never analysed until the second describe says so (autovacuum would analyse a table this size within a minute)
  await ds.query(`ALTER TABLE papers SET (autovacuum_enabled = false)`);
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

const LOOKUPS = [
  ['locatePaper', (db: Db, ref: string) => locatePaper(db, ref)],
  ['paperByRef', (db: Db, ref: string) => paperByRef(db, ref)],
] as const;

/** The plan of `lookup(ref)`: one statement, reading `index` and nothing of the catalogue's size. */
async function expectIndexLookup(lookup: (db: Db, ref: string) => Promise<unknown>, ref: string, index: string) {
  const plans = await plansOf((db) => lookup(db, ref));
  expect(plans).toHaveLength(1);
  expect(plans[0]).toMatch(new RegExp(`Index Scan using ${index}|Bitmap Index Scan on ${index}`));
  expect(plans[0]).not.toMatch(/idx_papers_created|Seq Scan on papers/);
  const buffers = [...plans[0].matchAll(/Buffers: shared (?:hit=(\d+))? ?(?:read=(\d+))?/g)].map((m) => Number(m[1] ?? 0) + Number(m[2] ?? 0));
  expect(Math.max(...buffers)).toBeLessThan(60);
}

const idOf = (found: unknown) => (found as { id: string } | null)?.id ?? null;

describe.each(['never analysed', 'analysed'])('a catalogue %s', (state) => {
  beforeAll(async () => {
    if (state === 'analysed') await ds.query(`ANALYZE papers`);
  });

  it.each(LOOKUPS)('%s by an arXiv id reads its rows by idx_papers_arxiv_id, never a walk of the catalogue', async (_name, lookup) => {
    const [{ id }] = await ds.query(`SELECT id FROM papers WHERE paper_key = 'arxiv:2601.20000'`);
    expect(idOf(await lookup(ds as unknown as Db, 'arXiv:2601.20000v3'))).toBe(id);
    expect(await lookup(ds as unknown as Db, '2612.00001')).toBeNull();
    await expectIndexLookup(lookup, '2601.20000', 'idx_papers_arxiv_id');
    await expectIndexLookup(lookup, '2612.00001', 'idx_papers_arxiv_id');
  });

  it.each(LOOKUPS)('%s by a DOI a paper carries reads its rows by idx_papers_doi, never a walk of the catalogue', async (_name, lookup) => {
    const [{ id }] = await ds.query(`SELECT id FROM papers WHERE paper_key = 'arxiv:2601.20000'`);
    expect(idOf(await lookup(ds as unknown as Db, 'https://doi.org/10.5555/doi.20000'))).toBe(id);
    await expectIndexLookup(lookup, 'doi:10.5555/doi.20000', 'idx_papers_doi');
  });
});
