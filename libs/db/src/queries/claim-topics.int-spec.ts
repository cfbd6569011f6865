import type { DataSource } from 'typeorm';
import { PAPER_NUMBER_SQL, createTestDb, seedNumberedPapers, type TestDb } from '../test-db';
import { ClaimTopics1796060000000 } from '../migrations/1796060000000-claim-topics';
import { searchClaimRows, type ClaimHitRow, type ClaimSearchSql } from './claim-reads';
import { replacePaperClaims } from './paper-claims';
import { SORT_AT, claimConditions, paperConditions } from './paper-filters';
import { replacePaperTopics } from './paper-topics';
import { SqlParams } from './sql';

// `/v1/claims?claimMetric=&topic=` reads `claim_topics` (migration 1796060000000): each (topic, metric text) asked
// is one descent of idx_claim_topics_read in claim order, reading at most a page. Before it, the read walked papers
// or every claim of the metric (17–19k buffers at 2M papers, growing with the catalogue). 20,000 papers, analysed:
// the plan reads the index and no table by a scan, and its buffers stay under a page's worth; pages equal those of
// the generic query (claims joined with papers, topics by EXISTS) on every filter combination and cursor page; the
// table stays equal to its definition after re-extraction, reclassification, deletes, a changed listing date, a
// truncate, and a down / up of the migration on the populated schema.

const N = 20_000;
let db: TestDb;
let ds: DataSource;

const n = PAPER_NUMBER_SQL;

