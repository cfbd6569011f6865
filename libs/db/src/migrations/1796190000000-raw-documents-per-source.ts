import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A raw document is stored once per source and content hash (it was once per content hash): a second source
 * serving the same bytes gets its own document, parsed for it, so its sightings and skipped entries are
 * recorded. A re-poll of the same source with unchanged bytes still finds its document and does not parse again.
 * Down keeps the oldest document of each hash (no table references raw_documents.id).
 */
export class RawDocumentsPerSource1796190000000 implements MigrationInterface {
  name = 'RawDocumentsPerSource1796190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "raw_documents" DROP CONSTRAINT "UQ_3b366947c0cca20b0e61bc0dceb"`);
    await queryRunner.query(
      `ALTER TABLE "raw_documents" ADD CONSTRAINT "uq_raw_documents_source_hash" UNIQUE ("source_id", "content_hash")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "raw_documents" d USING "raw_documents" o
        WHERE o."content_hash" = d."content_hash" AND (o."fetched_at", o."id") < (d."fetched_at", d."id")`,
    );
    await queryRunner.query(`ALTER TABLE "raw_documents" DROP CONSTRAINT "uq_raw_documents_source_hash"`);
    await queryRunner.query(
      `ALTER TABLE "raw_documents" ADD CONSTRAINT "UQ_3b366947c0cca20b0e61bc0dceb" UNIQUE ("content_hash")`,
    );
  }
}
