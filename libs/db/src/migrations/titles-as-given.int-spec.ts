import { createTestDb, type TestDb } from '../test-db';
import { TitlesAsGiven1796340000001 } from './1796340000001-titles-as-given';

// Review 26: arXiv titles were stored flattened ("Sub-O(n^2) …"), other sources' as given. Migration 1796340000001
// writes back the source's form kept in original_title (whitespace collapsed), and nothing else.
describe('migration TitlesAsGiven1796340000001', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('titles_given');
  }, 60_000);
  afterAll(() => db?.drop());

  const insert = async (key: string, title: string, original: string | null) =>
    (
      (await db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, original_title, content_hash) VALUES ($1, $2, 'An abstract.', $3, md5($1)) RETURNING id`,
        [key, title, original],
      )) as { id: string }[]
    )[0].id;

  it('restores each flattened title from original_title, leaves the others, keeps hashes and stages', async () => {
    const flat = await insert('arxiv:2612.00001', 'Sub-O(n^2) Attention with α-Entmax', 'Sub-$O(n^2)$ Attention with\n  $\\alpha$-Entmax');
    const spaced = await insert('arxiv:2612.00002', 'Plain title on two lines', 'Plain title on\n  two lines');
    const hf = await insert('arxiv:2612.00003', 'Up to $\\times$10 faster', null);
    const dashes = await insert('arxiv:2612.00004', 'Extension – More', 'Extension -- More');
    // more than one batch's worth of untouched papers around them
    await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) SELECT 'title:t' || i, 'T ' || i, 'A', md5(i::text) FROM generate_series(1, 1500) i`,
    );
    await db.ds.query(
      `INSERT INTO paper_versions (paper_id, version, content_hash, title, abstract)
       SELECT id, 1, content_hash, title, abstract FROM papers WHERE id = $1
       UNION ALL SELECT id, 0, 'an older hash', title, abstract FROM papers WHERE id = $1`,
      [flat],
    );
    const before = (await db.ds.query(`SELECT id, content_hash, updated_at FROM papers ORDER BY id`)) as Record<string, unknown>[];
    const stages = (await db.ds.query(`SELECT paper_id, stage FROM paper_stages ORDER BY paper_id`)) as Record<string, unknown>[];
    const runner = db.ds.createQueryRunner();
    try {
      await new TitlesAsGiven1796340000001().up(runner);
    } finally {
      await runner.release();
    }
    const row = async (id: string) =>
      ((await db.ds.query(`SELECT title, original_title FROM papers WHERE id = $1`, [id])) as { title: string; original_title: string | null }[])[0];
    expect(await row(flat)).toEqual({ title: 'Sub-$O(n^2)$ Attention with $\\alpha$-Entmax', original_title: 'Sub-$O(n^2)$ Attention with\n  $\\alpha$-Entmax' });
    expect(await row(spaced)).toEqual({ title: 'Plain title on two lines', original_title: 'Plain title on\n  two lines' });
    expect(await row(hf)).toEqual({ title: 'Up to $\\times$10 faster', original_title: null });
    expect(await row(dashes)).toEqual({ title: 'Extension -- More', original_title: null });
    expect(await db.ds.query(`SELECT id, content_hash, updated_at FROM papers ORDER BY id`)).toEqual(before);
    // the current version's row takes the title; an older version keeps what it was stored with
    expect(await db.ds.query(`SELECT version, title FROM paper_versions WHERE paper_id = $1 ORDER BY version`, [flat])).toEqual([
      { version: 0, title: 'Sub-O(n^2) Attention with α-Entmax' },
      { version: 1, title: 'Sub-$O(n^2)$ Attention with $\\alpha$-Entmax' },
    ]);
    expect(await db.ds.query(`SELECT paper_id, stage FROM paper_stages ORDER BY paper_id`)).toEqual(stages);
  });
});
