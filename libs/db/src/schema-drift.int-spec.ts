import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate, pendingSchemaChanges } from './data-source';
import { DropPapersTrendingScore1795800000000 } from './migrations/1795800000000-drop-papers-trending-score';
import { paperByRef } from './queries/paper-reads';
import { refreshPaperSearch } from './queries/paper-search';

// libs/testing depends on this lib, so this spec makes its own scratch schema.
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
interface TestDb {
  ds: DataSource;
  schema: string;
  drop(): Promise<void>;
}
async function createTestDb(prefix: string): Promise<TestDb> {
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await ensureDatabase(url, schema);
  const ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  return {
    ds,
    schema,
    drop: async () => {
      await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await ds.destroy();
    },
  };
}

// Fails when an entity changes without a migration (or a migration without its entity).
describe('entities and migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('drift');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrations produce exactly the schema the entities describe', async () => {
    expect(await pendingSchemaChanges(db.ds)).toEqual([]);
  });

  it('migrations can be reverted and re-applied', async () => {
    const migrations = db.ds.migrations.length;
    for (let i = 0; i < migrations; i += 1) await db.ds.undoLastMigration({ transaction: 'each' });
    const tables = await db.ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'papers'`,
      [db.schema],
    );
    expect(tables[0].n).toBe(0);
    await db.ds.runMigrations();
    expect(await pendingSchemaChanges(db.ds)).toEqual([]);
  });

  // The legacy trending score is gone from papers; its down restores it as the initial migration made it, and a
  // paper's detail row (paperByRef, what GET /v1/papers/{id}, the page and `paperwire paper` read) names its columns, so it reads the same with the column there or not.
  it('drops papers.trending_score; down restores it (double precision, not null, 0), and the detail row never has it', async () => {
    const column = () =>
      db.ds.query(
        `SELECT data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'papers' AND column_name = 'trending_score'`,
        [db.schema],
      );
    expect(await column()).toEqual([]);
    const [{ id }]: { id: string }[] = await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('title:legacy', 'Legacy', 'A paper.', 'h0') RETURNING id`,
    );
    const migration = new DropPapersTrendingScore1795800000000();
    const runner = db.ds.createQueryRunner();
    try {
      const without = await paperByRef(db.ds, id);
      expect(without).toMatchObject({ id, title: 'Legacy', stage: 'parsed', trend_key: null });
      await migration.down(runner);
      expect(await column()).toEqual([{ data_type: 'double precision', is_nullable: 'NO' }]);
      expect(await db.ds.query(`SELECT trending_score FROM papers WHERE id = $1`, [id])).toEqual([{ trending_score: 0 }]);
      expect(await paperByRef(db.ds, id)).toEqual(without);
      await migration.up(runner);
      expect(await column()).toEqual([]);
      expect(await pendingSchemaChanges(db.ds)).toEqual([]);
    } finally {
      await runner.release();
      await db.ds.query(`DELETE FROM papers WHERE id = $1`, [id]);
    }
  });

  const matching = async (q: string) =>
    db.ds.query(
      `SELECT p.paper_key FROM papers p JOIN paper_search s ON s.paper_id = p.id WHERE s.search @@ websearch_to_tsquery('english', $1) ORDER BY 1`,
      [q],
    );

  it('computes the full-text document of a paper from its current content, off the write', async () => {
    const paperId = (
      await db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('title:x', 'Sparse adapters', 'We study retrieval augmented generation.', 'h1') RETURNING id`,
      )
    )[0].id;
    // No trigger: the write alone leaves the paper unsearchable until its index-search job runs.
    expect(await matching('retrieval adapters')).toEqual([]);
    expect(await refreshPaperSearch(db.ds, [paperId])).toBe(1);
    expect(await matching('retrieval adapters')).toEqual([{ paper_key: 'title:x' }]);
    // A replay (same content hash) writes nothing.
    expect(await refreshPaperSearch(db.ds, [paperId])).toBe(0);

    // A new abstract (with its new hash) replaces the document.
    await db.ds.query(
      `UPDATE papers SET abstract = 'We prune attention heads.', content_hash = 'h2' WHERE id = $1`,
      [paperId],
    );
    expect(await refreshPaperSearch(db.ds, [paperId])).toBe(1);
    expect(await matching('retrieval')).toEqual([]);
    expect(await matching('pruning heads')).toEqual([{ paper_key: 'title:x' }]);
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM paper_search`)).toEqual([{ n: 1 }]);
    await db.ds.query(`DELETE FROM papers WHERE paper_key = 'title:x'`);
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM paper_search`)).toEqual([{ n: 0 }]);
  });
});
