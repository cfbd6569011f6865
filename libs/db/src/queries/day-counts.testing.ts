import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { replacePaperTopics } from './paper-topics';

// What the specs of the per-(topic, day) count tables share (topic-day-counts and first-day-counts int specs): the
// counts a table keeps, the rows of its (topic, day, paper) table against their definition, and two writers of one
// paper's rows in concurrent transactions.

export type Counts = Record<string, number>;

/** A paper's number in the seeded catalogue (SQL over papers' paper_key). */
export const paperNumber = `substr(paper_key, 12)::int`;

/**
 * A migrated schema `schema` with `papers` numbered papers (arXiv 2603.NNNNN) and the topics peft, rag and rare, no
 * days, read rows or classifications yet: each spec adds those in the order its triggers are to count them.
 */
export async function countsCatalogue(url: string, schema: string, papers: number): Promise<DataSource> {
  await ensureDatabase(url, schema);
  const ds = await createDataSource({ url, schema, poolSize: 3 }).initialize();
  await migrate(ds);
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash)
     SELECT 'arxiv:2603.' || lpad(i::text, 5, '0'), '2603.' || lpad(i::text, 5, '0'), 'Paper ' || i, 'Abstract ' || i || '.', md5(i::text)
       FROM generate_series(1, ${papers}) i`,
  );
  await ds.query(
    `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rag', 'RAG', 'retrieval'), ('rare', 'Rare', 'rare')
     ON CONFLICT DO NOTHING`,
  );
  return ds;
}

/** Classifies the catalogue: every 3rd paper peft, every 5th rag, every 700th rare (one statement). */
export function classifyCatalogue(ds: DataSource, modelVersion: string): Promise<unknown> {
  const n = paperNumber;
  return ds.query(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, t, 0.5, true, '[]', $1, content_hash
       FROM papers CROSS JOIN unnest(ARRAY['peft', 'rag', 'rare']) t
      WHERE (t = 'peft' AND ${n} % 3 = 0) OR (t = 'rag' AND ${n} % 5 = 0) OR (t = 'rare' AND ${n} % 700 = 0)`,
    [modelVersion],
  );
}

/** What the triggers kept in `table`: the sum of each (topic, day)'s delta rows, keyed `topic day` (sums of 0 left out). */
export async function keptCounts(ds: DataSource, table: 'topic_day_counts' | 'first_day_counts'): Promise<Counts> {
  const rows = (await ds.query(
    `SELECT topic_slug || ' ' || day::text AS k, sum(papers)::int AS n FROM ${table} GROUP BY 1 HAVING sum(papers) <> 0`,
  )) as { k: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

/** The rows of `table` that are not in `definition` (a select of topic_slug, day, paper_id), and those it lacks. */
export async function strayRows(
  ds: DataSource,
  table: 'topic_day_papers' | 'topic_first_papers',
  definition: string,
): Promise<{ extra: number; missing: number }> {
  const [r] = (await ds.query(
    `WITH t AS (${definition})
     SELECT (SELECT count(*) FROM (SELECT topic_slug, day, paper_id FROM ${table} EXCEPT ALL SELECT * FROM t) x)::int AS extra,
            (SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT topic_slug, day, paper_id FROM ${table}) x)::int AS missing`,
  )) as { extra: number; missing: number }[];
  return r;
}

/** These papers classified in `slug` alone (replacePaperTopics' rows). */
export function topicRows(papers: readonly string[], slug: string, modelVersion: string) {
  return papers.map((paper_id) => ({ paper_id, topic_slug: slug, score: 0.9, is_primary: true, evidence: [], model_version: modelVersion, content_hash: 'h' }));
}

/**
 * `rows` (a statement writing these papers' rows) in one transaction, and their topics replaced by `slug` in another
 * that starts before the first commits: its triggers wait for the first one's paper-row locks, then see its rows.
 */
export async function writeWhileClassifying(
  ds: DataSource,
  papers: readonly string[],
  rows: (qr: QueryRunner) => Promise<unknown>,
  slug: string,
): Promise<void> {
  const first = ds.createQueryRunner();
  const topics = ds.createQueryRunner();
  await first.startTransaction();
  await topics.startTransaction();
  try {
    await rows(first);
    const second = replacePaperTopics(topics.manager as EntityManager, papers, topicRows(papers, slug, 'concurrent'));
    await new Promise((r) => setTimeout(r, 300));
    await first.commitTransaction();
    await second;
    await topics.commitTransaction();
  } finally {
    await first.release();
    await topics.release();
  }
}

/** The checks of a count table after a write: its counts against their definition (throws when they differ). */
export type ExpectExact = () => Promise<void>;

/**
 * Reclassifies `papers` as the classifier does, checking after each form: topics replaced in a transaction (rag and
 * rare, or peft), then replaced in one statement (delete and insert: the first 30 to peft), then a score update (which
 * keeps the slugs: `rowsOf` must not change).
 */
export async function reclassify(ds: DataSource, papers: readonly string[], expectExact: ExpectExact, rowsOf: () => Promise<number>): Promise<void> {
  const rows = papers.flatMap((paper_id, i) =>
    (i % 2 === 0 ? ['rag', 'rare'] : ['peft']).map((slug) => topicRows([paper_id], slug, 'reclassified')[0]),
  );
  await ds.transaction((m) => replacePaperTopics(m, papers, rows));
  await expectExact();
  await ds.query(
    `WITH d AS (DELETE FROM paper_topics t WHERE t.paper_id = ANY($1::uuid[]) RETURNING paper_id, topic_slug)
     INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT DISTINCT paper_id, 'peft', 0.5, true, '[]'::jsonb, 'one-statement', 'h' FROM d WHERE (SELECT count(*) FROM d) >= 0`,
    [papers.slice(0, 30)],
  );
  await expectExact();
  const before = await rowsOf();
  await ds.query(`UPDATE paper_topics SET score = 0.7 WHERE paper_id = ANY($1::uuid[])`, [papers]);
  if ((await rowsOf()) !== before) throw new Error('a score update wrote count rows');
}

/**
 * Papers deleted (`where`, on papers: their rows go by cascade), the topic rare deleted (cascade) and rag renamed
 * retrieval (cascade of the slug), checking after each; rare comes back (without papers) for what follows.
 */
export async function deleteAndRename(ds: DataSource, where: string, expectExact: ExpectExact, kept: () => Promise<Counts>): Promise<void> {
  await ds.query(`DELETE FROM papers WHERE ${where}`);
  await expectExact();
  await ds.query(`DELETE FROM topics WHERE slug = 'rare'`);
  await expectExact();
  await ds.query(`UPDATE topics SET slug = 'retrieval' WHERE slug = 'rag'`);
  if (Object.keys(await kept()).some((k) => k.startsWith('rag '))) throw new Error('counts of the old slug are left');
  await expectExact();
  await ds.query(`INSERT INTO topics (slug, name, description) VALUES ('rare', 'Rare', 'rare')`);
}
