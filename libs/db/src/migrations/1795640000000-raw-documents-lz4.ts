import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether this server can compress with lz4 (a build option of Postgres 14+; the official images have it). */
export async function serverHasLz4(queryRunner: QueryRunner): Promise<boolean> {
  const rows: { ok: boolean }[] = await queryRunner.query(
    `SELECT 'lz4' = ANY(enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  return rows[0]?.ok === true;
}

/**
 * Raw document bodies are compressed with lz4 instead of pglz (issue #19). A body is compressed once,
 * by the fetcher's insert, and decompressed by every read: the parser reads a large document in
 * 256 KB slices (`readRawDocumentSlice`), and each slice of a compressed value is decompressed from
 * the start of the body. On the bench's 2 MB OAI pages, pglz cost ~37 ms of the fetcher's backend per
 * page to compress and ~15 ms of the parser's to read the slices; lz4 ~10 ms and ~4 ms, with a
 * smaller result (0.79 vs 0.88 MB a page). The bytes read back are the same.
 *
 * Only new values are compressed with lz4: existing bodies stay pglz and read as before (Postgres
 * records the method per value). A server built without lz4 keeps pglz (the migration does nothing).
 */
export class RawDocumentsLz41795640000000 implements MigrationInterface {
  name = 'RawDocumentsLz41795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await serverHasLz4(queryRunner))
      await queryRunner.query(`ALTER TABLE "raw_documents" ALTER COLUMN "body" SET COMPRESSION lz4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "raw_documents" ALTER COLUMN "body" SET COMPRESSION DEFAULT`);
  }
}
