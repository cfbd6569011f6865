import type { MigrationInterface, QueryRunner } from 'typeorm';
import { paperStageResetFunction, paperStagesTable } from './1795620000000-paper-stages';

/**
 * A paper sent through the pipeline again (`paperwire reclassify` / `reextract`, `--all` included) is not a new paper
 * to its subscribers: `reclassify --all` sent every subscription ~200 papers of the back catalogue as paper.matched
 * webhooks, and the next digests took the whole catalogue as "finished the pipeline today".
 *
 * `first_notified_at` keeps when the paper first reached `notified` for its content, across such returns (they clear
 * notified_at, which is set exactly while a paper is at `notified`). The notify move sets it once and gives
 * notified_at back that first time (advanceStage), so the digest windows and a resume's backfill, which read
 * notified_at, see a reprocessed paper where it was; live matching reads it to tell a reprocessed paper from a new one
 * (recordMatchedDeliveries). A new content hash (a new version) is a new paper, as before: the reset trigger clears it.
 * Rows notified now keep their notified_at as their first; a paper in flight again when this runs counts as new once.
 */
export class PaperStagesFirstNotified1796310000000 implements MigrationInterface {
  name = 'PaperStagesFirstNotified1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_stages" ADD "first_notified_at" TIMESTAMP WITH TIME ZONE`);
    // not indexed: the moves keep their HOT updates
    await queryRunner.query(`UPDATE "paper_stages" SET "first_notified_at" = "notified_at" WHERE "notified_at" IS NOT NULL`);
    await queryRunner.query(
      paperStageResetFunction('CREATE OR REPLACE', await paperStagesTable(queryRunner), `, "notified_at" = NULL, "first_notified_at" = NULL`),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(paperStageResetFunction('CREATE OR REPLACE', await paperStagesTable(queryRunner), `, "notified_at" = NULL`));
    await queryRunner.query(`ALTER TABLE "paper_stages" DROP COLUMN "first_notified_at"`);
  }
}
