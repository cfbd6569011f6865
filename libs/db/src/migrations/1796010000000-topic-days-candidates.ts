import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TOPIC_DAYS_FUNCTIONS } from './1796005000000-topic-days';

/**
 * `topic_days` without locks that can cycle (1796005000000 took per-day-bucket advisory locks, shared to add a fact,
 * exclusive to re-check one: two writers removing topics on crossing days deadlocked, and so did two adding the same
 * new facts in opposite orders, on the primary key). The triggers (topic_days_sync, unchanged) now only ever insert:
 * - a fact a statement may have made true is inserted unless it is there already and unsuspected (below); there is no
 *   unique key (an index on the same columns), so an insert never waits for another transaction's: two concurrent
 *   writers may both add it, and the sweeper drops the copy.
 * - a fact a statement may have made false is not re-checked: it is marked suspect, a row in `topic_days_stale`
 *   (only if the fact is there), committed with the statement's other writes.
 * No trigger takes a lock beyond the rows it inserts, so no topic-day upkeep waits for another transaction.
 *
 * Readers (topicDayNeighbours): the nearest fact is a candidate, one descent of the index; one more probes
 * `topic_days_stale` for it (almost always empty there). A fact without a suspect row is true: whatever made it false
 * committed a suspect row with it, in the reader's snapshot as well. A suspected one is verified (topic_days_holds:
 * the topic's papers if it has fewer than 1,024, else that day's, each probed by primary key) and, if false, the
 * answer is looked for further (topic_days_near: from a small topic's papers; for a large one, the next candidates,
 * at most 8 more before its papers are read). Exact whatever the sweeper's lag; slower only on suspected facts.
 *
 * Unchanged from 1796005000000: facts are computed per statement from what it sees, so a topic and a day of one paper
 * written by two transactions at once could each miss the other's row; the pipeline's writers of a paper (the
 * classifier's save, the parser's upsert) lock its `papers` row, so they run one after the other.
 *
 * The sweeper (pruneTopicDays) deletes suspects' facts that are false, in batches, safely against a writer that found
 * a fact present and unsuspected (so added nothing) and commits support for it later: a suspect is stamped with a
 * snapshot (`seen`) in which it is visible, and resolved only once every transaction running then has ended. A writer
 * that skipped the fact before the suspect committed had its xid by then (it wrote the rows its trigger fired for), so
 * it has ended and its rows are seen by the resolving statement; one checking later saw the suspect and inserted the
 * fact again (a row the resolver's snapshot does not hold, so does not delete). Duplicates are dropped likewise.
 */
