import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether this server can compress with lz4 (a build option of Postgres 14+; the official images have it). */
export async function serverHasLz4(queryRunner: QueryRunner): Promise<boolean> {
  const rows: { ok: boolean }[] = await queryRunner.query(
    `SELECT 'lz4' = ANY(enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  return rows[0]?.ok === true;
}

/** The columns whose values Postgres compresses on the ingest path (issue #19). */
export const LZ4_COLUMNS: [table: string, columns: string[]][] = [
  ['raw_documents', ['body']],
  ['papers', ['title', 'abstract', 'original_title', 'original_abstract', 'authors', 'links']],
  ['paper_versions', ['title', 'abstract']],
];

/**
 * The large values of the ingest path are compressed with lz4 instead of pglz (issue #19); the bytes read
 * back are the same.
 * - Raw document bodies: compressed once by the fetcher's insert, decompressed by every read, and the
 *   parser reads a large document in 256 KB slices, each decompressed from the start of the body. On the
 *   bench's 2 MB OAI pages pglz cost ~37 ms of the fetcher's backend per page to compress and ~15 ms of
 *   the parser's to read the slices; lz4 ~10 ms and ~4 ms, with a smaller result (0.79 vs 0.88 MB).
 * - `papers` and `paper_versions` rows over ~2 kB get their largest values compressed on insert (a third
 *   of the bench's papers); pglz tries and often gives up on an abstract, lz4 compresses more of them
 *   for half the CPU (30,000 papers rows: 21 vs 11 µs per insert), and the stages read them back faster.
 *
 * Only new values are compressed with lz4: existing ones stay pglz and read as before (Postgres records
 * the method per value). A server built without lz4 keeps pglz (the migration does nothing).
 */
export class Lz4Compression1795640000000 implements MigrationInterface {
  name = 'Lz4Compression1795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await serverHasLz4(queryRunner))) return;
    for (const [table, columns] of LZ4_COLUMNS)
      await queryRunner.query(
        `ALTER TABLE "${table}" ${columns.map((c) => `ALTER COLUMN "${c}" SET COMPRESSION lz4`).join(', ')}`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Postgres 13 has no per-column compression (nor `SET COMPRESSION`): there is nothing to undo
    if (!(await serverHasLz4(queryRunner))) return;
    for (const [table, columns] of LZ4_COLUMNS)
      await queryRunner.query(
        `ALTER TABLE "${table}" ${columns.map((c) => `ALTER COLUMN "${c}" SET COMPRESSION DEFAULT`).join(', ')}`,
      );
  }
}
