import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops `papers.trending_score`, the per-paper score of the older trending order. Since session 16 nothing writes
 * or reads it: trending is the read model's `paper_read.trend_key` (read-model.ts), every served trendingScore is
 * computed from that key, and the upsert leaves the column at its default.
 *
 * Dropping a column is a catalog-only change in Postgres: the column is marked dropped in pg_attribute, no row is
 * rewritten and no index is rebuilt, so it takes the table's ACCESS EXCLUSIVE lock only for the catalog update
 * (milliseconds at any catalogue size, once it gets the lock: a long read of papers holds it up, and the writers
 * queue behind it meanwhile). Existing rows keep their 8 bytes until they are next written; new rows store none.
 * No index, view or trigger ever used the column.
 *
 * `down` restores the column as the initial migration made it: double precision NOT NULL DEFAULT 0 (a constant
 * default is catalog-only too since Postgres 11: existing rows read 0, nothing is rewritten).
 */
export class DropPapersTrendingScore1795800000000 implements MigrationInterface {
  name = 'DropPapersTrendingScore1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "papers" DROP COLUMN "trending_score"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "papers" ADD "trending_score" double precision NOT NULL DEFAULT '0'`);
  }
}
