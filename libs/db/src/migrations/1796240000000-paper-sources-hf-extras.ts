import type { MigrationInterface, QueryRunner } from 'typeorm';
import { serverHasLz4 } from './1795640000000-lz4-compression';

/**
 * Hugging Face's own fields of a Daily Papers paper that its API serves again (the HF-compatible /api/*): the
 * discussion id, HF's machine-written summary, its model and keywords, who added the GitHub repository, and the
 * summary exactly as HF gives it when PaperWire's normalised abstract differs. One jsonb value per sighting (null for
 * every other source), read by paper_id with the page's sightings like the media; compressed like the texts.
 */
export class PaperSourcesHfExtras1796240000000 implements MigrationInterface {
  name = 'PaperSourcesHfExtras1796240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" ADD "hf_extras" jsonb`);
    if (await serverHasLz4(queryRunner)) await queryRunner.query(`ALTER TABLE "paper_sources" ALTER COLUMN "hf_extras" SET COMPRESSION lz4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_sources" DROP COLUMN "hf_extras"`);
  }
}
