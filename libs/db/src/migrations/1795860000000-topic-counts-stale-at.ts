import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `topic_counts.stale_at`: until when a listing (GET /v1/topics on a large catalogue) trusts the rollup. The writer
 * sets it (refreshTopicCounts: now + topicCountsFreshSeconds of the sweeper's period), so the window follows the
 * period the sweeper actually runs at, whatever RECONCILE_EVERY_SECONDS the api's own environment holds. It was a
 * fixed 300 s after refreshed_at: a sweeper set to sweep every 300 s or more left every listing computing the counts
 * itself (1.0-1.35 s at 2M papers) for part of each period.
 *
 * The table has one row per topic (~20): the column is added, filled as the old rule read it (refreshed_at + 300 s)
 * and made NOT NULL in the migration's transaction, in milliseconds.
 */
export class TopicCountsStaleAt1795860000000 implements MigrationInterface {
  name = 'TopicCountsStaleAt1795860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "topic_counts" ADD "stale_at" timestamptz`);
    await queryRunner.query(`UPDATE "topic_counts" SET "stale_at" = "refreshed_at" + interval '300 seconds'`);
    await queryRunner.query(`ALTER TABLE "topic_counts" ALTER "stale_at" SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "topic_counts" DROP COLUMN "stale_at"`);
  }
}
