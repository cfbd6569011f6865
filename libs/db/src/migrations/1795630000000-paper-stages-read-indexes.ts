import type { MigrationInterface, QueryRunner } from 'typeorm';
import { paperStageResetFunction, paperStagesTable } from './1795620000000-paper-stages';

const PAPER_STAGES_READ_INDEXES: [string, string][] = [
  ['idx_paper_stages_in_flight', `("paper_id") WHERE "notified_at" IS NULL`],
  ['idx_paper_stages_notified', `("notified_at", "paper_id") WHERE "notified_at" IS NOT NULL`],
];

/** From this heap size (~150k stage rows at fillfactor 40) the indexes build CONCURRENTLY. */
const CONCURRENT_BUILD_FROM_BYTES = 64 * 1024 * 1024;

/**
 * The reads of `paper_stages` cost what they return instead of a scan of the catalogue (issue #19):
 * - `idx_paper_stages_in_flight`: papers not yet notified (the sweeper's `stuckPapers`); a few
 *   thousand entries at any catalogue size;
 * - `idx_paper_stages_notified`: notified papers by notified_at (a resumed subscription's backfill
 *   and its count, a digest's window), with the paper id for the order and an index-only scan.
 *
 * Neither names `stage` or `stage_at` (as a key or in its predicate), so the moves to classified and
 * extracted stay HOT updates; only the move to notified (and a return from it) changes an indexed
 * column. For that, `notified_at` is set exactly while a paper is at `notified`: the notify move sets
 * it (advanceStage), and every return to an earlier stage clears it: the reset trigger (replaced here
 * to clear it too) and reclassify / reextract (resetPapersToStage). Rows that break this (a return
 * before this migration) are put right first. The predicates are disjoint, so a row is in one index.
 *
 * Outside a transaction (`transaction = false`), so that a large table gets CONCURRENTLY: papers keep
 * moving while the indexes build (two scans; ~15 s at 2M rows). CONCURRENTLY also waits for every
 * statement already running in the database, so a small table (a fresh install, a test schema beside
 * other tests) gets a plain build: the write lock lasts milliseconds there. An interrupted build leaves
 * an invalid index and no migration record; the re-run drops it first. `down` runs inside the undo
 * transaction, hence a plain DROP INDEX; it keeps the cleared notified_at values.
 */
export class PaperStagesReadIndexes1795630000000 implements MigrationInterface {
  name = 'PaperStagesReadIndexes1795630000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      paperStageResetFunction(
        'CREATE OR REPLACE',
        await paperStagesTable(queryRunner),
        `, "notified_at" = NULL`,
      ),
    );
    await queryRunner.query(
      `UPDATE "paper_stages" SET "notified_at" = CASE WHEN "stage" = 'notified' THEN "stage_at" END
        WHERE ("stage" = 'notified') = ("notified_at" IS NULL)`,
    );
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
    await queryRunner.query(
      paperStageResetFunction('CREATE OR REPLACE', await paperStagesTable(queryRunner), ''),
    );
    for (const [name] of [...PAPER_STAGES_READ_INDEXES].reverse())
      await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
