import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAPERS_SEARCH_EXPRESSION } from '../entities/paper.entity';

/**
 * Stage changes are the most frequent write of the pipeline (four per paper). They become HOT
 * updates (no index touched, tuple stays on its page):
 * - the full-text column is kept by a trigger that fires only when the title or abstract changes,
 *   instead of a generated column recomputed (and re-indexed in GIN) on every update;
 * - no index covers `stage` / `stage_at` (the reconciler's scan is rare and cheap enough);
 * - papers pages keep free space for the new tuple versions (fillfactor).
 */
export class PapersHotUpdates1795540000000 implements MigrationInterface {
  name = 'PapersHotUpdates1795540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_papers_stage"`);
    await queryRunner.query(`ALTER TABLE "papers" ALTER COLUMN "search" DROP EXPRESSION`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "table" = $3`, ['GENERATED_COLUMN', 'search', 'papers']);
    await queryRunner.query(
      `CREATE FUNCTION papers_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW."search" := ${PAPERS_SEARCH_EXPRESSION.replace(/"title"/g, 'NEW."title"').replace(/"abstract"/g, 'NEW."abstract"')};
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER papers_search_refresh BEFORE INSERT OR UPDATE OF "title", "abstract" ON "papers" FOR EACH ROW EXECUTE FUNCTION papers_search_refresh()`,
    );
    await queryRunner.query(`ALTER TABLE "papers" SET (fillfactor = 60)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "papers" RESET (fillfactor)`);
    await queryRunner.query(`DROP TRIGGER papers_search_refresh ON "papers"`);
    await queryRunner.query(`DROP FUNCTION papers_search_refresh()`);
    await queryRunner.query(`DROP INDEX "idx_papers_search"`);
    await queryRunner.query(`ALTER TABLE "papers" DROP COLUMN "search"`);
    await queryRunner.query(`ALTER TABLE "papers" ADD "search" tsvector GENERATED ALWAYS AS (${PAPERS_SEARCH_EXPRESSION}) STORED NOT NULL`);
    const database = await queryRunner.getCurrentDatabase();
    const schema = await queryRunner.getCurrentSchema();
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [database, schema, 'papers', 'GENERATED_COLUMN', 'search', PAPERS_SEARCH_EXPRESSION],
    );
    await queryRunner.query(`CREATE INDEX "idx_papers_search" ON "papers" USING GIN ("search")`);
    await queryRunner.query(`CREATE INDEX "idx_papers_stage" ON "papers" ("stage", "stage_at")`);
  }
}
