import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The parse failure of the document a source serves (null once a document parsed, or a fetch brought another
 * one): a 304 says the upstream still serves that document, so the source goes on failing with its reason, even
 * where a fetch failure in between overwrote `last_error`. Sources failing from a document now keep its reason.
 */
export class SourceServedDocumentError1796170000000 implements MigrationInterface {
  name = 'SourceServedDocumentError1796170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" ADD "served_document_error" text`);
    await queryRunner.query(
      `UPDATE "sources" SET "served_document_error" = "last_error" WHERE "last_error_from" = 'parse'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "served_document_error"`);
  }
}
