import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook secret rotation keeps the previous secret signing beside the new one for a grace period:
 * `previous_secret_expires_at` is when it stops (the notifier then signs with the newest secret only), null
 * when no previous secret is kept. Rows that already hold several secrets (none could before rotation had an
 * API) keep them signing until retired: null.
 */
export class PreviousSecretExpiry1795680000000 implements MigrationInterface {
  name = 'PreviousSecretExpiry1795680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "previous_secret_expires_at"`);
  }
}
