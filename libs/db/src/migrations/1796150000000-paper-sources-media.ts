import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Hugging Face Daily Papers says of an item that its API serves again (the HF-compatible /api/*): the item's media
 * (`mediaUrls`, https images and videos) and whether an author takes part in its discussion (`isAuthorParticipating`).
 * Null when the source did not say (every other source); no index: read by paper_id with the page's sightings.
 */
export class PaperSourcesMedia1796150000000 implements MigrationInterface {
  name = 'PaperSourcesMedia1796150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" ADD "media_urls" text array, ADD "author_participating" boolean`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" DROP COLUMN "author_participating", DROP COLUMN "media_urls"`);
  }
}
