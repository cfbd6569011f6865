import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TOPIC_DAY_COUNTS_FUNCTIONS } from './1796096000000-topic-day-counts';

/**
 * What the listings need to cost their page (read-model.ts listedRangePage, listedDayPage, dailyCardRows):
 *
 * `first_day_counts`: how many papers have their FIRST day (`paper_read.day0`, the day whose week and month list them)
 * on a day, per topic (`topic_slug` = the topic) and in all (`topic_slug` = '', no topic has that slug), so the total
 * of a week or month listing (`/?week=`, `/?month=`, `/v1/papers?week=|month=`), unfiltered or filtered by one topic,
 * is a sum over at most 31 (topic, day) index ranges, not a count of the period's papers probing each one's topics
 * (a month of a 2M-paper catalogue filtered by a topic: 93k buffers). `topic_first_papers`: those papers, a row per
 * (topic, first day, paper): a week or month filtered by a topic rare in it reads its few papers from there.
 *
 * `topic_day_counts` (migration 1796096000000) now also counts each day in all (topic ''), and `topic_day_papers` holds
 * a row per (topic, day, paper) of paper_days joined with paper_topics: a day filtered by a topic rare on it reads the
 * topic's few papers of the day from there, not a walk of the day probing each paper's topics (a 20k-paper day).
 *
 * Built like `topic_day_counts` (whose comment says more): statement-level triggers append count deltas (never update
 * or delete one: no writer waits for another one's count; the sweeper folds them, compactFirstDayCounts) and insert or
 * delete rows by their key (day_counts_apply), after locking their papers' rows (claim_topics_lock) and reading the
 * other tables with a fresh snapshot: a paper's rows written by one transaction and its topics by another are counted
 * once, by the later one.
 * - `paper_read` INSERT / DELETE: +1 / -1 for the paper's day0, in all and for each of its topics; an UPDATE that
 *   moves day0 (a re-dated paper): -1 on the old day and +1 on the new one; one that keeps it (upvotes…) counts none.
 * - `paper_topics` INSERT / DELETE / UPDATE of the slug: migration 1796096000000's triggers, whose per-topic function
 *   (topic_day_counts_topics, replaced here) applies each (paper, topic) pair to both: on each of the paper's days and
 *   on its first day. `paper_days` INSERT / DELETE: the same triggers, now counting the day in all too.
 * - A deleted paper: row triggers BEFORE DELETE on papers remove its counts and rows while they are there; the
 *   statement triggers after the cascade skip papers that are gone.
 * - TRUNCATE of papers or paper_read empties the first-day tables; of papers or paper_days, the day tables; of
 *   paper_topics, the per-topic counts and rows (the '' counts stay).
 * down restores migration 1796096000000's functions as they were.
 */
export const LISTING_COUNTS_FUNCTIONS = [
  // The (paper, topic, day) triples given, each `signs`' own (topic '' for the paper itself, counted only), of papers that still exist, applied to the
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
  // paper_read's statement triggers (transition tables new_rows / old_rows).
  `CREATE FUNCTION first_day_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     ps uuid[];
     ks date[];
     signs int[];
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE first_day_counts, topic_first_papers;
       RETURN NULL;
     END IF;
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
   END $$`,
  // A paper about to be deleted: its triples, while its read row and topics are still there (see above).
  `CREATE FUNCTION first_day_counts_paper_gone() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM first_day_counts_papers(ARRAY[r.paper_id], ARRAY[r.day0], ARRAY[-1]) FROM paper_read r WHERE r.paper_id = OLD.id;
     RETURN OLD;
   END $$`,
  // These (paper, day) pairs, `delta` each: in all and for each of the paper's topics.
  `CREATE OR REPLACE FUNCTION topic_day_counts_days(ps uuid[], ds date[], delta int) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('topic_day_counts', 'topic_day_papers', array_agg(r.paper_id), array_agg(k.topic_slug), array_agg(r.day), array_agg(delta))
       FROM unnest(ps, ds) AS r(paper_id, day)
      CROSS JOIN LATERAL (SELECT ''::text UNION ALL SELECT topic_slug FROM paper_topics WHERE paper_id = r.paper_id) k(topic_slug)
     HAVING count(*) > 0
   $$`,
  // These (paper, topic) pairs, each `signs`' own, on each of the paper's days, and on its first day (first_day_counts).
  `CREATE OR REPLACE FUNCTION topic_day_counts_topics(ps uuid[], ts text[], signs int[]) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('topic_day_counts', 'topic_day_papers', array_agg(c.paper_id), array_agg(c.topic_slug), array_agg(pd.day), array_agg(c.sign))
       FROM unnest(ps, ts, signs) AS c(paper_id, topic_slug, sign)
      CROSS JOIN LATERAL (SELECT day FROM paper_days WHERE paper_id = c.paper_id OFFSET 0) pd
     HAVING count(*) > 0;
     SELECT first_day_counts_topics(ps, ts, signs);
   $$`,
  // A paper about to be deleted: its days, in all and per topic, while its days and topics are still there.
  `CREATE OR REPLACE FUNCTION topic_day_counts_paper_gone() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM topic_day_counts_days(array_agg(pd.paper_id), array_agg(pd.day), -1) FROM paper_days pd WHERE pd.paper_id = OLD.id HAVING count(*) > 0;
     RETURN OLD;
   END $$`,
];

