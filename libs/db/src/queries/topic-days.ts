import { namedQuery } from './bulk';
import type { Db } from './sql';

/** What one pruneTopicDays pass did. */
export interface TopicDaysPrune {
  /** suspects stamped with the snapshot they wait out */
  stamped: number;
  /** suspects resolved (their facts checked) and gone */
  resolved: number;
  /** facts deleted: false ones of resolved suspects, and copies */
  deleted: number;
}

/**
 * The sweeper's upkeep of `topic_days` (migration 1796010000000): the hot path only inserts facts and suspects; this
 * deletes what the readers step over. Three statements, each on at most `limit` suspects or facts:
 * - stamps suspects not stamped yet with the current snapshot (`seen`: the transactions running while they are visible);
 * - resolves those whose stamp's transactions have all ended: each suspected fact verified from the source tables
 *   (topic_days_holds, in that statement's snapshot) and deleted if false, the suspect rows deleted;
 * - drops copies of a fact (two writers adding it at once, or one adding it while suspected), one row kept.
 * No hot-path writer waits for it (they never lock fact or suspect rows, nor update them). Meant for one sweeper
 * process: two running at once wait for each other's deletes (or, rarely, one is aborted; nothing is lost).
 */
export async function pruneTopicDays(db: Db, limit: number): Promise<TopicDaysPrune> {
  const [stamped] = await namedQuery<{ n: number }>(
    db,
    'pw_topic_days_stamp',
    `WITH s AS (UPDATE topic_days_stale SET seen = pg_current_snapshot()
                 WHERE ctid = ANY (ARRAY(SELECT ctid FROM topic_days_stale WHERE seen IS NULL LIMIT $1)) RETURNING 1)
     SELECT count(*)::int AS n FROM s`,
    [limit],
  );
  const [resolved] = await namedQuery<{ resolved: number; deleted: number }>(
    db,
    'pw_topic_days_resolve',
    `WITH s AS (
       SELECT s.ctid AS c, s.topic_slug, s.first, s.day FROM topic_days_stale s
        WHERE s.seen IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(s.seen) x WHERE NOT pg_visible_in_snapshot(x, pg_current_snapshot()))
        LIMIT $1
     ), gone AS (
       DELETE FROM topic_days x USING (SELECT DISTINCT topic_slug, first, day FROM s) k
        WHERE x.topic_slug = k.topic_slug AND x.first = k.first AND x.day = k.day
          AND NOT topic_days_holds(k.topic_slug, k.first, k.day)
       RETURNING 1
     ), done AS (DELETE FROM topic_days_stale WHERE ctid = ANY (ARRAY(SELECT c FROM s)) RETURNING 1)
     SELECT (SELECT count(*) FROM done)::int AS resolved, (SELECT count(*) FROM gone)::int AS deleted`,
    [limit],
  );
  const [copies] = await namedQuery<{ n: number }>(
    db,
    'pw_topic_days_dedupe',
    `WITH d AS (
       DELETE FROM topic_days x
        USING (SELECT topic_slug, first, day, min(ctid) AS keep FROM topic_days GROUP BY 1, 2, 3 HAVING count(*) > 1 LIMIT $1) k
        WHERE x.topic_slug = k.topic_slug AND x.first = k.first AND x.day = k.day AND x.ctid <> k.keep
       RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [limit],
  );
  return { stamped: stamped.n, resolved: resolved.resolved, deleted: resolved.deleted + copies.n };
}
