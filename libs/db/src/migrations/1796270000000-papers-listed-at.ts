import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CLAIM_TOPICS_FUNCTIONS } from './1796060000000-claim-topics';

const OLD_AT = 'coalesce(p.published_at, p.created_at)';
const NEW_AT = 'coalesce(p.published_at, p.listed_at, p.created_at)';

/** claim_topics' trigger functions with a paper's listing date `at` (replacing the ones of 1796060000000). */
const functionsWith = (at: string) =>
  CLAIM_TOPICS_FUNCTIONS.map((f) => f.replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION').split(OLD_AT).join(at));

const sortAtTrigger = (columns: string[], at: (row: string) => string) =>
  `CREATE TRIGGER "papers_claim_topics_sort_at" AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(', ')} ON "papers" FOR EACH ROW
     WHEN (${at('OLD')} IS DISTINCT FROM ${at('NEW')})
     EXECUTE FUNCTION claim_topics_sort_at()`;

/**
 * A paper no source dated is listed by when a source listed it, not by when PaperWire first stored it.
 *
 * The lists, feeds, topic windows and claim order read a paper's listing date, coalesce(published_at, created_at):
 * a paper seen only in a Daily Papers text capture has no publication date (1796160000000 cleared the invented ones),
 * so it counted as new on the day it was ingested — a capture of September 1 ingested in December sat above December's
 * papers in /v1/papers, the topic feeds and `last7`. `listed_at` is the earliest day a source featured such a paper
 * (paper_read.featured_at, kept by refreshReadModel in the writer's transaction, only for papers without
 * published_at, so a dated paper's write path gains nothing), and the listing date becomes
 * coalesce(published_at, listed_at, created_at): idx_papers_sort_at is rebuilt on it, and claim_topics' sort_at
 * follows it (its functions and row trigger, now also on listed_at).
 */
export class PapersListedAt1796270000000 implements MigrationInterface {
  name = 'PapersListedAt1796270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "papers" ADD "listed_at" timestamptz`);
    await queryRunner.query(`DROP TRIGGER "papers_claim_topics_sort_at" ON "papers"`);
    for (const sql of functionsWith(NEW_AT)) await queryRunner.query(sql);
    await queryRunner.query(
      sortAtTrigger(['published_at', 'listed_at', 'created_at'], (r) => `coalesce(${r}.published_at, ${r}.listed_at, ${r}.created_at)`),
    );
    // the row trigger moves these papers' claim_topics rows with them
    await queryRunner.query(`UPDATE papers p SET listed_at = r.featured_at FROM paper_read r
                              WHERE r.paper_id = p.id AND p.published_at IS NULL AND r.featured_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "idx_papers_sort_at"`);
    await queryRunner.query(
      `CREATE INDEX "idx_papers_sort_at" ON "papers" ((coalesce("published_at", "listed_at", "created_at")) DESC, "id" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_papers_sort_at"`);
    await queryRunner.query(`CREATE INDEX "idx_papers_sort_at" ON "papers" ((coalesce("published_at", "created_at")) DESC, "id" DESC)`);
    await queryRunner.query(`DROP TRIGGER "papers_claim_topics_sort_at" ON "papers"`);
    for (const sql of functionsWith(OLD_AT)) await queryRunner.query(sql);
    await queryRunner.query(sortAtTrigger(['published_at', 'created_at'], (r) => `coalesce(${r}.published_at, ${r}.created_at)`));
    await queryRunner.query(`UPDATE claim_topics ct SET sort_at = coalesce(p.published_at, p.created_at)
                              FROM papers p WHERE p.id = ct.paper_id AND p.listed_at IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "papers" DROP COLUMN "listed_at"`);
  }
}
