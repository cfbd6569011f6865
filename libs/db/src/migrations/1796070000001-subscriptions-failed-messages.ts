import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What pauses a webhook endpoint: `failed_messages`, the messages that failed for good (retries exhausted, a fatal
 * answer, a refused target) since the last one delivered. `consecutive_failures` stays the failed attempts since the
 * last delivery, which /ops lists from the first failure on; a failed attempt still to be retried no longer brings a
 * pause nearer. Starts at 0 for every subscription (a constant default: no table rewrite).
 */
export class SubscriptionsFailedMessages1796070000001 implements MigrationInterface {
  name = 'SubscriptionsFailedMessages1796070000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD COLUMN "failed_messages" integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "failed_messages"`);
  }
}
