import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `topic_day_counts`: how many papers of a topic a day lists (`paper_days` joined with `paper_topics`), so the total of
 * a day listing filtered by one topic (`/?topic=&date=`, `/v1/daily?topic=`) is one index read, not a walk of the
 * whole day probing each paper's topics (a 20k-paper day: 20k probes on every page, the last page's as the first's).
 *
 * Kept exact by statement-level triggers, whichever code wrote the rows, as deltas: each statement that inserts or
 * deletes `paper_days` rows, or inserts, deletes or renames (cascade of a topic's slug) `paper_topics` rows, appends
 * one row per (topic, day) it changed, `papers` = the number of (paper, topic, day) triples it added minus those it
 * removed, computed against the other table as it is then. The total of a (topic, day) is the sum of its rows. No
 * trigger updates or deletes a row: no writer ever waits for another one's count (the rows of the busiest day are
 * not hot rows), and the sweeper folds a (topic, day)'s rows into one (compactTopicDayCounts, which finds the pairs
 * with deltas through a partial index of the rows not folded yet: a pass costs the deltas, not the table), so a read
 * sums the deltas written since the last sweep at most.
 * - Like claim_topics (1796060000000), each trigger first locks its papers' rows (claim_topics_lock: FOR NO KEY UPDATE
 *   in id order; the pipeline's writers hold them already) and reads with a fresh snapshot: a paper's day written by
 *   one transaction and its topic by another are counted once, by the later one.
 * - A deleted paper: its rows of both tables go by the same cascade, whose statement triggers fire after it, when
 *   neither table holds the other's rows any more. So a row trigger BEFORE DELETE on papers removes the paper's
 *   triples while they are there, and the statement triggers skip the rows of papers that are gone.
 * - `paper_days` rows change key only by insert or delete (its upserts update the rank columns): updates do not count.
 * - TRUNCATE of papers, paper_days or paper_topics empties it.
 */
export const TOPIC_DAY_COUNTS_FUNCTIONS = [
  // The triples of these (paper, day) pairs, `delta` each, by (topic, day). (Each pair reaches paper_topics by its
  // primary key: LATERAL … OFFSET 0 is never planned as a scan of the table.)
  `CREATE FUNCTION topic_day_counts_days(ps uuid[], ds date[], delta int) RETURNS void LANGUAGE sql AS $$
     INSERT INTO topic_day_counts (topic_slug, day, papers)
     SELECT pt.topic_slug, r.day, delta * count(*)
       FROM unnest(ps, ds) AS r(paper_id, day)
      CROSS JOIN LATERAL (SELECT topic_slug FROM paper_topics WHERE paper_id = r.paper_id OFFSET 0) pt
      WHERE EXISTS (SELECT 1 FROM papers p WHERE p.id = r.paper_id)
      GROUP BY 1, 2
   $$`,
  // The triples of these (paper, topic) pairs, each `signs`' own, by (topic, day).
  `CREATE FUNCTION topic_day_counts_topics(ps uuid[], ts text[], signs int[]) RETURNS void LANGUAGE sql AS $$
     INSERT INTO topic_day_counts (topic_slug, day, papers)
     SELECT c.topic_slug, pd.day, sum(c.sign)
       FROM unnest(ps, ts, signs) AS c(paper_id, topic_slug, sign)
      CROSS JOIN LATERAL (SELECT day FROM paper_days WHERE paper_id = c.paper_id OFFSET 0) pd
      WHERE EXISTS (SELECT 1 FROM papers p WHERE p.id = c.paper_id)
      GROUP BY 1, 2
     HAVING sum(c.sign) <> 0
   $$`,
  // One trigger function for both tables (statement triggers: transition tables new_rows / old_rows).
  `CREATE FUNCTION topic_day_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     ps uuid[];
     ds date[];
     ts text[];
     signs int[];
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE topic_day_counts;
       RETURN NULL;
     END IF;
     IF TG_TABLE_NAME = 'paper_days' THEN
       IF TG_OP = 'INSERT' THEN
         SELECT array_agg(paper_id), array_agg(day) INTO ps, ds FROM (SELECT DISTINCT paper_id, day FROM new_rows) r;
       ELSE
         SELECT array_agg(paper_id), array_agg(day) INTO ps, ds FROM (SELECT DISTINCT paper_id, day FROM old_rows) r;
       END IF;
       IF ps IS NULL THEN
         RETURN NULL;
       END IF;
       PERFORM claim_topics_lock(ARRAY(SELECT DISTINCT unnest(ps)));
       PERFORM topic_day_counts_days(ps, ds, CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END);
       RETURN NULL;
     END IF;
     -- paper_topics: (paper, topic) pairs added (+1) and removed (-1); an UPDATE that keeps the slugs (a score) changes none
     IF TG_OP = 'INSERT' THEN
       SELECT array_agg(paper_id), array_agg(topic_slug), array_agg(1) INTO ps, ts, signs
         FROM (SELECT DISTINCT paper_id, topic_slug FROM new_rows) r;
     ELSIF TG_OP = 'DELETE' THEN
       SELECT array_agg(paper_id), array_agg(topic_slug), array_agg(-1) INTO ps, ts, signs
         FROM (SELECT DISTINCT paper_id, topic_slug FROM old_rows) r;
     ELSE
       SELECT array_agg(paper_id), array_agg(topic_slug), array_agg(sign) INTO ps, ts, signs
         FROM (SELECT paper_id, topic_slug, 1 AS sign
                 FROM (SELECT paper_id, topic_slug FROM new_rows EXCEPT SELECT paper_id, topic_slug FROM old_rows) a
               UNION ALL
               SELECT paper_id, topic_slug, -1
                 FROM (SELECT paper_id, topic_slug FROM old_rows EXCEPT SELECT paper_id, topic_slug FROM new_rows) g) r;
     END IF;
     IF ps IS NULL THEN
       RETURN NULL;
     END IF;
     PERFORM claim_topics_lock(ARRAY(SELECT DISTINCT unnest(ps)));
     PERFORM topic_day_counts_topics(ps, ts, signs);
     RETURN NULL;
   END $$`,
  // A paper about to be deleted: its triples, while its days and topics are still there (see above).
  `CREATE FUNCTION topic_day_counts_paper_gone() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO topic_day_counts (topic_slug, day, papers)
     SELECT pt.topic_slug, pd.day, -count(*)
       FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id
      WHERE pd.paper_id = OLD.id
      GROUP BY 1, 2;
     RETURN OLD;
   END $$`,
];

