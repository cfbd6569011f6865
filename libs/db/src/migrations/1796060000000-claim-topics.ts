import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `claim_topics`: one row per (claim with a metric, topic of its paper), keyed for `/v1/claims?claimMetric=&topic=` in
 * claim order: (topic, lower(metric), the paper's listing date, claim id). Before it, that read walked papers newest
 * first probing each one's topics and metric claims, or read every claim of the metric and sorted them: 17–19k
 * buffers, ~107 ms at 2M papers, growing with the catalogue. Now a page is one descent per (topic, metric text) asked
 * and a primary-key probe per returned claim.
 *
 * Kept exact by statement-level triggers, whichever code wrote the rows (the extractor's and the classifier's one-
 * statement saves delete and re-insert a paper's claims or topics; reclassify / reextract; a deleted paper's
 * cascade; a renamed topic slug's cascade):
 * - claims inserted: their rows for the paper's topics now; claims deleted: their rows; claims updated: theirs redone.
 * - topics inserted: the paper's metric claims now for those topics; deleted: those (paper, topic) pairs' rows when
 *   the pair is gone after the statement (the classifier re-inserts in the same statement).
 * - a paper's listing date (coalesce(published_at, created_at)) changed: its rows' sort_at (a row trigger that fires
 *   on that change only).
 * - TRUNCATE of papers, paper_claims or paper_topics empties it.
 * Every trigger first locks its papers' rows (FOR NO KEY UPDATE, in id order: what the classifier's own UPDATE of
 * them takes; row locks, so a bulk write does not fill the lock table), then reads with fresh snapshots (READ
 * COMMITTED): a claims writer and a topics writer of one paper in two concurrent transactions cannot each miss the
 * other's rows; the later one waits for the earlier one's commit and sees its rows. FK checks' KEY SHARE locks do
 * not conflict with it.
 */
export const CLAIM_TOPICS_FUNCTIONS = [
  `CREATE FUNCTION claim_topics_lock(ps uuid[]) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM 1 FROM papers WHERE id = ANY(ps) ORDER BY id FOR NO KEY UPDATE;
   END $$`,
  `CREATE FUNCTION claim_topics_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     ps uuid[];
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE claim_topics;
       RETURN NULL;
     END IF;
     IF TG_OP IN ('INSERT', 'UPDATE') THEN
       SELECT array_agg(DISTINCT paper_id) INTO ps FROM new_rows;
     END IF;
     IF TG_OP IN ('DELETE', 'UPDATE') THEN
       SELECT array_agg(DISTINCT x) INTO ps FROM (SELECT unnest(ps) UNION SELECT paper_id FROM old_rows) AS t(x);
     END IF;
     IF ps IS NULL THEN
       RETURN NULL;
     END IF;
     PERFORM claim_topics_lock(ps);
     IF TG_TABLE_NAME = 'paper_claims' THEN
       IF TG_OP IN ('DELETE', 'UPDATE') THEN
         DELETE FROM claim_topics ct USING (SELECT DISTINCT paper_id, id FROM old_rows) o
          WHERE ct.paper_id = o.paper_id AND ct.claim_id = o.id;
       END IF;
       IF TG_OP IN ('INSERT', 'UPDATE') THEN
         INSERT INTO claim_topics (paper_id, claim_id, topic_slug, metric, sort_at)
         SELECT c.paper_id, c.id, pt.topic_slug, lower(c.metric), coalesce(p.published_at, p.created_at)
           FROM (SELECT DISTINCT id FROM new_rows) n
           JOIN paper_claims c ON c.id = n.id
           JOIN papers p ON p.id = c.paper_id
           JOIN paper_topics pt ON pt.paper_id = c.paper_id
          WHERE c.metric IS NOT NULL
         ON CONFLICT DO NOTHING;
       END IF;
     ELSE
       IF TG_OP IN ('DELETE', 'UPDATE') THEN
         DELETE FROM claim_topics ct USING (SELECT DISTINCT paper_id, topic_slug FROM old_rows) o
          WHERE ct.paper_id = o.paper_id AND ct.topic_slug = o.topic_slug
            AND NOT EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = o.paper_id AND pt.topic_slug = o.topic_slug);
       END IF;
       IF TG_OP IN ('INSERT', 'UPDATE') THEN
         INSERT INTO claim_topics (paper_id, claim_id, topic_slug, metric, sort_at)
         SELECT c.paper_id, c.id, pt.topic_slug, lower(c.metric), coalesce(p.published_at, p.created_at)
           FROM (SELECT DISTINCT paper_id, topic_slug FROM new_rows) n
           JOIN paper_topics pt ON pt.paper_id = n.paper_id AND pt.topic_slug = n.topic_slug
           JOIN papers p ON p.id = n.paper_id
           JOIN paper_claims c ON c.paper_id = n.paper_id
          WHERE c.metric IS NOT NULL
         ON CONFLICT DO NOTHING;
       END IF;
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION claim_topics_sort_at() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     -- (the row is locked by the UPDATE that fired this)
     UPDATE claim_topics ct SET sort_at = coalesce(p.published_at, p.created_at)
       FROM papers p WHERE p.id = NEW.id AND ct.paper_id = NEW.id;
     RETURN NULL;
   END $$`,
];

const STATEMENT_TRIGGERS: [string, string, 'INSERT' | 'UPDATE' | 'DELETE'][] = [
  ['paper_claims_claim_topics_insert', 'paper_claims', 'INSERT'],
  ['paper_claims_claim_topics_update', 'paper_claims', 'UPDATE'],
  ['paper_claims_claim_topics_delete', 'paper_claims', 'DELETE'],
  ['paper_topics_claim_topics_insert', 'paper_topics', 'INSERT'],
  ['paper_topics_claim_topics_update', 'paper_topics', 'UPDATE'],
  ['paper_topics_claim_topics_delete', 'paper_topics', 'DELETE'],
];
const TRUNCATE_TRIGGERS: [string, string][] = [
  ['papers_claim_topics_truncate', 'papers'],
  ['paper_claims_claim_topics_truncate', 'paper_claims'],
  ['paper_topics_claim_topics_truncate', 'paper_topics'],
];

/** Fills claim_topics from the rows there are (the migration, and tools that load rows with the triggers off). */
export const CLAIM_TOPICS_FILL = `INSERT INTO claim_topics (paper_id, claim_id, topic_slug, metric, sort_at)
  SELECT c.paper_id, c.id, pt.topic_slug, lower(c.metric), coalesce(p.published_at, p.created_at)
    FROM paper_claims c
    JOIN papers p ON p.id = c.paper_id
    JOIN paper_topics pt ON pt.paper_id = c.paper_id
   WHERE c.metric IS NOT NULL
  ON CONFLICT DO NOTHING`;

export class ClaimTopics1796060000000 implements MigrationInterface {
  name = 'ClaimTopics1796060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "claim_topics" (
      "paper_id" uuid NOT NULL, "claim_id" uuid NOT NULL, "topic_slug" text NOT NULL, "metric" text NOT NULL,
      "sort_at" timestamptz NOT NULL,
      CONSTRAINT "PK_claim_topics" PRIMARY KEY ("paper_id", "claim_id", "topic_slug"))`);
    await queryRunner.query(CLAIM_TOPICS_FILL);
    await queryRunner.query(
      `CREATE INDEX "idx_claim_topics_read" ON "claim_topics" ("topic_slug", "metric", "sort_at" DESC, "claim_id" DESC)`,
    );
    for (const sql of CLAIM_TOPICS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, table, op] of STATEMENT_TRIGGERS) {
      const ref = op === 'INSERT' ? 'NEW TABLE AS new_rows' : op === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER ${op} ON "${table}" REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION claim_topics_sync()`,
      );
    }
    for (const [name, table] of TRUNCATE_TRIGGERS) {
      await queryRunner.query(`CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION claim_topics_sync()`);
    }
    await queryRunner.query(`CREATE TRIGGER "papers_claim_topics_sort_at" AFTER UPDATE OF "published_at", "created_at" ON "papers" FOR EACH ROW
      WHEN (coalesce(OLD.published_at, OLD.created_at) IS DISTINCT FROM coalesce(NEW.published_at, NEW.created_at))
      EXECUTE FUNCTION claim_topics_sort_at()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "papers_claim_topics_sort_at" ON "papers"`);
    for (const [name, table] of [...TRUNCATE_TRIGGERS, ...STATEMENT_TRIGGERS]) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION claim_topics_sort_at()`);
    await queryRunner.query(`DROP FUNCTION claim_topics_sync()`);
    await queryRunner.query(`DROP FUNCTION claim_topics_lock(uuid[])`);
    await queryRunner.query(`DROP TABLE "claim_topics"`);
  }
}
