import type { MigrationInterface, QueryRunner } from 'typeorm';

/** From this heap size the indexes build CONCURRENTLY (as 1796390000000-deliveries-waiting-index). */
const CONCURRENT_BUILD_FROM_BYTES = 64 * 1024 * 1024;

const INDEXES: [name: string, definition: string][] = [
  // `paperwire papers remove` / DELETE /v1/admin/papers/{id} skip the removed papers' deliveries not sent yet
  // (deletePapers): through idx_deliveries_status that read every pending delivery (5.1k buffers at 1M papers, 101k
  // subscriptions); this holds the pending ones by paper, so a removal reads the removed papers' own.
  ['idx_deliveries_pending_paper', `("paper_id") WHERE "status" = 'pending' AND "paper_id" IS NOT NULL`],
  // the sweeper's stranded-deliveries check (strandedDeliveries): the waiting paper deliveries by when they were last
  // touched, with their subscription, read from the index alone (the held ones, of paused subscriptions, pile up old:
  // through idx_deliveries_status each one's heap page was visited every sweep, 9.4k buffers at 1M papers)
  ['idx_deliveries_waiting_since', `("updated_at") INCLUDE ("subscription_id", "id") WHERE "status" IN ('pending', 'sending') AND "paper_id" IS NOT NULL`],
];

/**
 * Two partial indexes on deliveries, of the waiting rows only (small however many were sent). Every write that enters
 * or leaves them (a status change, updated_at) already changes idx_deliveries_status' (status, updated_at), so no
 * update that was HOT stops being one. Outside a transaction, so that a large deliveries table gets CONCURRENTLY; an
 * interrupted build leaves an invalid index and no migration record, and the re-run drops it first.
 */
export class DeliveriesPendingPaperIndex1796400000000 implements MigrationInterface {
  name = 'DeliveriesPendingPaperIndex1796400000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ bytes }]: { bytes: string }[] = await queryRunner.query(`SELECT pg_relation_size('deliveries') AS bytes`);
    const concurrently = Number(bytes) >= CONCURRENT_BUILD_FROM_BYTES ? 'CONCURRENTLY' : '';
    for (const [name, definition] of INDEXES) {
      await queryRunner.query(`DROP INDEX ${concurrently} IF EXISTS "${name}"`);
      await queryRunner.query(`CREATE INDEX ${concurrently} "${name}" ON "deliveries" ${definition}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX IF EXISTS "${name}"`);
  }
}
