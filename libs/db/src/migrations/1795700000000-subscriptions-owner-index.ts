import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /v1/subscriptions pages a key's subscriptions by keyset in their one order (created_at, id), and a
 * create counts the key's subscriptions against its limit: both read them by owner, which was a scan of every
 * subscription. Operator-made ones (no owner) are never listed by owner.
 */
export class SubscriptionsOwnerIndex1795700000000 implements MigrationInterface {
  name = 'SubscriptionsOwnerIndex1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_subscriptions_owner" ON "subscriptions" ("owner_key_id", "created_at", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_subscriptions_owner"`);
  }
}
