import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sightings keep what Hugging Face tells about a paper's presentation: the organisation it credits
 * (`organization.name` / `fullname`) and the social thumbnail, for the cards and the HF-compatible API.
 */
export class PaperSourcesOrganization1795590000000 implements MigrationInterface {
  name = 'PaperSourcesOrganization1795590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "paper_sources" ADD "organization" text, ADD "organization_fullname" text, ADD "thumbnail_url" text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "paper_sources" DROP COLUMN "thumbnail_url", DROP COLUMN "organization_fullname", DROP COLUMN "organization"`,
    );
  }
}
