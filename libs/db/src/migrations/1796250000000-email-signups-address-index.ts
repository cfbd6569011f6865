import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The home page's sign-ups by address (no owner key, email): the pending one a repeated request finds, and the
 * earlier ones a confirmation replaces, by an index lookup rather than a scan of every subscription.
 */
export class EmailSignupsAddressIndex1796250000000 implements MigrationInterface {
  name = 'EmailSignupsAddressIndex1796250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "subscriptions_email_signup_address" ON "subscriptions" (lower("target")) WHERE "owner_key_id" IS NULL AND "channel" = 'email'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "subscriptions_email_signup_address"`);
  }
}