export const TOPIC_DAYS_CANDIDATE_FUNCTIONS = [
  // Marks the facts to re-check suspect (those present) and inserts the facts to add that are absent or suspect.
  // (each fact probed by index: LATERAL … LIMIT 1 is never planned as a hash of the whole table)
  `CREATE OR REPLACE FUNCTION topic_days_apply(gone topic_days[], add topic_days[]) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     IF cardinality(gone) > 0 THEN
       INSERT INTO topic_days_stale (topic_slug, first, day)
       SELECT DISTINCT g.topic_slug, g.first, g.day FROM unnest(gone) g
        CROSS JOIN LATERAL (SELECT 1 FROM topic_days x WHERE x.topic_slug = g.topic_slug AND x.first = g.first AND x.day = g.day LIMIT 1) x;
     END IF;
     IF cardinality(add) > 0 THEN
       INSERT INTO topic_days (topic_slug, first, day)
       SELECT DISTINCT a.topic_slug, a.first, a.day FROM unnest(add) a
         LEFT JOIN LATERAL (SELECT true AS present FROM topic_days x
                             WHERE x.topic_slug = a.topic_slug AND x.first = a.first AND x.day = a.day LIMIT 1) x ON true
         LEFT JOIN LATERAL (SELECT true AS suspect FROM topic_days_stale s
                             WHERE s.topic_slug = a.topic_slug AND s.first = a.first AND s.day = a.day LIMIT 1) s ON true
        WHERE x.present IS NULL OR s.suspect;
     END IF;
   END $$`,
  // Whether some paper with topic t is listed on day d (first: has its first listed day on d), from the source tables.
  // A topic of fewer than `small` papers: its papers (its paper_topics index, read in its order: never planned as a
  // scan of the table, whose estimate for an unknown topic is the average one), each probed in paper_days by primary key
  // (and its min(day): one descent); otherwise that day's papers (its index), each probed in paper_topics by primary
  // key, stopping at the first of the topic. Either way at most the smaller of the topic and the day, about.
  `CREATE FUNCTION topic_days_holds(t text, f boolean, d date, small int DEFAULT 1024) RETURNS boolean LANGUAGE sql STABLE AS $$
     SELECT CASE WHEN (SELECT count(*) FROM (SELECT 1 FROM paper_topics s WHERE s.topic_slug = t ORDER BY s.score LIMIT small) s) < small
       THEN EXISTS (SELECT 1 FROM (SELECT pt.paper_id FROM paper_topics pt WHERE pt.topic_slug = t ORDER BY pt.score LIMIT small) pt
                     CROSS JOIN LATERAL (SELECT 1 FROM paper_days pd WHERE pd.paper_id = pt.paper_id AND pd.day = d OFFSET 0) pd
                     WHERE (NOT f OR (SELECT min(e.day) FROM paper_days e WHERE e.paper_id = pt.paper_id) = d))
       ELSE EXISTS (SELECT 1 FROM paper_days pd
                     CROSS JOIN LATERAL (SELECT pt.paper_id FROM paper_topics pt
                                          WHERE pt.paper_id = pd.paper_id AND pt.topic_slug = t OFFSET 0) pt
                     WHERE pd.day = d
                       AND (NOT f OR (SELECT min(e.day) FROM paper_days e WHERE e.paper_id = pt.paper_id) = d)) END
   $$`,
  // The nearest day after d (later) or before it with a true fact (t, f, day). A topic of fewer than `small` papers:
  // computed from its papers (its paper_topics index, each paper's days by primary key). Otherwise candidates from
  // topic_days, a suspected one verified, a false one stepped over (a large topic is on most days: few are false);
  // past 8 false ones (the topic dropped from many days, not pruned yet), computed from its papers after all.
  `CREATE FUNCTION topic_days_near(t text, f boolean, d date, later boolean, small int DEFAULT 1024) RETURNS date
   LANGUAGE plpgsql STABLE AS $$
   DECLARE
     c date := d;
   BEGIN
     IF (SELECT count(*) FROM (SELECT 1 FROM paper_topics s WHERE s.topic_slug = t ORDER BY s.score LIMIT small) s) >= small THEN
       FOR step IN 0..8 LOOP
         IF later THEN
           SELECT min(x.day) INTO c FROM topic_days x WHERE x.topic_slug = t AND x.first = f AND x.day > c;
         ELSE
           SELECT max(x.day) INTO c FROM topic_days x WHERE x.topic_slug = t AND x.first = f AND x.day < c;
         END IF;
         IF c IS NULL
            OR NOT EXISTS (SELECT 1 FROM topic_days_stale s WHERE s.topic_slug = t AND s.first = f AND s.day = c)
            OR topic_days_holds(t, f, c, small) THEN
           RETURN c;
         END IF;
       END LOOP;
     END IF;
     SELECT CASE WHEN later THEN min(x.day) FILTER (WHERE x.day > c) ELSE max(x.day) FILTER (WHERE x.day < c) END INTO c
       FROM (SELECT pt.paper_id FROM paper_topics pt WHERE pt.topic_slug = t ORDER BY pt.score) pt
      CROSS JOIN LATERAL (SELECT e.day FROM paper_days e
                           WHERE e.paper_id = pt.paper_id
                             AND (NOT f OR e.day = (SELECT min(m.day) FROM paper_days m WHERE m.paper_id = pt.paper_id)) OFFSET 0) x;
     RETURN c;
   END $$`,
  // TRUNCATE of paper_days or paper_topics empties both (the rest of topic_days_sync as 1796005000000 made it).
  `CREATE OR REPLACE FUNCTION topic_days_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     TRUNCATE topic_days, topic_days_stale;
     RETURN NULL;
   END $$`,
];

const TRUNCATE_TRIGGERS: [string, string][] = [
  ['paper_days_topic_days_truncate', 'paper_days'],
  ['paper_topics_topic_days_truncate', 'paper_topics'],
];

export class TopicDaysCandidates1796010000000 implements MigrationInterface {
  name = 'TopicDaysCandidates1796010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "topic_days" DROP CONSTRAINT "PK_topic_days"`);
    await queryRunner.query(`CREATE INDEX "idx_topic_days" ON "topic_days" ("topic_slug", "first", "day")`);
    await queryRunner.query(
      `CREATE TABLE "topic_days_stale" ("topic_slug" text NOT NULL, "first" boolean NOT NULL, "day" date NOT NULL, "seen" pg_snapshot)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_topic_days_stale" ON "topic_days_stale" ("topic_slug", "first", "day")`,
    );
    for (const sql of TOPIC_DAYS_CANDIDATE_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, table] of TRUNCATE_TRIGGERS) {
      await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION topic_days_truncate()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table] of TRUNCATE_TRIGGERS) {
      await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION topic_days_sync()`,
      );
    }
    // back to exact facts, one row each: suspects' false facts and copies deleted
    await queryRunner.query(
      `DELETE FROM topic_days x USING (SELECT DISTINCT topic_slug, first, day FROM topic_days_stale) s
        WHERE (x.topic_slug, x.first, x.day) = (s.topic_slug, s.first, s.day) AND NOT topic_days_holds(s.topic_slug, s.first, s.day)`,
    );
    await queryRunner.query(
      `DELETE FROM topic_days x WHERE x.ctid <> (SELECT min(y.ctid) FROM topic_days y
                                                   WHERE (y.topic_slug, y.first, y.day) = (x.topic_slug, x.first, x.day))`,
    );
    await queryRunner.query(`DROP FUNCTION topic_days_truncate()`);
    await queryRunner.query(`DROP FUNCTION topic_days_near(text, boolean, date, boolean, int)`);
    await queryRunner.query(`DROP FUNCTION topic_days_holds(text, boolean, date, int)`);
    await queryRunner.query(TOPIC_DAYS_FUNCTIONS[0].replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await queryRunner.query(`DROP TABLE "topic_days_stale"`);
    await queryRunner.query(`DROP INDEX "idx_topic_days"`);
    await queryRunner.query(
      `ALTER TABLE "topic_days" ADD CONSTRAINT "PK_topic_days" PRIMARY KEY ("topic_slug", "first", "day")`,
    );
  }
}
