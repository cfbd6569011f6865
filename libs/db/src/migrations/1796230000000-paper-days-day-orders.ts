import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAPER_DAYS_TREND_FILL } from '../queries/read-model';

/**
 * A day's other two orders through an index each, so a page of a day by publication date or by trend is read by
 * keyset from where the previous one ended (its cost the page's, however deep in the day), as the rank order is
 * (idx_paper_days_rank): by publication, the sighting time (the listing's own date for that day); by trend, the
 * paper's trend key, which `paper_days` now carries (`trend_key`, -Infinity for a paper without a signal: the order
 * the listing gave it, kept with paper_read's by refreshReadModel in the same statements), then the sighting time.
 * Before, each page of these orders sorted the whole day (the trend key looked up per row) and skipped an offset.
 */
export class PaperDaysDayOrders1796230000000 implements MigrationInterface {
  name = 'PaperDaysDayOrders1796230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // (a constant default: no table rewrite; then the rows of papers with a signal are written)
    await queryRunner.query(`ALTER TABLE "paper_days" ADD COLUMN "trend_key" double precision NOT NULL DEFAULT '-Infinity'`);
    await queryRunner.query(PAPER_DAYS_TREND_FILL);
    await queryRunner.query(`CREATE INDEX "idx_paper_days_published" ON "paper_days" ("day", "sighted_at" DESC, "paper_id" DESC)`);
    await queryRunner.query(`CREATE INDEX "idx_paper_days_trend" ON "paper_days" ("day", "trend_key" DESC, "sighted_at" DESC, "paper_id" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_paper_days_trend"`);
    await queryRunner.query(`DROP INDEX "idx_paper_days_published"`);
    await queryRunner.query(`ALTER TABLE "paper_days" DROP COLUMN "trend_key"`);
  }
}
