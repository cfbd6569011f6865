import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate, pendingSchemaChanges } from './data-source';

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
    const tables = await db.ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'papers'`, [db.schema]);
    expect(tables[0].n).toBe(0);
    await db.ds.runMigrations();
    expect(await pendingSchemaChanges(db.ds)).toEqual([]);
  });

  it('the full-text column is generated from title and abstract', async () => {
    await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('title:x', 'Sparse adapters', 'We study retrieval augmented generation.', 'h')`,
    );
    const rows = await db.ds.query(`SELECT paper_key FROM papers WHERE search @@ websearch_to_tsquery('english', 'retrieval adapters')`);
    expect(rows).toEqual([{ paper_key: 'title:x' }]);
  });
});
