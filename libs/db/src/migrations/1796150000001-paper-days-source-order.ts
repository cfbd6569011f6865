import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A day in its source's own order (the HF-compatible /api/daily_papers: Hugging Face's API order, kept as capture_pos
 * by the parser), then as the Daily Papers page ranks it: a page of a day is read in this index's order, its cost the
 * page's whatever the day's size.
 */
export class PaperDaysSourceOrder1796150000001 implements MigrationInterface {
  name = 'PaperDaysSourceOrder1796150000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_paper_days_source" ON "paper_days" ("day", "capture_pos" ASC NULLS LAST, "upvotes" DESC NULLS LAST, "sighted_at" DESC, "paper_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_paper_days_source"`);
  }
}
