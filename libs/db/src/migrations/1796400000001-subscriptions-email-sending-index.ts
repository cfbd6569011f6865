import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email subscriptions that send (not paused), by id: the mail-waiting count of /ops and GET /v1/stats/pipeline
 * (mailServerState) hashes them from this index alone and counts the retried waiting deliveries of idx_deliveries_waiting
 * against them. Joined row by row, it probed subscriptions' primary key and heap for every waiting delivery tried at
 * least once (~4 buffers each: 24.6k buffers at 101k subscriptions and 6k retried waiting deliveries, as a mail outage
 * leaves them). Its rows change only when an email subscription is paused or resumed (status is indexed already: no
 * update that was HOT stops being one). Small (a uuid per email subscription): built in the migration's transaction.
 */
export class SubscriptionsEmailSendingIndex1796400000001 implements MigrationInterface {
  name = 'SubscriptionsEmailSendingIndex1796400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "idx_subscriptions_email_sending" ON "subscriptions" ("id") WHERE "channel" = 'email' AND "status" <> 'paused'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_subscriptions_email_sending"`);
  }
}