const SYNC = TOPIC_DAY_COUNTS_FUNCTIONS.find((f) => f.includes('FUNCTION topic_day_counts_sync()')) ?? '';
const SYNC_TRUNCATE = `       TRUNCATE topic_day_counts;\n`;
if (!SYNC.includes(SYNC_TRUNCATE)) throw new Error('migration 1796120000000: topic_day_counts_sync has no truncate branch to replace');
const replaced = (sql: string) => sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
const SYNC_NEW = replaced(SYNC).replace(
  SYNC_TRUNCATE,
  `       IF TG_TABLE_NAME = 'paper_topics' THEN
         DELETE FROM topic_day_counts WHERE topic_slug <> '';
         DELETE FROM first_day_counts WHERE topic_slug <> '';
         TRUNCATE topic_day_papers, topic_first_papers;
       ELSE
         TRUNCATE topic_day_counts, topic_day_papers;
       END IF;\n`,
);

/** Fills first_day_counts and topic_first_papers from the rows there are (the migration, and tools that load rows with the triggers off). */
export const FIRST_DAY_COUNTS_FILL = `INSERT INTO first_day_counts (topic_slug, day, papers, folded)
  SELECT '', r.day0, count(*), true FROM paper_read r GROUP BY 2
  UNION ALL
  SELECT pt.topic_slug, r.day0, count(*), true FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id GROUP BY 1, 2;
  INSERT INTO topic_first_papers (topic_slug, day, paper_id)
  SELECT pt.topic_slug, r.day0, r.paper_id FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id ORDER BY 1, 2, 3`;

/** Fills topic_day_papers and the day totals ('' rows of topic_day_counts) from the rows there are. */
export const TOPIC_DAY_PAPERS_FILL = `INSERT INTO topic_day_papers (topic_slug, day, paper_id)
  SELECT pt.topic_slug, pd.day, pd.paper_id FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id ORDER BY 1, 2, 3;
  INSERT INTO topic_day_counts (topic_slug, day, papers, folded) SELECT '', day, count(*), true FROM paper_days GROUP BY 2`;

const STATEMENT_TRIGGERS: ['INSERT' | 'UPDATE' | 'DELETE', string][] = [
  ['INSERT', 'NEW TABLE AS new_rows'],
  ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['DELETE', 'OLD TABLE AS old_rows'],
];
const TRUNCATE_TRIGGERS: [string, string][] = [
  ['papers_first_day_counts_truncate', 'papers'],
  ['paper_read_first_day_counts_truncate', 'paper_read'],
];

export class ListingCounts1796120000000 implements MigrationInterface {
  name = 'ListingCounts1796120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "first_day_counts" ("topic_slug" text NOT NULL, "day" date NOT NULL, "papers" integer NOT NULL, "folded" boolean NOT NULL DEFAULT false)`,
    );
    for (const t of ['topic_first_papers', 'topic_day_papers'])
      await queryRunner.query(
        `CREATE TABLE "${t}" ("topic_slug" text NOT NULL, "day" date NOT NULL, "paper_id" uuid NOT NULL, CONSTRAINT "PK_${t}" PRIMARY KEY ("topic_slug", "day", "paper_id"))`,
      );
    for (const sql of [...FIRST_DAY_COUNTS_FILL.split(';\n'), ...TOPIC_DAY_PAPERS_FILL.split(';\n')]) await queryRunner.query(sql);
    await queryRunner.query(`CREATE INDEX "idx_first_day_counts" ON "first_day_counts" ("topic_slug", "day") INCLUDE ("papers")`);
    await queryRunner.query(`CREATE INDEX "idx_first_day_counts_unfolded" ON "first_day_counts" ("topic_slug", "day") WHERE NOT "folded"`);
    for (const sql of [...LISTING_COUNTS_FUNCTIONS, SYNC_NEW]) await queryRunner.query(sql);
    for (const [op, ref] of STATEMENT_TRIGGERS)
      await queryRunner.query(
        `CREATE TRIGGER "paper_read_first_day_counts_${op.toLowerCase()}" AFTER ${op} ON "paper_read" REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION first_day_counts_sync()`,
      );
    for (const [name, table] of TRUNCATE_TRIGGERS)
      await queryRunner.query(`CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION first_day_counts_sync()`);
    await queryRunner.query(
      `CREATE TRIGGER "papers_first_day_counts_delete" BEFORE DELETE ON "papers" FOR EACH ROW EXECUTE FUNCTION first_day_counts_paper_gone()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "papers_first_day_counts_delete" ON "papers"`);
    for (const [name, table] of [...TRUNCATE_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    for (const [op] of [...STATEMENT_TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "paper_read_first_day_counts_${op.toLowerCase()}" ON "paper_read"`);
    for (const sql of TOPIC_DAY_COUNTS_FUNCTIONS) await queryRunner.query(replaced(sql));
    await queryRunner.query(`DELETE FROM topic_day_counts WHERE topic_slug = ''`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_paper_gone()`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_sync()`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_topics(uuid[], text[], int[])`);
    await queryRunner.query(`DROP FUNCTION first_day_counts_papers(uuid[], date[], int[])`);
    await queryRunner.query(`DROP FUNCTION day_counts_apply(text, text, uuid[], text[], date[], int[])`);
    for (const t of ['topic_day_papers', 'topic_first_papers', 'first_day_counts']) await queryRunner.query(`DROP TABLE "${t}"`);
  }
}
