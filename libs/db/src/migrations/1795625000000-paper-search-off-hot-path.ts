import type { MigrationInterface, QueryRunner } from 'typeorm';
import { searchExpressionV1Of } from '../entities/paper.entity';
import { createPaperSearchTriggers, dropPaperSearchTriggers } from './1795550000000-paper-search-table';


/**
 * Full-text vectors off the parser's transaction (issue #19): the triggers that computed a paper's
 * tsvector on every insert and text change are dropped; the low-priority `index-search` job computes
 * them for a batch in one statement. Each vector records the content hash it was computed from (a
 * replayed job writes nothing), and paper_versions gets an index on seen_at, the sweeper's way to the
 * recently changed papers whose job was lost. Backfill: the triggers kept every vector current, so
 * existing rows take their paper's hash; a paper without a row (none expected) gets one here.
 */
export class PaperSearchOffHotPath1795625000000 implements MigrationInterface {
  name = 'PaperSearchOffHotPath1795625000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropPaperSearchTriggers(queryRunner);
    await queryRunner.query(`ALTER TABLE "paper_search" ADD "content_hash" text`);
    await queryRunner.query(`UPDATE "paper_search" s SET "content_hash" = p."content_hash" FROM "papers" p WHERE p."id" = s."paper_id"`);
    await queryRunner.query(
      `INSERT INTO "paper_search" ("paper_id", "search", "content_hash")
         SELECT p."id", ${searchExpressionV1Of('p')}, p."content_hash" FROM "papers" p
          WHERE NOT EXISTS (SELECT 1 FROM "paper_search" s WHERE s."paper_id" = p."id")`,
    );
    await queryRunner.query(`ALTER TABLE "paper_search" ALTER COLUMN "content_hash" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_paper_versions_seen_at" ON "paper_versions" ("seen_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_paper_versions_seen_at"`);
    // Vectors still to compute (a job not run yet) are computed before the triggers take over again.
    await queryRunner.query(
      `INSERT INTO "paper_search" ("paper_id", "search", "content_hash")
         SELECT p."id", ${searchExpressionV1Of('p')}, p."content_hash" FROM "papers" p
           LEFT JOIN "paper_search" s ON s."paper_id" = p."id"
          WHERE s."content_hash" IS DISTINCT FROM p."content_hash"
       ON CONFLICT ("paper_id") DO UPDATE SET "search" = EXCLUDED."search", "content_hash" = EXCLUDED."content_hash"`,
    );
    await queryRunner.query(`ALTER TABLE "paper_search" DROP COLUMN "content_hash"`);
    await createPaperSearchTriggers(queryRunner);
  }
}
