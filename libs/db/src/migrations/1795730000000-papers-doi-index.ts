import type { MigrationInterface, QueryRunner } from 'typeorm';

/** From this heap size the index builds CONCURRENTLY (as 1795630000000-paper-stages-read-indexes). */
const CONCURRENT_BUILD_FROM_BYTES = 64 * 1024 * 1024;

/**
 * A paper by its DOI, whatever its identity key: a paper with an arXiv id is keyed `arxiv:…`, so a pasted journal
 * DOI (`10.1145/…`, a doi.org URL, `doi:…`) found it only when the DOI was its key. `findPaperId` and
 * `resolvePaperRefs` now also look the DOI up here (lower-cased, as paper keys are). Partial: most papers have none.
 *
 * Outside a transaction, so that a large catalogue gets CONCURRENTLY (papers keep being written while it builds);
 * a small table (a fresh install, a test schema) gets a plain build. An interrupted build leaves an invalid index
 * and no migration record; the re-run drops it first.
 */
export class PapersDoiIndex1795730000000 implements MigrationInterface {
  name = 'PapersDoiIndex1795730000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ bytes }]: { bytes: string }[] = await queryRunner.query(`SELECT pg_relation_size('papers') AS bytes`);
    const concurrently = Number(bytes) >= CONCURRENT_BUILD_FROM_BYTES ? 'CONCURRENTLY' : '';
    await queryRunner.query(`DROP INDEX ${concurrently} IF EXISTS "idx_papers_doi"`);
    await queryRunner.query(
      `CREATE INDEX ${concurrently} "idx_papers_doi" ON "papers" (lower("doi")) WHERE "doi" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_papers_doi"`);
  }
}
