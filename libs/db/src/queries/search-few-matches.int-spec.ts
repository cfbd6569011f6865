import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { searchExpressionOf, searchKeyOf } from '../entities/paper.entity';
import { statementsOfCall } from '../test-db';
import { SEARCH_FEW_MATCHES, countPaperRows, listPaperRows } from './paper-reads';
import type { Db } from './sql';

jest.setTimeout(120_000);

// A search for a word the planner has no statistics for (a rare word, a misspelling, a word no paper has) was taken
// to match ~0.2% of the catalogue, so the newest-first listing (/v1/papers?q=, the search feeds) walked
// idx_papers_sort_at testing every paper until it had a page: every paper when nothing matched (1M papers: 5.0M
// buffers, 12.7 s, a 503 at the statement timeout). searchMatchIds now reads a search's matches by the full-text
// index, stopped at SEARCH_FEW_MATCHES + 1, and lists few matches by primary key. 20,000 papers of a small
// vocabulary (every word common, as the bench's generator writes them), analysed; three old papers hold a rare word.
// The planner takes the walk only on a large catalogue (below), so the cases pin the statements' shape and cost.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `fewm_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const PAPERS = 20_000;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  const words = ['language', 'model', 'retrieval', 'transformer', 'attention', 'graph', 'vision', 'speech', 'agent', 'benchmark', 'robust', 'sparse'];
  await ds.query(
    `INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash, published_at, created_at)
     SELECT 'arxiv:2601.' || lpad(i::text, 5, '0'), '2601.' || lpad(i::text, 5, '0'),
            'Paper ' || ($1::text[])[1 + i % 12] || ' ' || ($1::text[])[1 + (i / 12) % 12],
            ($1::text[])[1 + i % 12] || ' ' || ($1::text[])[1 + (i * 7) % 12] || ' ' || ($1::text[])[1 + (i * 5) % 12]
              || CASE WHEN i IN (11, 222, 3333) THEN ' quokka' ELSE '' END || '.',
            md5(i::text), now() - make_interval(mins => $2::int - i), now() - make_interval(mins => $2::int - i)
       FROM generate_series(1, $2::int) i`,
    [words, PAPERS],
  );
  await ds.query(
    `INSERT INTO paper_search (paper_id, search, content_hash, search_key) SELECT id, ${searchExpressionOf('papers')}, content_hash, ${searchKeyOf('papers')} FROM papers`,
  );
  await ds.query('ANALYZE');
});

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

/** The papers `q` matches, newest first, by the search's own predicate (the reference the listing must equal). */
async function matchesNewestFirst(q: string, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `SELECT p.id FROM papers p JOIN paper_search s ON s.paper_id = p.id
      WHERE s.search @@ websearch_to_tsquery('english', $1)
      ORDER BY coalesce(p.published_at, p.listed_at, p.created_at) DESC, p.id DESC LIMIT $2`,
    [q, limit],
  );
  return rows.map((r) => r.id);
}

const list = (db: Db, q: string) => listPaperRows(db, { filters: { q }, sort: 'recent', limit: 20 });
const buffersOf = (sent: { buffers: number }[]) => sent.reduce((a, s) => a + s.buffers, 0);

describe('a search that matches few papers', () => {
  it.each([
    ['no paper has the word', 'zzqxvw'],
    ['three old papers have it', 'quokka'],
    ['a misspelt common word', 'retreival'],
  ])('(%s) is listed from its matches by primary key, never a walk of the catalogue in date order', async (_what, q) => {
    const expected = await matchesNewestFirst(q, 21);
    const sent = await statementsOfCall(ds, async (db) => {
      expect((await list(db, q)).map((r) => r.id)).toEqual(expected);
    });
    // the probe of the full-text index, then the page of those papers by primary key (the planner here would not walk
    // the date index either: it does from ~1M papers, where an unknown word's ~0.25% guess makes the walk look cheaper
    // than ~2,500 index matches; the statements' shape is what keeps the plan off the walk at any size)
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(sent[0].text).toMatch(/^SELECT s.paper_id AS id FROM paper_search s /);
    if (expected.length > 0) expect(sent[1].text).toMatch(/SELECT \* FROM papers WHERE id = ANY\(\$\d+::uuid\[\]\) OFFSET 0/);
    else expect(sent.length === 1 || /id = ANY\(/.test(sent[1].text)).toBe(true);
    for (const s of sent) expect(s.plan).not.toMatch(/idx_papers_sort_at|Seq Scan on papers/);
    // a walk tested every paper: ≥ 3 buffers each (the date index, the paper, its search row)
    expect(buffersOf(sent)).toBeLessThan(PAPERS / 20);
  });

  it('is counted from the same matches', async () => {
    const sent = await statementsOfCall(ds, async (db) => {
      expect(await countPaperRows(db, { q: 'quokka' }, 1000)).toBe((await matchesNewestFirst('quokka', 1000)).length);
      expect(await countPaperRows(db, { q: 'zzqxvw' }, 0)).toBe(0);
    });
    for (const s of sent) expect(s.plan).not.toMatch(/idx_papers_sort_at|Seq Scan on papers/);
    expect(buffersOf(sent)).toBeLessThan(PAPERS / 20);
  });
});

describe('a search that matches many papers', () => {
  it('walks the date order as before, after a probe stopped at SEARCH_FEW_MATCHES + 1 matches', async () => {
    const expected = await matchesNewestFirst('retrieval', 21);
    expect(expected).toHaveLength(21);
    const sent = await statementsOfCall(ds, async (db) => {
      expect((await list(db, 'retrieval')).map((r) => r.id)).toEqual(expected);
    });
    expect(sent).toHaveLength(2);
    expect(sent[0].plan).toMatch(new RegExp(`^Limit \\(actual time=[\\d.]+ rows=${SEARCH_FEW_MATCHES + 1} `));
    expect(sent[1].text).not.toMatch(/ANY\(/);
  });
});
