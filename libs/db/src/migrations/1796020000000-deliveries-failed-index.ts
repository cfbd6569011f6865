import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The predicate of idx_deliveries_failed: a delivery whose latest attempt failed (failingEndpointRows reads it). */
export const FAILED_DELIVERY_SQL = `"status" <> 'delivered' AND ("last_error" IS NOT NULL OR "last_status_code" >= 300)`;

/**
 * Why a failing endpoint fails (/ops, GET /v1/stats/pipeline, `paperwire stats`): an active one has no status reason,
 * its latest failed attempt is (failingEndpointRows). Read through the subscription's deliveries index it sorted every
 * delivery of each listed subscription: 50 failing endpoints with 10k deliveries each, 315k buffers, 0.93 s. This
 * partial index holds the failed attempts only, newest first per subscription: one descent each. Every write that
 * enters or leaves it already changes idx_deliveries_status' (status, updated_at), so no update that was HOT stops
 * being one.
 */
export class DeliveriesFailedIndex1796020000000 implements MigrationInterface {
  name = 'DeliveriesFailedIndex1796020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_deliveries_failed" ON "deliveries" ("subscription_id", "updated_at" DESC) WHERE ${FAILED_DELIVERY_SQL}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_deliveries_failed"`);
  }
}
