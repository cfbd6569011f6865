import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's subscriptions by `owner_key_id`, in their listing order: GET /v1/subscriptions (`WHERE owner_key_id = $1
 * ORDER BY created_at, id`) and the 1,000-per-key cap's count, run under the key's lock on every create, read the
 * key's rows (at most 1,000) instead of every subscription of every key: at 101k subscriptions the count read
 * 2,882 buffers (10-11 ms) by a scan of the table, 11 by this index. Revoking a key finds its subscriptions by it too.
 */
export class SubscriptionsOwnerIndex1795690000000 implements MigrationInterface {
  name = 'SubscriptionsOwnerIndex1795690000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_subscriptions_owner" ON "subscriptions" ("owner_key_id", "created_at", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_subscriptions_owner"`);
  }
}
