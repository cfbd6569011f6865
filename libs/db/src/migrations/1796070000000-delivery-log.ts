import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A subscription's delivery log (GET /v1/subscriptions/{id}/deliveries, `paperwire subscriptions deliveries`):
 * its deliveries newest first, a page at a time by the keyset (created_at, id). Without this index a page sorted
 * every delivery of the subscription; with it a page reads about a page of index entries and rows, however many
 * deliveries the subscription has. `next_attempt_at` is when a delivery waiting for a retry is tried again (the
 * delay of its retry job, recorded with the failed attempt), shown in the log.
 */
export class DeliveryLog1796070000000 implements MigrationInterface {
  name = 'DeliveryLog1796070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" ADD COLUMN "next_attempt_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "idx_deliveries_log" ON "deliveries" ("subscription_id", "created_at" DESC, "id" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_deliveries_log"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "next_attempt_at"`);
  }
}
