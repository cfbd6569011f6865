import type { MigrationInterface, QueryRunner } from 'typeorm';

const SUBSCRIPTION_INDEXES: [string, string][] = [
  // failingEndpointRows (/ops, /v1/stats/pipeline): only the failing rows, in the listing's order
  [
    'idx_subscriptions_failing',
    `("consecutive_failures" DESC, "updated_at" DESC, "id") WHERE "consecutive_failures" > 0`,
  ],
  // GET /v1/admin/subscriptions: every subscription in its one order (created_at, id), by keyset
  ['idx_subscriptions_created', `("created_at", "id")`],
  // ... with ?status=
  ['idx_subscriptions_status_created', `("status", "created_at", "id")`],
  // ... with ?reason= (only paused, disabled and pending subscriptions have one)
  ['idx_subscriptions_reason', `("status_reason", "created_at", "id") WHERE "status_reason" IS NOT NULL`],
];

/**
 * Reads that scanned a table now cost what they return.
 *
 * Subscriptions: the operator's reads use an index instead of a scan of every subscription (measured at
 * 101k subscriptions: the failing endpoints read 4.6k buffers, 24 ms; the admin list 4.8k buffers and a
 * sort, 113 ms). The key columns change only on a streak change, an edit, a status change or a digest, so
 * the notifier's common write (a batch that succeeded, no streak) still writes no subscription row. Plain
 * builds in the migration's transaction: the table is small (~25-36 MB at 100k rows; well under a second).
 *
 * `topic_counts`: GET /v1/topics' counts for a large catalogue (topicsWithCounts above
 * EXACT_TOPIC_COUNT_BELOW topic rows), one row per topic, refreshed by the sweeper about every minute
 * (refreshTopicCounts); a listing reads its ~20 rows instead of the last 60 days' papers (1.0-1.35 s,
 * 298k buffers at 2M papers). No entity, as mail_server_state: nothing but those two statements writes
 * or reads it.
 */
export class SubscriptionIndexesTopicCounts1795710000000 implements MigrationInterface {
  name = 'SubscriptionIndexesTopicCounts1795710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of SUBSCRIPTION_INDEXES)
      await queryRunner.query(`CREATE INDEX "${name}" ON "subscriptions" ${definition}`);
    await queryRunner.query(
      `CREATE TABLE "topic_counts" (
         "topic_slug" text PRIMARY KEY,
         "papers" integer NOT NULL,
         "primary_count" integer NOT NULL,
         "last7" integer NOT NULL,
         "prev7" integer NOT NULL,
         "last30" integer NOT NULL,
         "prev30" integer NOT NULL,
         "refreshed_at" timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "topic_counts"`);
    for (const [name] of [...SUBSCRIPTION_INDEXES].reverse()) await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
