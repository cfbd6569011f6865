import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAPERS_SEARCH_EXPRESSION, searchExpressionV1Of } from '../entities/paper.entity';


/**
 * The triggers that kept `paper_search` in step with every writer of a title or abstract (dropped by
 * the paper-search-off-hot-path migration, which recreates them on the way down).
 */
export async function createPaperSearchTriggers(queryRunner: QueryRunner): Promise<void> {
  const schema = (await queryRunner.getCurrentSchema()) ?? 'public';
  const table = `"${schema.replace(/"/g, '""')}"."paper_search"`;
  await queryRunner.query(
    `CREATE FUNCTION paper_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO ${table} ("paper_id", "search") VALUES (NEW."id", ${searchExpressionV1Of('NEW')})
         ON CONFLICT ("paper_id") DO UPDATE SET "search" = EXCLUDED."search";
       RETURN NULL;
     END $$`,
  );
  await queryRunner.query(
    `CREATE TRIGGER paper_search_insert AFTER INSERT ON "papers" FOR EACH ROW EXECUTE FUNCTION paper_search_refresh()`,
  );
  await queryRunner.query(
    `CREATE TRIGGER paper_search_update AFTER UPDATE OF "title", "abstract" ON "papers" FOR EACH ROW
       WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."abstract" IS DISTINCT FROM NEW."abstract")
       EXECUTE FUNCTION paper_search_refresh()`,
  );
}

/** Drops what createPaperSearchTriggers made. */
export async function dropPaperSearchTriggers(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TRIGGER paper_search_update ON "papers"`);
  await queryRunner.query(`DROP TRIGGER paper_search_insert ON "papers"`);
  await queryRunner.query(`DROP FUNCTION paper_search_refresh()`);
}

/**
 * Moves the full-text document out of `papers` into `paper_search` (issue #8). Measured on the
 * 20k-paper bench before this change: papers rows averaged 3.7 kB, a third of the four stage
 * updates per paper could not stay HOT, and each of those re-inserted ~150 lexemes into the GIN
 * index (the classified-stage UPDATE took 85 ms per 200 papers, 7× the notified one).
 *
 * Triggers keep `paper_search` in step with every writer of a title or abstract: a row per new
 * paper, and a refresh only when the text really changed (the WHEN clause runs before any call).
 * The function names its table with the schema it was created in, so sessions with another
 * search_path (psql, a reporting role) keep it right too.
 */
export class PaperSearchTable1795550000000 implements MigrationInterface {
  name = 'PaperSearchTable1795550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "paper_search" ("paper_id" uuid NOT NULL, "search" tsvector NOT NULL, CONSTRAINT "PK_62b27e4ca7e326cfdbefd3ab95b" PRIMARY KEY ("paper_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "paper_search" ADD CONSTRAINT "FK_62b27e4ca7e326cfdbefd3ab95b" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`INSERT INTO "paper_search" ("paper_id", "search") SELECT "id", "search" FROM "papers"`);
    await queryRunner.query(`CREATE INDEX "idx_paper_search" ON "paper_search" USING GIN ("search")`);

    await queryRunner.query(`DROP TRIGGER papers_search_refresh ON "papers"`);
    await queryRunner.query(`DROP FUNCTION papers_search_refresh()`);
    await queryRunner.query(`DROP INDEX "idx_papers_search"`);
    await queryRunner.query(`ALTER TABLE "papers" DROP COLUMN "search"`);

    await createPaperSearchTriggers(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropPaperSearchTriggers(queryRunner);
    await queryRunner.query(`ALTER TABLE "papers" ADD "search" tsvector`);
    await queryRunner.query(`UPDATE "papers" p SET "search" = s."search" FROM "paper_search" s WHERE s."paper_id" = p."id"`);
    await queryRunner.query(`UPDATE "papers" SET "search" = ${PAPERS_SEARCH_EXPRESSION} WHERE "search" IS NULL`);
    await queryRunner.query(`ALTER TABLE "papers" ALTER COLUMN "search" SET NOT NULL`);
    await queryRunner.query(
      `CREATE FUNCTION papers_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW."search" := ${searchExpressionV1Of('NEW')};
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER papers_search_refresh BEFORE INSERT OR UPDATE OF "title", "abstract" ON "papers" FOR EACH ROW EXECUTE FUNCTION papers_search_refresh()`,
    );
    await queryRunner.query(`CREATE INDEX "idx_papers_search" ON "papers" USING GIN ("search")`);
    await queryRunner.query(`DROP TABLE "paper_search"`);
  }
}
