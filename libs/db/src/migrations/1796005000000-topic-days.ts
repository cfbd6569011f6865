import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * (Its upkeep changed in 1796010000000-topic-days-candidates: no locks, facts only inserted, suspects for the readers
 * to verify and the sweeper to prune. What follows is this migration's design.)
 *
 * `topic_days`: facts per (topic, day), not per paper. A row (t, false, d): some paper with topic t is listed on day d
 * (`paper_days` joined with `paper_topics`); (t, true, d): some paper with topic t has its first listed day on d
 * (min(`paper_days.day`), its `paper_read.day0`: the day whose week and month list it). The previous / next links
 * of a listing filtered by topic read it: the nearest earlier or later day with a paper of that topic is one descent
 * of the primary key per topic, however far away that day is. At most 2 rows per topic and listed day (8k rows,
 * 0.8 MB with its index, at 200k papers; it replaces one row per topic, day and paper: 990k rows, 176 MB).
 *
 * Kept by statement-level triggers on `paper_days` and `paper_topics`, whichever code wrote them:
 * - a fact a statement may have made true (rows inserted; a renamed topic slug, which cascades as an update; a
 *   paper's first day moving later when its first day's row goes) is inserted ON CONFLICT DO NOTHING in key order:
 *   the common case (the fact is there already) writes nothing.
 * - a fact it may have made false (a topic or day row deleted, a slug renamed away, a paper's first day moving
 *   earlier or later) is re-checked, that (topic, day) only and only if present: walk `paper_days` of that day (its
 *   index), probing `paper_topics` by primary key (and, for a first-day fact, the paper's min(day): one descent),
 *   stopping at the first paper that still supports it; deleted if none does. A pair still there after the statement
 *   (the classifier's one-statement save deletes and re-inserts a paper's topics) is not re-checked. A deleted
 *   paper's rows go by cascade, whose statement triggers fire after the whole cascade: its topics and days are both
 *   gone then, so every fact of its days is re-checked (2 per topic and day, most found true at the first papers).
 * - TRUNCATE of either table empties it. `paper_days` rows change key only by insert or delete (its upserts update
 *   the rank columns), so its updates do not fire it.
 *
 * Concurrency (READ COMMITTED, the only level the services use): a re-check cannot see a concurrent uncommitted
 * insert relying on the fact it is about to delete (that insert found the fact present and wrote nothing), nor two
 * re-checks each other's deletes. So the triggers take transaction-scoped advisory locks on the facts' day buckets
 * (day number mod 64, namespace 1796005), in bucket order in one statement: shared for the facts a statement inserts
 * (classifier workers and parsers never wait for each other), exclusive for those it re-checks, whose DELETE then runs
 * as a statement of its own (a fresh snapshot: every writer that held the bucket has committed). A transaction that
 * deletes after it inserted on one bucket takes it shared, then exclusive: two such could deadlock (one is rolled
 * back), so writers delete first (the classifier's save; refreshReadModel).
 */
export const TOPIC_DAYS_FUNCTIONS = [
  // Takes the bucket locks of the facts to re-check (exclusive) and to insert (shared), then applies both.
  `CREATE FUNCTION topic_days_apply(gone topic_days[], add topic_days[]) RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM CASE WHEN l.x THEN pg_advisory_xact_lock(1796005, l.b) ELSE pg_advisory_xact_lock_shared(1796005, l.b) END
        FROM (SELECT (f.day - date '1970-01-01') & 63 AS b, bool_or(f.x) AS x
                FROM (SELECT day, true AS x FROM unnest(gone) UNION ALL SELECT day, false FROM unnest(add)) f
               GROUP BY 1 ORDER BY 1) l;
     IF cardinality(gone) > 0 THEN
       -- (the check reads x, so it runs on the facts present only; a paper's first day, min(day), is one descent of
       -- paper_days' primary key, taken for the papers of the topic only)
       DELETE FROM topic_days x
        WHERE (x.topic_slug, x.first, x.day) IN (SELECT topic_slug, first, day FROM unnest(gone))
          AND (SELECT 1 FROM paper_days pd
                CROSS JOIN LATERAL (SELECT pt.paper_id FROM paper_topics pt
                                     WHERE pt.paper_id = pd.paper_id AND pt.topic_slug = x.topic_slug OFFSET 0) pt
                WHERE pd.day = x.day
                  AND (NOT x.first OR (SELECT min(e.day) FROM paper_days e WHERE e.paper_id = pt.paper_id) = x.day)
                LIMIT 1) IS NULL;
     END IF;
     IF cardinality(add) > 0 THEN
       INSERT INTO topic_days (topic_slug, first, day)
       SELECT DISTINCT topic_slug, first, day FROM unnest(add) ORDER BY 1, 2, 3
       ON CONFLICT DO NOTHING;
     END IF;
   END $$`,
  // The facts a paper holding a topic supports: each of its days, and its first day (its days read once a paper).
  `CREATE FUNCTION topic_days_of(ps uuid[], ts text[]) RETURNS SETOF topic_days LANGUAGE sql STABLE AS $$
     SELECT DISTINCT t.slug, f.first, f.day
       FROM (SELECT x.p, array_agg(x.t) AS ts FROM unnest(ps, ts) AS x(p, t) GROUP BY 1) x
      CROSS JOIN LATERAL (SELECT array_agg(day) AS days, min(day) AS first_day FROM paper_days WHERE paper_id = x.p) d
      CROSS JOIN LATERAL (SELECT false AS first, day FROM unnest(d.days) AS day
                          UNION ALL SELECT true, d.first_day WHERE d.first_day IS NOT NULL) f
      CROSS JOIN unnest(x.ts) AS t(slug)
   $$`,
  // One trigger function for both tables (statement triggers: transition tables new_rows / old_rows).
  `CREATE FUNCTION topic_days_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     gone topic_days[] := '{}';
     add topic_days[] := '{}';
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE topic_days;
       RETURN NULL;
     ELSIF TG_TABLE_NAME = 'paper_topics' THEN
       IF TG_OP IN ('DELETE', 'UPDATE') THEN
         -- (paper, topic) pairs gone (not re-inserted or kept by the same statement)
         SELECT coalesce(array_agg(f), '{}') INTO gone
           FROM (SELECT array_agg(o.paper_id) AS ps, array_agg(o.topic_slug) AS ts
                   FROM (SELECT DISTINCT paper_id, topic_slug FROM old_rows) o
                  WHERE NOT EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = o.paper_id AND pt.topic_slug = o.topic_slug)) p
          CROSS JOIN LATERAL topic_days_of(p.ps, p.ts) f;
       END IF;
       IF TG_OP = 'INSERT' THEN
         SELECT coalesce(array_agg(f), '{}') INTO add
           FROM (SELECT array_agg(paper_id) AS ps, array_agg(topic_slug) AS ts FROM new_rows) p
          CROSS JOIN LATERAL topic_days_of(p.ps, p.ts) f;
       ELSIF TG_OP = 'UPDATE' THEN
         -- (paper, topic) pairs new: a renamed slug (an update keeping the slugs, as of a score, adds none)
         SELECT coalesce(array_agg(f), '{}') INTO add
           FROM (SELECT array_agg(n.paper_id) AS ps, array_agg(n.topic_slug) AS ts
                   FROM (SELECT paper_id, topic_slug FROM new_rows EXCEPT SELECT paper_id, topic_slug FROM old_rows) n) p
          CROSS JOIN LATERAL topic_days_of(p.ps, p.ts) f;
       END IF;
     ELSIF TG_OP = 'INSERT' THEN
       -- per paper: its new days, its first day now (c) and before this statement (o: its least day not inserted now)
       WITH p AS (
         SELECT n.paper_id, n.days, m.c, m.o
           FROM (SELECT paper_id, array_agg(day) AS days FROM new_rows GROUP BY 1) n
          CROSS JOIN LATERAL (SELECT min(day) AS c, min(day) FILTER (WHERE day <> ALL (n.days)) AS o
                                FROM paper_days WHERE paper_id = n.paper_id) m
       ), f AS (
         SELECT pt.topic_slug, x.first, x.day, x.stale
           FROM p
          CROSS JOIN LATERAL (SELECT false AS first, d AS day, false AS stale FROM unnest(p.days) AS d
                              UNION ALL SELECT true, p.c, false
                              UNION ALL SELECT true, p.o, true WHERE p.o > p.c) x
          CROSS JOIN LATERAL (SELECT topic_slug FROM paper_topics WHERE paper_id = p.paper_id OFFSET 0) pt
       )
       SELECT coalesce(array_agg(ROW(topic_slug, first, day)::topic_days) FILTER (WHERE stale), '{}'),
              coalesce(array_agg(ROW(topic_slug, first, day)::topic_days) FILTER (WHERE NOT stale), '{}')
         INTO gone, add FROM (SELECT DISTINCT * FROM f) f;
     ELSE
       -- per paper: its deleted days, and its first day now (c; null: none left). Its first day was the least deleted
       -- one if that is before c; then c is its new first day.
       WITH p AS (
         SELECT o.paper_id, o.days, o.least_gone, m.c
           FROM (SELECT paper_id, array_agg(day) AS days, min(day) AS least_gone FROM old_rows GROUP BY 1) o
          CROSS JOIN LATERAL (SELECT min(day) AS c FROM paper_days WHERE paper_id = o.paper_id) m
       ), f AS (
         SELECT pt.topic_slug, x.first, x.day, x.stale
           FROM p
          CROSS JOIN LATERAL (SELECT false AS first, d AS day, true AS stale FROM unnest(p.days) AS d
                              UNION ALL SELECT true, p.least_gone, true WHERE p.c IS NULL OR p.least_gone < p.c
                              UNION ALL SELECT true, p.c, false WHERE p.least_gone < p.c) x
          CROSS JOIN LATERAL (SELECT topic_slug FROM paper_topics WHERE paper_id = p.paper_id OFFSET 0) pt
         UNION ALL
         -- a deleted paper: its topic rows went by the same cascade, and the triggers of both fire after it, so its
         -- topics are unknown here (and its days to the topic trigger): every fact of its days is re-checked
         SELECT t.slug, b.first, p.day, true
           FROM (SELECT DISTINCT d AS day FROM p CROSS JOIN unnest(p.days) AS d
                  WHERE NOT EXISTS (SELECT 1 FROM papers WHERE id = p.paper_id)) p
          CROSS JOIN topics t CROSS JOIN (VALUES (false), (true)) AS b(first)
       )
       SELECT coalesce(array_agg(ROW(topic_slug, first, day)::topic_days) FILTER (WHERE stale), '{}'),
              coalesce(array_agg(ROW(topic_slug, first, day)::topic_days) FILTER (WHERE NOT stale), '{}')
         INTO gone, add FROM (SELECT DISTINCT * FROM f) f;
     END IF;
     PERFORM topic_days_apply(gone, add);
     RETURN NULL;
   END $$`,
];

const TRIGGERS: [string, string, string][] = [
  [
    'paper_days_topic_days_insert',
    'paper_days',
    'AFTER INSERT ON "paper_days" REFERENCING NEW TABLE AS new_rows',
  ],
  [
    'paper_days_topic_days_delete',
    'paper_days',
    'AFTER DELETE ON "paper_days" REFERENCING OLD TABLE AS old_rows',
  ],
  ['paper_days_topic_days_truncate', 'paper_days', 'AFTER TRUNCATE ON "paper_days"'],
  [
    'paper_topics_topic_days_insert',
    'paper_topics',
    'AFTER INSERT ON "paper_topics" REFERENCING NEW TABLE AS new_rows',
  ],
  [
    'paper_topics_topic_days_delete',
    'paper_topics',
    'AFTER DELETE ON "paper_topics" REFERENCING OLD TABLE AS old_rows',
  ],
  [
    'paper_topics_topic_days_update',
    'paper_topics',
    'AFTER UPDATE ON "paper_topics" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
  ],
  ['paper_topics_topic_days_truncate', 'paper_topics', 'AFTER TRUNCATE ON "paper_topics"'],
];

/** The facts true now: every (topic, listed day), and every (topic, first day) of a paper holding the topic. */
export const TOPIC_DAYS_FILL_SQL = `INSERT INTO topic_days (topic_slug, first, day)
  SELECT DISTINCT pt.topic_slug, false, d.day FROM paper_days d JOIN paper_topics pt ON pt.paper_id = d.paper_id
  UNION ALL
  SELECT DISTINCT pt.topic_slug, true, f.day
    FROM (SELECT paper_id, min(day) AS day FROM paper_days GROUP BY 1) f JOIN paper_topics pt ON pt.paper_id = f.paper_id`;

export class TopicDays1796005000000 implements MigrationInterface {
  name = 'TopicDays1796005000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "topic_days" (
         "topic_slug" text NOT NULL,
         "first" boolean NOT NULL,
         "day" date NOT NULL,
         CONSTRAINT "PK_topic_days" PRIMARY KEY ("topic_slug", "first", "day")
       )`,
    );
    await queryRunner.query(TOPIC_DAYS_FILL_SQL);
    for (const sql of TOPIC_DAYS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, , when] of TRIGGERS)
      await queryRunner.query(
        `CREATE TRIGGER "${name}" ${when} FOR EACH STATEMENT EXECUTE FUNCTION topic_days_sync()`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table] of [...TRIGGERS].reverse())
      await queryRunner.query(`DROP TRIGGER "${name}" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION topic_days_sync()`);
    await queryRunner.query(`DROP FUNCTION topic_days_of(uuid[], text[])`);
    await queryRunner.query(`DROP FUNCTION topic_days_apply(topic_days[], topic_days[])`);
    await queryRunner.query(`DROP TABLE "topic_days"`);
  }
}
