import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timestamp a source gives its own listing item, kept per sighting: Hugging Face Daily Papers' item
 * `publishedAt` (its submission timestamp, distinct from the paper's arXiv date and from `submittedOnDailyAt`, the
 * day it was featured, kept in `featured_at`). The HF-compatible API serves it as the item's `publishedAt`; a
 * sighting read before this column existed, or from a source that gives none, has null (the listing time is
 * served then). A nullable column without a default: a catalog-only change, no table rewrite.
 */
export class PaperSourcesItemPublishedAt1796095000000 implements MigrationInterface {
  name = 'PaperSourcesItemPublishedAt1796095000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" ADD "item_published_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" DROP COLUMN "item_published_at"`);
  }
}