/** Fills topic_day_counts from the rows there are (the migration, and tools that load rows with the triggers off). */
export const TOPIC_DAY_COUNTS_FILL = `INSERT INTO topic_day_counts (topic_slug, day, papers, folded)
  SELECT pt.topic_slug, pd.day, count(*), true FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id GROUP BY 1, 2`;

const STATEMENT_TRIGGERS: [string, string, 'INSERT' | 'UPDATE' | 'DELETE'][] = [
  ['paper_days_topic_day_counts_insert', 'paper_days', 'INSERT'],
  ['paper_days_topic_day_counts_delete', 'paper_days', 'DELETE'],
  ['paper_topics_topic_day_counts_insert', 'paper_topics', 'INSERT'],
  ['paper_topics_topic_day_counts_update', 'paper_topics', 'UPDATE'],
  ['paper_topics_topic_day_counts_delete', 'paper_topics', 'DELETE'],
];
const TRUNCATE_TRIGGERS: [string, string][] = [
  ['papers_topic_day_counts_truncate', 'papers'],
  ['paper_days_topic_day_counts_truncate', 'paper_days'],
  ['paper_topics_topic_day_counts_truncate', 'paper_topics'],
];

export class TopicDayCounts1796096000000 implements MigrationInterface {
  name = 'TopicDayCounts1796096000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Delta rows, no key: (topic, day) is an index, and a (topic, day) has as many rows as deltas not yet folded
    // (`folded` false: what the triggers write; the partial index finds them without reading the folded rows).
    await queryRunner.query(
      `CREATE TABLE "topic_day_counts" ("topic_slug" text NOT NULL, "day" date NOT NULL, "papers" integer NOT NULL, "folded" boolean NOT NULL DEFAULT false)`,
    );
    await queryRunner.query(TOPIC_DAY_COUNTS_FILL);
    await queryRunner.query(`CREATE INDEX "idx_topic_day_counts" ON "topic_day_counts" ("topic_slug", "day") INCLUDE ("papers")`);
    await queryRunner.query(`CREATE INDEX "idx_topic_day_counts_unfolded" ON "topic_day_counts" ("topic_slug", "day") WHERE NOT "folded"`);
    for (const sql of TOPIC_DAY_COUNTS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, table, op] of STATEMENT_TRIGGERS) {
      const ref = op === 'INSERT' ? 'NEW TABLE AS new_rows' : op === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER ${op} ON "${table}" REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION topic_day_counts_sync()`,
      );
    }
    for (const [name, table] of TRUNCATE_TRIGGERS) {
      await queryRunner.query(`CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION topic_day_counts_sync()`);
    }
    await queryRunner.query(
      `CREATE TRIGGER "papers_topic_day_counts_delete" BEFORE DELETE ON "papers" FOR EACH ROW EXECUTE FUNCTION topic_day_counts_paper_gone()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "papers_topic_day_counts_delete" ON "papers"`);
    for (const [name, table] of [...TRUNCATE_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    for (const [name, table] of [...STATEMENT_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION topic_day_counts_paper_gone()`);
    await queryRunner.query(`DROP FUNCTION topic_day_counts_sync()`);
    await queryRunner.query(`DROP FUNCTION topic_day_counts_topics(uuid[], text[], int[])`);
    await queryRunner.query(`DROP FUNCTION topic_day_counts_days(uuid[], date[], int)`);
    await queryRunner.query(`DROP TABLE "topic_day_counts"`);
  }
}
