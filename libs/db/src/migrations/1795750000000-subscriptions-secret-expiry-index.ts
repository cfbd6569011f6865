import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweeper's `dropExpiredPreviousSecrets` runs every sweep and looked for ended rotation grace periods by a scan
 * of every subscription (2.9k buffers a minute at 101k subscriptions); the few subscriptions in a rotation are in
 * this partial index, so each sweep reads only them.
 */
export class SubscriptionsSecretExpiryIndex1795750000000 implements MigrationInterface {
  name = 'SubscriptionsSecretExpiryIndex1795750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_subscriptions_secret_expiry" ON "subscriptions" ("previous_secret_expires_at")
        WHERE "previous_secret_expires_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_subscriptions_secret_expiry"`);
  }
}
