import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source's health takes in its latest document, not only its fetch: `last_error_from` says whether `last_error`
 * (and the failure streak) came from the fetch or from a document that could not be parsed, so the parser clears
 * only its own; `skipped_entries` and `skipped_sample` are the entries the latest parsed document skipped (their
 * count and the first few with their reasons), shown by `sources list`, `stats` and /ops without reading raw_documents.
 */
export class SourceDocumentHealth1796140000000 implements MigrationInterface {
  name = 'SourceDocumentHealth1796140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sources" ADD "last_error_from" text, ADD "skipped_entries" integer, ADD "skipped_sample" jsonb`,
    );
    await queryRunner.query(`UPDATE "sources" SET "last_error_from" = 'fetch' WHERE "last_error" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "skipped_sample", DROP COLUMN "skipped_entries", DROP COLUMN "last_error_from"`);
  }
}
