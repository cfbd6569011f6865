import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source's failure streak as /ops and GET /v1/stats/pipeline show it: since when it fails (`failing_since`, its
 * first failed attempt after a success) and how many polls in a row failed for good (`failed_polls`: a poll's job
 * that gave up, after its retries or at once for a permanent error), beside `consecutive_failures`, which counts
 * every attempt, retries included. Null and 0 while it works. A streak already running when this is applied began
 * at an unknown time and counts no poll: `failing_since` stays null until a success ends it.
 */
export class SourceFailureStreak1796080000000 implements MigrationInterface {
  name = 'SourceFailureStreak1796080000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" ADD "failing_since" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "sources" ADD "failed_polls" integer NOT NULL DEFAULT '0'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "failed_polls"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "failing_since"`);
  }
}
