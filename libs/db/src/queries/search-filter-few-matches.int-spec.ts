import type { DataSource } from 'typeorm';
import { searchExpressionOf, searchKeyOf } from '../entities/paper.entity';
import { createTestDb, statementsOfCall, type TestDb } from '../test-db';
import { SEARCH_FEW_MATCHES, countPaperRows, listPaperRows } from './paper-reads';
import type { PaperSqlFilters } from './paper-filters';

jest.setTimeout(120_000);

// A search whose word matches more than SEARCH_FEW_MATCHES papers overall but few within its other filters (a topic,
// hasCode…) was listed by walking the whole catalogue's date index, testing each paper for the word and the filters
// until it had a page: every paper when the combination matched fewer than a page (`/v1/papers?q=<word>&topic=<x>` at
// 1M papers: ~3M buffers). searchMatchIds now probes the word within the other filters too, stopped at a page + 1,
// and lists fewer than a page of matches by primary key. 20,000 papers, analysed: `lattice` in a tenth of them
// (2,000), the topic `niche` on every 50th paper (400) and three old lattice papers, hasCode on every 100th paper and
// two old lattice papers; the topic `broad` on every 5th paper (its lattice papers are many).

const PAPERS = 20_000;
let testDb: TestDb;
let ds: DataSource;

beforeAll(async () => {
  testDb = await createTestDb('fewf');
  ds = testDb.ds;
  const words = ['language', 'model', 'retrieval', 'transformer', 'attention', 'graph', 'vision', 'speech', 'agent', 'benchmark', 'robust', 'sparse'];
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at, created_at, has_code)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'),
            'Paper ' || ($1::text[])[1 + i % 12] || ' ' || ($1::text[])[1 + (i / 12) % 12],
            ($1::text[])[1 + i % 12] || ' ' || ($1::text[])[1 + (i * 7) % 12] || CASE WHEN i % 10 = 7 THEN ' lattice' ELSE '' END || '.',
            md5(i::text), now() - make_interval(mins => $2::int - i), now() - make_interval(mins => $2::int - i),
            i % 100 = 3 OR i IN (17, 3017)
       FROM generate_series(1, $2::int) i`,
    [words, PAPERS],
  );
  await ds.query(
    `INSERT INTO paper_search (paper_id, search, content_hash, search_key) SELECT id, ${searchExpressionOf('papers')}, content_hash, ${searchKeyOf('papers')} FROM papers`,
  );
  await ds.query(`INSERT INTO topics (slug, name, description) VALUES ('niche', 'Niche', 'a niche'), ('broad', 'Broad', 'a broad one')`);
  await ds.query(
    `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
     SELECT id, t.slug, 0.9, t.slug = 'niche', '[]', 'm1', content_hash
       FROM papers, (VALUES ('niche'), ('broad')) t (slug)
      WHERE CASE t.slug WHEN 'niche' THEN substr(paper_key, 12)::int % 50 = 0 OR substr(paper_key, 12)::int IN (107, 2007, 4007)
                        ELSE substr(paper_key, 12)::int % 5 = 2 END`,
  );
  await ds.query('ANALYZE');
});

afterAll(async () => {
  await testDb?.drop();
});

/** The papers the filters match, newest first, by their own predicates (the reference the listing must equal). */
async function matchesNewestFirst(f: { topic?: string; hasCode?: boolean }, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `SELECT p.id FROM papers p JOIN paper_search s ON s.paper_id = p.id
      WHERE s.search @@ websearch_to_tsquery('english', 'lattice')
        AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM paper_topics t WHERE t.paper_id = p.id AND t.topic_slug = $1))
        AND ($2::boolean IS NULL OR p.has_code = $2)
      ORDER BY coalesce(p.published_at, p.listed_at, p.created_at) DESC, p.id DESC LIMIT $3`,
    [f.topic ?? null, f.hasCode ?? null, limit],
  );
  return rows.map((r) => r.id);
}

const buffersOf = (sent: { buffers: number }[]) => sent.reduce((a, s) => a + s.buffers, 0);

describe('a search whose word is common but matches few papers within its other filters', () => {
  it.each<[string, PaperSqlFilters, { topic?: string; hasCode?: boolean }]>([
    ['a topic', { topic: ['niche'] }, { topic: 'niche' }],
    ['hasCode', { hasCode: true }, { hasCode: true }],
  ])('(%s) is listed from those matches by primary key, never a walk of the catalogue in date order', async (_what, f, ref) => {
    const expected = await matchesNewestFirst(ref, 21);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(21);
    const sent = await statementsOfCall(ds, async (db) => {
      const rows = await listPaperRows(db, { filters: { q: 'lattice', ...f }, sort: 'recent', limit: 20 });
      expect(rows.map((r) => r.id)).toEqual(expected);
    });
    // the word's probe stopped at the cap, the probe within the filters, the page of those papers by primary key
    expect(sent).toHaveLength(3);
    expect(sent[0].plan).toMatch(new RegExp(`^Limit \\(actual time=[\\d.]+ rows=${SEARCH_FEW_MATCHES + 1} `));
    expect(sent[1].text).toMatch(/^SELECT p.id FROM \(SELECT pt.paper_id AS id FROM paper_topics pt |^SELECT p.id FROM papers p /);
    expect(sent[2].text).toMatch(/SELECT \* FROM papers WHERE id = ANY\(\$\d+::uuid\[\]\) OFFSET 0/);
    // (the probe within the filters is planned as the planner likes: at this size a hash join of two scans)
    for (const s of sent) expect(s.plan).not.toMatch(/idx_papers_sort_at/);
    expect(sent[2].plan).not.toMatch(/Seq Scan on papers/);
    // a walk tested every paper: ≥ 3 buffers each (the date index, the paper, its search row)
    expect(buffersOf(sent)).toBeLessThan(PAPERS / 4);
  });

  it('is counted from the same matches', async () => {
    const expected = (await matchesNewestFirst({ topic: 'niche' }, 1000)).length;
    const sent = await statementsOfCall(ds, async (db) => {
      expect(await countPaperRows(db, { q: 'lattice', topic: ['niche'] }, 1000)).toBe(expected);
    });
    expect(sent).toHaveLength(3);
    expect(sent[2].text).toMatch(/p\.id = ANY\(/);
    for (const s of sent) expect(s.plan).not.toMatch(/idx_papers_sort_at|Seq Scan on papers/);
  });
});

describe('a search whose word is common within its other filters too', () => {
  it('walks the date order as before, after the probes stopped at SEARCH_FEW_MATCHES + 1 matches and at a page + 1', async () => {
    const expected = await matchesNewestFirst({ topic: 'broad' }, 21);
    expect(expected).toHaveLength(21);
    const sent = await statementsOfCall(ds, async (db) => {
      const rows = await listPaperRows(db, { filters: { q: 'lattice', topic: ['broad'] }, sort: 'recent', limit: 20 });
      expect(rows.map((r) => r.id)).toEqual(expected);
    });
    expect(sent).toHaveLength(3);
    expect(sent[1].plan).toMatch(/^Limit \(actual time=[\d.]+ rows=21 /);
    expect(sent[2].text).not.toMatch(/id = ANY\(/);
  });

  it('is not probed twice without other filters', async () => {
    const sent = await statementsOfCall(ds, (db) => listPaperRows(db, { filters: { q: 'lattice' }, sort: 'recent', limit: 20 }));
    expect(sent).toHaveLength(2);
    expect(sent[1].text).not.toMatch(/id = ANY\(/);
  });
});