beforeAll(async () => {
  db = await createTestDb('claimtopics');
  ds = db.ds;
  // listing dates i mod 3,000 hours back
  await seedNumberedPapers(ds, N, { published: { step: 60, wrap: 3000 * 60, nullEvery: 50 } });
  await ds.query(
    `INSERT INTO topics (slug, name, description) VALUES ('peft', 'PEFT', 'adapters'), ('rag', 'RAG', 'retrieval'), ('rare', 'Rare', 'rare')
     ON CONFLICT DO NOTHING`,
  );
  // A third of the papers in peft, a fifth in rag (some in both), 1 in 700 in rare.
  await ds.query(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, t, 0.5, true, '[]', 'ct', content_hash
       FROM papers CROSS JOIN unnest(ARRAY['peft', 'rag', 'rare']) t
      WHERE (t = 'peft' AND ${n} % 3 = 0) OR (t = 'rag' AND ${n} % 5 = 0) OR (t = 'rare' AND ${n} % 700 = 0)`,
  );
  // Two claims a paper: an accuracy (or BLEU, 1 in 4; "Acc." 1 in 9) score, and a latency ratio with no metric on odd papers.
  await ds.query(
    `INSERT INTO paper_claims (paper_id, start, "end", text, value, unit, metric, category, kind, is_headline, extractor_version, content_hash)
     SELECT id, 0, 3, 'x', (${n} % 97)::float8, '%',
            CASE WHEN ${n} % 4 = 0 THEN 'BLEU' WHEN ${n} % 9 = 0 THEN 'Acc.' ELSE 'accuracy' END,
            CASE WHEN ${n} % 6 = 0 THEN 'setup' ELSE 'result' END, 'absolute_score', false, 'ct', content_hash FROM papers
     UNION ALL
     SELECT id, 10, 14, 'y', (${n} % 7)::float8, 'x', CASE WHEN ${n} % 2 = 0 THEN 'latency' END, 'result', 'reduction', false, 'ct', content_hash FROM papers`,
  );
  await ds.query('ANALYZE');
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/** The generic read (claims joined with their papers, topics by EXISTS): what a page must equal. */
function referenceRows(q: ClaimSearchSql): Promise<ClaimHitRow[]> {
  const params = new SqlParams();
  const { category, ...claim } = q.claim;
  const conds = [...claimConditions(claim, params), ...paperConditions({ topic: q.topic, since: q.since, until: q.until }, params)];
  if (category) conds.push(`c.category = ${params.add(category)}`);
  if (q.after) conds.push(`(${SORT_AT}, c.id) < (${params.add(q.after[0], 'timestamptz')}, ${params.add(q.after[1], 'uuid')})`);
  return ds.query(
    `SELECT c.id, ${SORT_AT}::text AS sort_at FROM paper_claims c JOIN papers p ON p.id = c.paper_id
      WHERE ${conds.join(' AND ')} ORDER BY ${SORT_AT} DESC, c.id DESC LIMIT ${params.add(q.limit + 1, 'int')}`,
    params.values,
  );
}

/** Every page of a search by cursor, as [claim id, sort_at] (at most `pages` pages). */
async function pagesOf(read: (q: ClaimSearchSql) => Promise<{ id: string; sort_at: string }[]>, q: ClaimSearchSql, pages = 4): Promise<string[][]> {
  const out: string[][] = [];
  let after: readonly [string, string] | undefined;
  for (let i = 0; i < pages; i++) {
    const rows = await read({ ...q, after });
    const page = rows.slice(0, q.limit);
    out.push(page.map((r) => `${r.id} ${r.sort_at}`));
    if (rows.length <= q.limit) break;
    const last = page[page.length - 1];
    after = [last.sort_at, last.id];
  }
  return out;
}

const CASES: [string, ClaimSearchSql][] = [
  ['one metric, one topic', { claim: { metricAliases: ['accuracy'] }, topic: ['peft'], limit: 20 }],
  ['aliases, two topics sharing papers', { claim: { metricAliases: ['accuracy', 'acc.'] }, topic: ['peft', 'rag'], limit: 20 }],
  ['rare topic', { claim: { metricAliases: ['bleu'] }, topic: ['rare'], limit: 5 }],
  ['metric, topic, kind, min, max, category', { claim: { metricAliases: ['accuracy'], kind: 'absolute_score', min: 10, max: 60, category: 'result' }, topic: ['rag'], limit: 20 }],
  ['metric, topic, since, until', { claim: { metricAliases: ['latency'] }, topic: ['peft'], since: new Date(Date.now() - 30 * 86400_000).toISOString(), until: new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10), limit: 20 }],
  ['nothing matches', { claim: { metricAliases: ['f1'] }, topic: ['peft'], limit: 20 }],
];

async function expectTableExact(): Promise<void> {
  const diff: { d: string }[] = await ds.query(
    `WITH want AS (SELECT c.paper_id, c.id AS claim_id, pt.topic_slug, lower(c.metric) AS metric, coalesce(p.published_at, p.created_at) AS sort_at
                     FROM paper_claims c JOIN papers p ON p.id = c.paper_id JOIN paper_topics pt ON pt.paper_id = c.paper_id
                    WHERE c.metric IS NOT NULL),
          have AS (SELECT paper_id, claim_id, topic_slug, metric, sort_at FROM claim_topics)
     SELECT 'missing ' || row(w.*)::text AS d FROM (SELECT * FROM want EXCEPT SELECT * FROM have) w
     UNION ALL SELECT 'extra ' || row(h.*)::text FROM (SELECT * FROM have EXCEPT SELECT * FROM want) h LIMIT 5`,
  );
  expect(diff).toEqual([]);
}

describe('claim search by metric and topic (20,000 papers, analysed)', () => {
  it.each(CASES)('%s: every cursor page equals the generic read', async (_name, q) => {
    const mine = await pagesOf(async (x) => (await searchClaimRows(ds, x)).rows, q);
    const want = await pagesOf(referenceRows, q);
    expect(mine).toEqual(want);
    if (_name !== 'nothing matches') expect(want[0].length).toBeGreaterThan(0);
  });

  it.each(CASES)('%s: the plan walks idx_claim_topics_read, scans no table, reads a page worth of buffers', async (_name, q) => {
    for (const after of [undefined, 'page 3'] as const) {
      let cursor: readonly [string, string] | undefined;
      if (after) {
        const pages = await pagesOf(referenceRows, q, 3);
        const last = pages[pages.length - 1].at(-1);
        if (!last) continue;
        const [id, ...at] = last.split(' ');
        cursor = [at.join(' '), id];
      }
      let plan = '';
      const db = {
        query: async (sql: string, params?: unknown[]) => {
          const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          return [];
        },
      } as unknown as import('./sql').Db;
      await searchClaimRows(db, { ...q, after: cursor });
      if (process.env.SHOW_PLANS) console.log(plan);
      expect(plan).toMatch(/Index (Only )?Scan using idx_claim_topics_read/);
      expect(plan).not.toMatch(/Seq Scan|Bitmap Heap Scan on (paper_claims|papers)\b/);
      const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
      const buffers = Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0);
      // (topics × aliases) descents + a page of claim and paper probes, and the walked claims' rows for their filters
      expect(buffers).toBeLessThan(600);
    }
  });
});

describe('claim_topics stays exact', () => {
  const ids = async (where: string): Promise<string[]> =>
    ((await ds.query(`SELECT id FROM papers WHERE ${where} ORDER BY id`)) as { id: string }[]).map((r) => r.id);

  it('after the inserts that filled the tables', expectTableExact);

  it('after re-extraction: claims replaced, a metric added, one dropped', async () => {
    const papers = await ids(`${n} BETWEEN 1 AND 60`);
    const rows = papers.map((paper_id, i) => ({
      paper_id, start: 0, end: 5, text: 'z', value: i, low: null, unit: '%', unit_text: null, category: 'result', kind: 'absolute_score',
      metric: i % 3 === 0 ? null : i % 3 === 1 ? 'F1' : 'accuracy', improvement: null, baseline: null, compared_to: null, dataset: null,
      qualifier: null, is_headline: false, content_hash: 'h',
    }));
    await ds.transaction((m) => replacePaperClaims(m, papers, rows, 'ct2'));
    await expectTableExact();
    const f1: { n: string }[] = await ds.query(`SELECT count(*)::text AS n FROM claim_topics WHERE metric = 'f1'`);
    expect(Number(f1[0].n)).toBeGreaterThan(0);
  });

  it('after reclassification: topics replaced in the same transaction as the delete', async () => {
    const papers = await ids(`${n} BETWEEN 1 AND 90`);
    const rows = papers.flatMap((paper_id, i) =>
      (i % 2 === 0 ? ['rag', 'rare'] : ['peft']).map((topic_slug) => ({ paper_id, topic_slug, score: 0.9, is_primary: true, evidence: [], model_version: 'ct2', content_hash: 'h' })),
    );
    await ds.transaction((m) => replacePaperTopics(m, papers, rows));
    await expectTableExact();
    // The classifier's one-statement form: delete and re-insert in one statement (the triggers fire at its end).
    await ds.query(
      `WITH d AS (DELETE FROM paper_topics t WHERE t.paper_id = ANY($1::uuid[]) RETURNING paper_id, topic_slug)
       INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       SELECT DISTINCT paper_id, 'peft', 0.5, true, '[]'::jsonb, 'ct3', 'h' FROM d WHERE (SELECT count(*) FROM d) >= 0`,
      [papers.slice(0, 30)],
    );
    await expectTableExact();
  });

  it('after a listing date changes, papers and claims are deleted, a slug is renamed', async () => {
    await ds.query(`UPDATE papers SET published_at = published_at - interval '400 days' WHERE ${n} BETWEEN 100 AND 140`);
    await ds.query(`UPDATE papers SET published_at = NULL WHERE ${n} BETWEEN 141 AND 150`);
    await expectTableExact();
    await ds.query(`DELETE FROM papers WHERE ${n} BETWEEN 200 AND 260`);
    await ds.query(`DELETE FROM paper_claims WHERE paper_id IN (SELECT id FROM papers WHERE ${n} BETWEEN 300 AND 320) AND start = 0`);
    await ds.query(`UPDATE paper_claims SET metric = 'BLEU' WHERE paper_id IN (SELECT id FROM papers WHERE ${n} BETWEEN 321 AND 340) AND start = 0`);
    await ds.query(`UPDATE paper_claims SET metric = NULL WHERE paper_id IN (SELECT id FROM papers WHERE ${n} BETWEEN 341 AND 350) AND start = 0`);
    await ds.query(`DELETE FROM paper_topics WHERE topic_slug = 'rare'`);
    await ds.query(`UPDATE paper_topics SET topic_slug = 'rare' WHERE topic_slug = 'rag' AND paper_id IN (SELECT id FROM papers WHERE ${n} BETWEEN 400 AND 900)`);
    await expectTableExact();
  });

  it('a topics writer and a claims writer of the same papers in concurrent transactions: the later sees the earlier', async () => {
    const papers = await ids(`${n} BETWEEN 1000 AND 1010`);
    const topics = ds.createQueryRunner();
    const claims = ds.createQueryRunner();
    await topics.startTransaction();
    await claims.startTransaction();
    try {
      await replacePaperTopics(topics.manager, papers, papers.map((paper_id) => ({ paper_id, topic_slug: 'rare', score: 0.9, is_primary: true, evidence: [], model_version: 'ct4', content_hash: 'h' })));
      const rows = papers.map((paper_id, i) => ({
        paper_id, start: 0, end: 5, text: 'w', value: i, low: null, unit: '%', unit_text: null, category: 'result', kind: 'absolute_score',
        metric: 'ROUGE-L', improvement: null, baseline: null, compared_to: null, dataset: null, qualifier: null, is_headline: false, content_hash: 'h',
      }));
      // (its triggers wait for the topics writer's paper-row locks)
      const second = replacePaperClaims(claims.manager, papers, rows, 'ct4');
      await new Promise((r) => setTimeout(r, 300));
      await topics.commitTransaction();
      await second;
      await claims.commitTransaction();
    } finally {
      await topics.release();
      await claims.release();
    }
    await expectTableExact();
    const got: { n: string }[] = await ds.query(`SELECT count(*)::text AS n FROM claim_topics WHERE metric = 'rouge-l' AND topic_slug = 'rare'`);
    expect(Number(got[0].n)).toBe(papers.length);
  });

  it('a page still equals the generic read after the writes', async () => {
    const q = CASES[1][1];
    expect(await pagesOf(async (x) => (await searchClaimRows(ds, x)).rows, q)).toEqual(await pagesOf(referenceRows, q));
  });

  it('down and up on the populated schema give the same rows', async () => {
    const before: { n: string }[] = await ds.query(`SELECT count(*)::text AS n FROM claim_topics`);
    expect(Number(before[0].n)).toBeGreaterThan(1000);
    const qr = ds.createQueryRunner();
    try {
      await new ClaimTopics1796060000000().down(qr);
      const gone: { t: string | null }[] = await qr.query(`SELECT to_regclass('claim_topics')::text AS t`);
      expect(gone[0].t).toBeNull();
      await new ClaimTopics1796060000000().up(qr);
    } finally {
      await qr.release();
    }
    const after: { n: string }[] = await ds.query(`SELECT count(*)::text AS n FROM claim_topics`);
    expect(after[0].n).toBe(before[0].n);
    await expectTableExact();
  });

  it('a truncate empties it', async () => {
    await ds.query(`TRUNCATE papers CASCADE`);
    const rows: { n: string }[] = await ds.query(`SELECT count(*)::text AS n FROM claim_topics`);
    expect(rows[0].n).toBe('0');
  });
});
