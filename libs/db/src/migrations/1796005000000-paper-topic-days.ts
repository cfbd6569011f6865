import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `paper_topic_days`: one row per (topic, day, paper) for every day a paper is listed on (`paper_days`) and every
 * topic it has (`paper_topics`), with `first` true on the paper's first day (its `paper_read.day0`, the day its week
 * and month listings count it on). The previous / next links of a listing filtered by topic read it: the nearest
 * earlier or later day with a paper of that topic is one descent of its primary key (`first` rows, through
 * `idx_paper_topic_days_first`, for weeks and months), however far away that day is; scanning `paper_days` backwards
 * and probing each paper's topics cost every paper in between (a rare topic: the whole catalogue).
 *
 * Kept by the database: statement-level triggers on `paper_days` and `paper_topics` (insert, delete; topic rows also
 * on update, which a topic's renamed slug cascades to) recompute the rows of the papers a statement touched
 * (`paper_topic_days_refresh`: per paper, index look-ups by paper_id), whichever code wrote them (the parser's
 * read-model refresh, the classifier, re-classification, a rebuild); a TRUNCATE of either empties it. `paper_days`
 * rows change key only by insert or delete (its upserts update the rank columns), so updates do not fire it. A deleted
 * paper's rows go the same way (its paper_days and paper_topics rows are deleted by cascade, which fires their
 * statement triggers; a TRUNCATE … CASCADE fires their TRUNCATE triggers), so the table needs no foreign key, whose
 * per-row check was a fifth of the refresh's time. No entity, as topic_counts: only these functions write it and
 * two reads read it.
 *
 * Writes: a classifier batch writes ~3 rows per paper and listed day here besides its paper_topics rows (its
 * one-statement save fires the delete and insert triggers after both, so a re-classification that keeps a paper's
 * topics rewrites nothing); a parser batch of new papers writes none (no topics yet).
 */
export const PAPER_TOPIC_DAYS_FUNCTIONS = [
  `CREATE FUNCTION paper_topic_days_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
     WITH want AS (
       SELECT pt.topic_slug, d.day, b.id AS paper_id, d.day = f.first_day AS first
         FROM unnest(ids) AS b(id)
        CROSS JOIN LATERAL (SELECT min(day) AS first_day FROM paper_days WHERE paper_id = b.id) f
        CROSS JOIN LATERAL (SELECT day FROM paper_days WHERE paper_id = b.id OFFSET 0) d
        CROSS JOIN LATERAL (SELECT topic_slug FROM paper_topics WHERE paper_id = b.id OFFSET 0) pt
     ), gone AS (
       DELETE FROM paper_topic_days x USING unnest(ids) AS b(id)
        WHERE x.paper_id = b.id
          AND NOT EXISTS (SELECT 1 FROM want w WHERE w.paper_id = x.paper_id AND w.topic_slug = x.topic_slug AND w.day = x.day)
     )
     INSERT INTO paper_topic_days (topic_slug, day, paper_id, first)
     SELECT topic_slug, day, paper_id, first FROM want ORDER BY paper_id, topic_slug, day
     ON CONFLICT (topic_slug, day, paper_id) DO UPDATE SET first = EXCLUDED.first
      WHERE paper_topic_days.first IS DISTINCT FROM EXCLUDED.first
   $$`,
  `CREATE FUNCTION paper_topic_days_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE paper_topic_days;
     ELSIF TG_OP = 'DELETE' THEN
       PERFORM paper_topic_days_refresh(ARRAY(SELECT DISTINCT paper_id FROM old_rows));
     ELSIF TG_OP = 'UPDATE' THEN
       PERFORM paper_topic_days_refresh(ARRAY(SELECT paper_id FROM old_rows UNION SELECT paper_id FROM new_rows));
     ELSE
       PERFORM paper_topic_days_refresh(ARRAY(SELECT DISTINCT paper_id FROM new_rows));
     END IF;
     RETURN NULL;
   END $$`,
];

const TRIGGERS: [string, string, string][] = [
  ['paper_days_topic_days_insert', 'paper_days', 'AFTER INSERT ON "paper_days" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'],
  ['paper_days_topic_days_delete', 'paper_days', 'AFTER DELETE ON "paper_days" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'],
  ['paper_days_topic_days_truncate', 'paper_days', 'AFTER TRUNCATE ON "paper_days" FOR EACH STATEMENT'],
  ['paper_topics_topic_days_insert', 'paper_topics', 'AFTER INSERT ON "paper_topics" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'],
  ['paper_topics_topic_days_delete', 'paper_topics', 'AFTER DELETE ON "paper_topics" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'],
  [
    'paper_topics_topic_days_update',
    'paper_topics',
    'AFTER UPDATE ON "paper_topics" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT',
  ],
  ['paper_topics_topic_days_truncate', 'paper_topics', 'AFTER TRUNCATE ON "paper_topics" FOR EACH STATEMENT'],
];

export class PaperTopicDays1796005000000 implements MigrationInterface {
  name = 'PaperTopicDays1796005000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "paper_topic_days" (
         "topic_slug" text NOT NULL,
         "day" date NOT NULL,
         "paper_id" uuid NOT NULL,
         "first" boolean NOT NULL,
         CONSTRAINT "PK_paper_topic_days" PRIMARY KEY ("topic_slug", "day", "paper_id")
       )`,
    );
    await queryRunner.query(`CREATE INDEX "idx_paper_topic_days_paper" ON "paper_topic_days" ("paper_id")`);
    await queryRunner.query(`CREATE INDEX "idx_paper_topic_days_first" ON "paper_topic_days" ("topic_slug", "day") WHERE "first"`);
    await queryRunner.query(
      `INSERT INTO paper_topic_days (topic_slug, day, paper_id, first)
       SELECT pt.topic_slug, d.day, d.paper_id, d.day = min(d.day) OVER (PARTITION BY d.paper_id)
         FROM paper_days d JOIN paper_topics pt ON pt.paper_id = d.paper_id`,
    );
    for (const sql of PAPER_TOPIC_DAYS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, , when] of TRIGGERS)
      await queryRunner.query(`CREATE TRIGGER "${name}" ${when} EXECUTE FUNCTION paper_topic_days_sync()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table] of [...TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION paper_topic_days_sync()`);
    await queryRunner.query(`DROP FUNCTION paper_topic_days_refresh(uuid[])`);
    await queryRunner.query(`DROP TABLE "paper_topic_days"`);
  }
}
