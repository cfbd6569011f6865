import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TOPIC_DAY_COUNTS_FUNCTIONS } from './1796096000000-topic-day-counts';

/**
 * `topic_day_papers`: the papers each day lists per topic, a row per (topic, day, paper) of `paper_days` joined with
 * `paper_topics`, so a day listing filtered by a topic that is rare on that day (`/?date=&topic=`, `/v1/daily?topic=`)
 * reads the topic's few papers of the day instead of walking the day's papers probing each one's topics to fill a page
 * (a 20k-paper day with 5 papers of the topic: the whole day, every page). And `topic_day_counts` also counts each day
 * in all (`topic_slug` = '', no topic has that slug): the unfiltered day total and the choice between the two reads
 * (read-model.ts listedDayPage, dailyCardRows) are a sum over a few rows.
 *
 * Kept by the triggers of migration 1796096000000, whose functions this replaces: each (paper, topic, day) triple a
 * statement adds or removes is applied by day_counts_apply (migration 1796120000000) to the counts and to these rows,
 * the (paper, day) pairs of paper_days also counted under ''. TRUNCATE of paper_topics deletes the per-topic counts and
 * these rows ('' counts stay); of papers or paper_days, empties both. down restores the functions as they were.
 */
const FUNCTIONS = [
  // These (paper, day) pairs, `delta` each: in all and for each of the paper's topics.
  `CREATE OR REPLACE FUNCTION topic_day_counts_days(ps uuid[], ds date[], delta int) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('topic_day_counts', 'topic_day_papers', array_agg(r.paper_id), array_agg(k.topic_slug), array_agg(r.day), array_agg(delta))
       FROM unnest(ps, ds) AS r(paper_id, day)
      CROSS JOIN LATERAL (SELECT ''::text UNION ALL SELECT topic_slug FROM paper_topics WHERE paper_id = r.paper_id) k(topic_slug)
     HAVING count(*) > 0
   $$`,
  // These (paper, topic) pairs, each `signs`' own, on each of the paper's days.
  `CREATE OR REPLACE FUNCTION topic_day_counts_topics(ps uuid[], ts text[], signs int[]) RETURNS void LANGUAGE sql AS $$
     SELECT day_counts_apply('topic_day_counts', 'topic_day_papers', array_agg(c.paper_id), array_agg(c.topic_slug), array_agg(pd.day), array_agg(c.sign))
       FROM unnest(ps, ts, signs) AS c(paper_id, topic_slug, sign)
      CROSS JOIN LATERAL (SELECT day FROM paper_days WHERE paper_id = c.paper_id OFFSET 0) pd
     HAVING count(*) > 0
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
if (!SYNC.includes(SYNC_TRUNCATE)) throw new Error('migration 1796121000000: topic_day_counts_sync has no truncate branch to replace');
const syncReplaced = (sql: string) => sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
const SYNC_NEW = syncReplaced(SYNC).replace(
  SYNC_TRUNCATE,
  `       IF TG_TABLE_NAME = 'paper_topics' THEN
         DELETE FROM topic_day_counts WHERE topic_slug <> '';
         TRUNCATE topic_day_papers;
       ELSE
         TRUNCATE topic_day_counts, topic_day_papers;
       END IF;\n`,
);

/** Fills topic_day_papers and the day totals ('' rows of topic_day_counts) from the rows there are. */
export const TOPIC_DAY_PAPERS_FILL = `INSERT INTO topic_day_papers (topic_slug, day, paper_id)
  SELECT pt.topic_slug, pd.day, pd.paper_id FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id ORDER BY 1, 2, 3;
  INSERT INTO topic_day_counts (topic_slug, day, papers, folded) SELECT '', day, count(*), true FROM paper_days GROUP BY 2`;

export class TopicDayPapers1796121000000 implements MigrationInterface {
  name = 'TopicDayPapers1796121000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "topic_day_papers" ("topic_slug" text NOT NULL, "day" date NOT NULL, "paper_id" uuid NOT NULL, CONSTRAINT "PK_topic_day_papers" PRIMARY KEY ("topic_slug", "day", "paper_id"))`,
    );
    for (const sql of TOPIC_DAY_PAPERS_FILL.split(';\n')) await queryRunner.query(sql);
    for (const sql of [...FUNCTIONS, SYNC_NEW]) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of TOPIC_DAY_COUNTS_FUNCTIONS) await queryRunner.query(syncReplaced(sql));
    await queryRunner.query(`DELETE FROM topic_day_counts WHERE topic_slug = ''`);
    await queryRunner.query(`DROP TABLE "topic_day_papers"`);
  }
}
