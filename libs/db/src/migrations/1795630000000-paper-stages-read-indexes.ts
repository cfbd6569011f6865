import type { MigrationInterface, QueryRunner } from 'typeorm';

const PAPER_STAGES_READ_INDEXES: [string, string][] = [
  ['idx_paper_stages_in_flight', `("stage", "stage_at") WHERE "stage" <> 'notified'`],
  ['idx_paper_stages_notified', `("notified_at", "paper_id") WHERE "stage" = 'notified'`],
];

/** From this heap size (~150k stage rows at fillfactor 40) the indexes build CONCURRENTLY. */
const CONCURRENT_BUILD_FROM_BYTES = 64 * 1024 * 1024;

/**
 * The reads of `paper_stages` cost what they return instead of a scan of the catalogue (issue #19):
 * - `idx_paper_stages_in_flight`: papers not yet notified, by stage and time in it (the sweeper's
 *   `stuckPapers`); a few thousand entries at any catalogue size;
 * - `idx_paper_stages_notified`: notified papers by notified_at (a resumed subscription's backfill
 *   and its count, a digest's window), with the paper id for the order and an index-only scan.
 * The predicates are disjoint, so a stage move adds one entry to one of them. The price: stage moves
 * are no longer HOT updates (each also adds a primary-key entry, which bottom-up deletion reclaims).
 *
 * Outside a transaction (`transaction = false`), so that a large table gets CONCURRENTLY: papers keep
 * moving while the indexes build (two scans; ~15 s at 2M rows). CONCURRENTLY also waits for every
 * statement already running in the database, so a small table (a fresh install, a test schema beside
 * other tests) gets a plain build: the write lock lasts milliseconds there. An interrupted build leaves
 * an invalid index and no migration record; the re-run drops it first. `down` runs inside the undo
 * transaction, hence a plain DROP INDEX.
 */
export class PaperStagesReadIndexes1795630000000 implements MigrationInterface {
  name = 'PaperStagesReadIndexes1795630000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ bytes }]: { bytes: string }[] = await queryRunner.query(
      `SELECT pg_relation_size('paper_stages') AS bytes`,
    );
    const concurrently = Number(bytes) >= CONCURRENT_BUILD_FROM_BYTES ? 'CONCURRENTLY' : '';
    for (const [name, definition] of PAPER_STAGES_READ_INDEXES) {
      await queryRunner.query(`DROP INDEX ${concurrently} IF EXISTS "${name}"`);
      await queryRunner.query(`CREATE INDEX ${concurrently} "${name}" ON "paper_stages" ${definition}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...PAPER_STAGES_READ_INDEXES].reverse())
      await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
