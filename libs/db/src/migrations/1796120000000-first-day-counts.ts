import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `first_day_counts`: how many papers have their FIRST day (`paper_read.day0`, the day whose week and month list them)
 * on a day, per topic (`topic_slug` = the topic) and in all (`topic_slug` = '', no topic has that slug), so the total
 * of a week or month listing (`/?week=`, `/?month=`, `/v1/papers?week=|month=`), unfiltered or filtered by one topic,
 * is a sum over at most 31 (topic, day) index ranges, not a count of the period's papers probing each one's topics
 * (a month of a 2M-paper catalogue filtered by a topic: 124k buffers).
 *
 * Built like `topic_day_counts` (migration 1796096000000, whose comment says more): statement-level triggers append
 * delta rows, never update or delete one (no writer waits for another one's count), and the sweeper folds a
 * (topic, day)'s rows into one (compactFirstDayCounts, through the partial index of the rows not folded yet).
 * - `paper_read` INSERT / DELETE: +1 / -1 for the paper's day0, in all and for each of its topics; an UPDATE that
 *   moves day0 (a re-dated paper): -1 on the old day and +1 on the new one; one that keeps it (upvotes…) counts none.
 * - `paper_topics` INSERT / DELETE / UPDATE of the slug (a topic renamed by cascade): ±1 for (topic, the paper's day0).
 * - Each trigger first locks its papers' rows (claim_topics_lock) and then reads the other table with a fresh snapshot:
 *   a paper's read row written by one transaction and its topic by another are counted once, by the later one.
 * - A deleted paper: a row trigger BEFORE DELETE on papers removes its counts while its rows are there; the statement
 *   triggers after the cascade skip papers that are gone.
 * - TRUNCATE of papers or paper_read empties it; of paper_topics, deletes the per-topic rows (the '' rows stay).
 *
 * `topic_first_papers`: the papers themselves, a row per (topic, first day, paper), kept by the same triggers (a row
 * inserted or deleted by its key where a count goes up or down): a week or month listing filtered by a topic that is
 * rare in it reads its few papers from here (their count known from first_day_counts) instead of walking the period's
 * papers to find them (listedRangePage).
 */
export const FIRST_DAY_COUNTS_FUNCTIONS = [
  // (Also used by migration 1796121000000 for topic_day_counts / topic_day_papers.) The (paper, topic, day) triples
  // given, each `signs`' own (topic '' for the paper itself, counted only), of papers that still exist, applied to the
  // `rows_table` (a row added, or deleted through its key) and to the `counts` table, by (topic, day). Each deleted row
  // is found by its own key (LATERAL … OFFSET 0 and ctid = ANY: never planned as a scan of the table).
  `CREATE FUNCTION day_counts_apply(counts text, rows_table text, ps uuid[], ts text[], ds date[], signs int[]) RETURNS void
   LANGUAGE plpgsql AS $$
   BEGIN
     EXECUTE format($q$
       WITH k AS (
         SELECT * FROM unnest($1, $2, $3, $4) AS k(paper_id, topic_slug, day, sign) WHERE EXISTS (SELECT 1 FROM papers p WHERE p.id = k.paper_id)
       ), gone AS (
         DELETE FROM %2$I x WHERE x.ctid = ANY (ARRAY(
           SELECT y.ctid FROM k CROSS JOIN LATERAL (
             SELECT ctid FROM %2$I t WHERE t.topic_slug = k.topic_slug AND t.day = k.day AND t.paper_id = k.paper_id OFFSET 0) y
            WHERE k.sign < 0 AND k.topic_slug <> ''))
       ), added AS (
         INSERT INTO %2$I (topic_slug, day, paper_id)
         SELECT topic_slug, day, paper_id FROM k WHERE sign > 0 AND topic_slug <> '' ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING
       )
       INSERT INTO %1$I (topic_slug, day, papers)
       SELECT topic_slug, day, sum(sign) FROM k GROUP BY 1, 2 HAVING sum(sign) <> 0$q$, counts, rows_table)
     USING ps, ts, ds, signs;
   END $$`,
  // These (paper, day) pairs, each `signs`' own: in all, and for each of the paper's topics.
  `CREATE FUNCTION first_day_counts_papers(ps uuid[], ds date[], signs int[]) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('first_day_counts', 'topic_first_papers', array_agg(r.paper_id), array_agg(k.topic_slug), array_agg(r.day), array_agg(r.sign))
       FROM unnest(ps, ds, signs) AS r(paper_id, day, sign)
      CROSS JOIN LATERAL (SELECT ''::text UNION ALL SELECT topic_slug FROM paper_topics WHERE paper_id = r.paper_id) k(topic_slug)
     HAVING count(*) > 0
   $$`,
  // These (paper, topic) pairs, each `signs`' own, on the paper's first day.
  `CREATE FUNCTION first_day_counts_topics(ps uuid[], ts text[], signs int[]) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('first_day_counts', 'topic_first_papers', array_agg(c.paper_id), array_agg(c.topic_slug), array_agg(r.day0), array_agg(c.sign))
       FROM unnest(ps, ts, signs) AS c(paper_id, topic_slug, sign)
      CROSS JOIN LATERAL (SELECT day0 FROM paper_read WHERE paper_id = c.paper_id OFFSET 0) r
     HAVING count(*) > 0
   $$`,
  // One trigger function for both tables (statement triggers: transition tables new_rows / old_rows).
  `CREATE FUNCTION first_day_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     ps uuid[];
     ks date[];
     ts text[];
     signs int[];
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       IF TG_TABLE_NAME = 'paper_topics' THEN
         DELETE FROM first_day_counts WHERE topic_slug <> '';
         TRUNCATE topic_first_papers;
       ELSE
         TRUNCATE first_day_counts, topic_first_papers;
       END IF;
       RETURN NULL;
     END IF;
     IF TG_TABLE_NAME = 'paper_read' THEN
       IF TG_OP = 'INSERT' THEN
         SELECT array_agg(paper_id), array_agg(day0), array_agg(1) INTO ps, ks, signs FROM new_rows;
       ELSIF TG_OP = 'DELETE' THEN
         SELECT array_agg(paper_id), array_agg(day0), array_agg(-1) INTO ps, ks, signs FROM old_rows;
       ELSE
         SELECT array_agg(paper_id), array_agg(day0), array_agg(sign) INTO ps, ks, signs
           FROM (SELECT o.paper_id, o.day0, -1 AS sign FROM old_rows o JOIN new_rows n USING (paper_id) WHERE o.day0 <> n.day0
                 UNION ALL
                 SELECT n.paper_id, n.day0, 1 FROM old_rows o JOIN new_rows n USING (paper_id) WHERE o.day0 <> n.day0) r;
       END IF;
       IF ps IS NULL THEN
         RETURN NULL;
       END IF;
       PERFORM claim_topics_lock(ARRAY(SELECT DISTINCT unnest(ps)));
       PERFORM first_day_counts_papers(ps, ks, signs);
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
     PERFORM first_day_counts_topics(ps, ts, signs);
     RETURN NULL;
   END $$`,
  // A paper about to be deleted: its triples, while its read row and topics are still there (see above).
  `CREATE FUNCTION first_day_counts_paper_gone() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM first_day_counts_papers(ARRAY[r.paper_id], ARRAY[r.day0], ARRAY[-1]) FROM paper_read r WHERE r.paper_id = OLD.id;
     RETURN OLD;
   END $$`,
];

/** Fills first_day_counts and topic_first_papers from the rows there are (the migration, and tools that load rows with the triggers off). */
export const FIRST_DAY_COUNTS_FILL = `INSERT INTO first_day_counts (topic_slug, day, papers, folded)
  SELECT '', r.day0, count(*), true FROM paper_read r GROUP BY 2
  UNION ALL
  SELECT pt.topic_slug, r.day0, count(*), true FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id GROUP BY 1, 2;
  INSERT INTO topic_first_papers (topic_slug, day, paper_id)
  SELECT pt.topic_slug, r.day0, r.paper_id FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id ORDER BY 1, 2, 3`;

const STATEMENT_TRIGGERS: [string, string, 'INSERT' | 'UPDATE' | 'DELETE'][] = [
  ['paper_read_first_day_counts_insert', 'paper_read', 'INSERT'],
  ['paper_read_first_day_counts_update', 'paper_read', 'UPDATE'],
  ['paper_read_first_day_counts_delete', 'paper_read', 'DELETE'],
  ['paper_topics_first_day_counts_insert', 'paper_topics', 'INSERT'],
  ['paper_topics_first_day_counts_update', 'paper_topics', 'UPDATE'],
  ['paper_topics_first_day_counts_delete', 'paper_topics', 'DELETE'],
];
const TRUNCATE_TRIGGERS: [string, string][] = [
  ['papers_first_day_counts_truncate', 'papers'],
  ['paper_read_first_day_counts_truncate', 'paper_read'],
  ['paper_topics_first_day_counts_truncate', 'paper_topics'],
];

export class FirstDayCounts1796120000000 implements MigrationInterface {
  name = 'FirstDayCounts1796120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "first_day_counts" ("topic_slug" text NOT NULL, "day" date NOT NULL, "papers" integer NOT NULL, "folded" boolean NOT NULL DEFAULT false)`,
    );
    await queryRunner.query(`CREATE TABLE "topic_first_papers" ("topic_slug" text NOT NULL, "day" date NOT NULL, "paper_id" uuid NOT NULL, CONSTRAINT "PK_topic_first_papers" PRIMARY KEY ("topic_slug", "day", "paper_id"))`);
    for (const sql of FIRST_DAY_COUNTS_FILL.split(';\n')) await queryRunner.query(sql);
    await queryRunner.query(`CREATE INDEX "idx_first_day_counts" ON "first_day_counts" ("topic_slug", "day") INCLUDE ("papers")`);
    await queryRunner.query(`CREATE INDEX "idx_first_day_counts_unfolded" ON "first_day_counts" ("topic_slug", "day") WHERE NOT "folded"`);
    for (const sql of FIRST_DAY_COUNTS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, table, op] of STATEMENT_TRIGGERS) {
      const ref = op === 'INSERT' ? 'NEW TABLE AS new_rows' : op === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER ${op} ON "${table}" REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION first_day_counts_sync()`,
      );
    }
    for (const [name, table] of TRUNCATE_TRIGGERS) {
      await queryRunner.query(`CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION first_day_counts_sync()`);
    }
    await queryRunner.query(
      `CREATE TRIGGER "papers_first_day_counts_delete" BEFORE DELETE ON "papers" FOR EACH ROW EXECUTE FUNCTION first_day_counts_paper_gone()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "papers_first_day_counts_delete" ON "papers"`);
    for (const [name, table] of [...TRUNCATE_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    for (const [name, table] of [...STATEMENT_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_paper_gone()`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_sync()`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_topics(uuid[], text[], int[])`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_papers(uuid[], date[], int[])`);
    await queryRunner.query(`DROP FUNCTION day_counts_apply(text, text, uuid[], text[], date[], int[])`);
    await queryRunner.query(`DROP TABLE "topic_first_papers"`);
    await queryRunner.query(`DROP TABLE "first_day_counts"`);
  }
}
