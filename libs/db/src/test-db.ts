import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from './data-source';
import type { Db } from './queries/sql';

// Test support that libs/db's own int specs need and cannot take from @paperwire/testing (which imports this library:
// an import back would be a circular dependency): a scratch schema, and papers at scale. @paperwire/testing re-exports
// them (createTestDb, seedNumberedPapers), for every other spec.

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A unique lower-case identifier for a test's schema / queue prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestDb {
  ds: DataSource;
  schema: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh schema in the test database, migrated, with its own data source. */
export async function createTestDb(prefix = 't', opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const schema = uniqueName(prefix);
  await ensureDatabase(TEST_DATABASE_URL, schema);
  const ds = createDataSource({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  await ds.initialize();
  if (opts.migrate !== false) await migrate(ds);
  return {
    ds,
    schema,
    url: TEST_DATABASE_URL,
    async drop() {
      if (ds.isInitialized) {
        await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await ds.destroy();
      }
    },
  };
}

/** Paper i's number in SQL, for papers seeded by `seedNumberedPapers` (their key is `arxiv:2601.<i, 5 digits>`). */
export const PAPER_NUMBER_SQL = 'substr(paper_key, 12)::int';

/** Minutes before now of paper i's date: `(i × step) mod wrap` (without wrap: `i × step`); NULL when `nullEvery` divides i. */
export interface MinutesAgo {
  step: number;
  wrap?: number;
  nullEvery?: number;
}

/**
 * `n` papers (1…99,999) in one statement, numbered 1…n: arXiv id `2601.<i, 5 digits>`, title `Paper i`, abstract
 * `Abstract i.`, content hash md5(i), listing date (`published_at`) and `created_at` spread as told (now when not).
 * Their number in SQL: `PAPER_NUMBER_SQL`. For the scale specs of the reads (ANALYZE is the spec's, after its claims).
 */
export async function seedNumberedPapers(ds: DataSource, n: number, opts: { published?: MinutesAgo; created?: MinutesAgo } = {}): Promise<void> {
  if (!Number.isInteger(n) || n < 1 || n > 99_999) throw new Error(`seedNumberedPapers: n must be 1…99,999, not ${n}`);
  // the date of paper i, from the parameters $k (step), $k+1 (wrap), $k+2 (null every)
  const at = (k: number) =>
    `CASE WHEN i % nullif($${k + 2}::int, 0) = 0 THEN NULL
          ELSE now() - make_interval(mins => i * coalesce($${k}::int, 0) % coalesce($${k + 1}::int, 2147483647)) END`;
  const { published: p = { step: 0 }, created: c = { step: 0 } } = opts;
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at, created_at)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'), 'Paper ' || i, 'Abstract ' || i || '.', md5(i::text),
            ${at(2)}, coalesce(${at(5)}, now())
       FROM generate_series(1, $1::int) i`,
    [n, p.step, p.wrap ?? null, p.nullEvery ?? null, c.step, c.wrap ?? null, c.nullEvery ?? null],
  );
}

/** A statement a call sent, and its plan. */
export interface SentStatement {
  text: string;
  values: unknown[];
  /** the EXPLAIN output (`explain`'s options) */
  plan: string;
  /** the plan's top "Buffers: shared hit/read" (with ANALYZE, BUFFERS) */
  buffers: number;
}

/**
 * The statements `run` sends (through `db.query` and through namedQuery), each EXPLAINed (`explain`: the EXPLAIN
 * keyword and options) and then run for real, so a call whose next statement depends on an earlier one's rows takes
 * its real path; with `dry`, each answers no rows instead (every part of a call planned, none run).
 */
export async function statementsOfCall(
  ds: DataSource,
  run: (db: Db) => Promise<unknown>,
  opts: { explain?: string; dry?: boolean } = {},
): Promise<SentStatement[]> {
  const out: SentStatement[] = [];
  const query = async (text: string, values: unknown[] = []) => {
    // (in the order sent: statements sent at once are explained concurrently)
    const sent: SentStatement = { text, values, plan: '', buffers: 0 };
    out.push(sent);
    const rows: { 'QUERY PLAN': string }[] = await ds.query(`${opts.explain ?? 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)'} ${text}`, values);
    sent.plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(sent.plan);
    sent.buffers = Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0);
    return opts.dry ? [] : ds.query(text, values);
  };
  // (namedQuery reaches the pool through the data source's driver: the same recorder stands in for it)
  const pool = { query: async (s: { text: string; values?: unknown[] }) => ({ rows: await query(s.text, s.values) }) };
  await run({ query, connection: { driver: { master: pool } } } as unknown as Db);
  return out;
}
