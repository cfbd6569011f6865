import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REBUILD_READ_MODEL_SQL } from '../queries/read-model';

/**
 * The read model of the public listings (issue #16): every listing reads a narrow table through an
 * index in its own order, instead of aggregating `paper_sources` over the whole catalogue per request.
 *
 * - `paper_read`: one row per sighted paper: first appearance t0 (and its UTC day, ISO week, month),
 *   community signals (max over sightings), distinct sources, the HF submitter, and
 *   trend_key = ln(signal) + ln2/48 · hours_since_epoch(t0) (NULL when the signal is 0): ordering by
 *   trend_key is ordering by the decayed score at any moment, so no decay job is needed.
 * - `paper_days`: one row per paper and UTC day it was sighted on (a paper announced Monday and
 *   featured Tuesday is on both days), with that day's rank keys (max upvotes of the day's sightings,
 *   a text capture's position, the sighting time).
 *
 * The parser keeps both current in the transaction that writes papers and sightings
 * (`refreshReadModel`). This migration fills them from the existing rows.
 * Also: an index for the newest-first paper list and its keyset, one for claim search by metric, and
 * one on created_at (never updated, so stage updates stay HOT) for the pipeline stats window.
 */
export class ReadModel1795580000000 implements MigrationInterface {
  name = 'ReadModel1795580000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "paper_read" ("paper_id" uuid NOT NULL, "t0" TIMESTAMP WITH TIME ZONE NOT NULL, "day0" date NOT NULL, "week0" date NOT NULL, "month0" date NOT NULL, "featured_at" TIMESTAMP WITH TIME ZONE, "upvotes" integer, "comments" integer, "stars" integer, "sources" integer NOT NULL, "submitted_by" text, "signal" double precision NOT NULL, "trend_key" double precision, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_paper_read" PRIMARY KEY ("paper_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "paper_read" ADD CONSTRAINT "FK_paper_read_paper" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "paper_days" ("paper_id" uuid NOT NULL, "day" date NOT NULL, "upvotes" integer, "capture_pos" bigint, "sighted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_paper_days" PRIMARY KEY ("paper_id", "day"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "paper_days" ADD CONSTRAINT "FK_paper_days_paper" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(REBUILD_READ_MODEL_SQL);
    // Windows (t0 >= now() - window ORDER BY trend_key DESC): recent papers have the largest keys.
    await queryRunner.query(`CREATE INDEX "idx_paper_read_trend" ON "paper_read" ("trend_key" DESC, "paper_id" DESC) WHERE "trend_key" IS NOT NULL`);
    // Week / month listings by trending, and any period by first appearance.
    await queryRunner.query(`CREATE INDEX "idx_paper_read_week" ON "paper_read" ("week0", coalesce("trend_key", '-Infinity'::float8) DESC, "t0" DESC, "paper_id" DESC)`);
    await queryRunner.query(`CREATE INDEX "idx_paper_read_month" ON "paper_read" ("month0", coalesce("trend_key", '-Infinity'::float8) DESC, "t0" DESC, "paper_id" DESC)`);
    await queryRunner.query(`CREATE INDEX "idx_paper_read_t0" ON "paper_read" ("t0" DESC, "paper_id" DESC)`);
    await queryRunner.query(`CREATE INDEX "idx_paper_read_submitter" ON "paper_read" ("submitted_by", "t0" DESC) WHERE "submitted_by" IS NOT NULL`);
    // A day in the Daily Papers order.
    await queryRunner.query(
      `CREATE INDEX "idx_paper_days_rank" ON "paper_days" ("day", "upvotes" DESC NULLS LAST, "capture_pos" ASC NULLS LAST, "sighted_at" DESC, "paper_id")`,
    );
    // /v1/papers newest first (and its keyset), feeds, claim search by metric, the stats window.
    await queryRunner.query(`CREATE INDEX "idx_papers_sort_at" ON "papers" ((coalesce("published_at", "created_at")) DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "idx_papers_created" ON "papers" ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_paper_claims_metric" ON "paper_claims" (lower("metric"), "paper_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_paper_claims_metric"`);
    await queryRunner.query(`DROP INDEX "idx_papers_created"`);
    await queryRunner.query(`DROP INDEX "idx_papers_sort_at"`);
    await queryRunner.query(`DROP TABLE "paper_days"`);
    await queryRunner.query(`DROP TABLE "paper_read"`);
  }
}
