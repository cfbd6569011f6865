import type { MigrationInterface, QueryRunner } from 'typeorm';

/** OAI-PMH sources remember where their last complete harvest started (incremental harvesting). */
export class SourcesHarvestedUntil1795560000000 implements MigrationInterface {
  name = 'SourcesHarvestedUntil1795560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" ADD "harvested_until" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "harvested_until"`);
  }
}
