import type { MigrationInterface, QueryRunner } from 'typeorm';

/** From this heap size the index builds CONCURRENTLY (as 1795730000000-papers-doi-index). */
const CONCURRENT_BUILD_FROM_BYTES = 64 * 1024 * 1024;

/**
 * The deliveries still to send (stored pending or sending), by subscription, with their attempts: what /ops and
 * GET /v1/stats/pipeline count — the held ones (waiting on a paused subscription, heldDeliveryCount) and the mails
 * waiting on the mail server (mailServerState) — read from the index alone. Through idx_deliveries_status each count
 * visited the heap page of every waiting delivery: at 1M papers with 101k subscriptions and 19k waiting deliveries
 * (10k held), 7,997 buffers, 0.54 s cold for the held count; 290 buffers, 15 ms with it. Held deliveries pile up for as
 * long as their subscriptions stay paused, so those counts grew with the pile; the index holds only waiting rows.
 * Every write that enters or leaves it (a status or attempts change) already changes idx_deliveries_status'
 * (status, updated_at), so no update that was HOT stops being one.
 *
 * Outside a transaction, so that a large deliveries table gets CONCURRENTLY; an interrupted build leaves an invalid
 * index and no migration record, and the re-run drops it first.
 */
export class DeliveriesWaitingIndex1796390000000 implements MigrationInterface {
  name = 'DeliveriesWaitingIndex1796390000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ bytes }]: { bytes: string }[] = await queryRunner.query(`SELECT pg_relation_size('deliveries') AS bytes`);
    const concurrently = Number(bytes) >= CONCURRENT_BUILD_FROM_BYTES ? 'CONCURRENTLY' : '';
    await queryRunner.query(`DROP INDEX ${concurrently} IF EXISTS "idx_deliveries_waiting"`);
    await queryRunner.query(
      `CREATE INDEX ${concurrently} "idx_deliveries_waiting" ON "deliveries" ("subscription_id") INCLUDE ("attempts") WHERE "status" IN ('pending', 'sending')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_deliveries_waiting"`);
  }
}
