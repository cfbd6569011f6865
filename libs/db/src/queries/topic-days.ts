import { namedQuery } from './bulk';
import { foldCountDeltas } from './count-deltas';
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

/**
 * How many papers of `topic` the day lists: the sum of its rows in `topic_day_counts` (migration 1796096000000), one
 * range of its index: the folded total and the deltas written since the sweeper last folded them.
 */
export async function topicDayTotal(db: Db, topic: string, day: string): Promise<number> {
  const [row] = await namedQuery<{ n: number }>(
    db,
    'pw_topic_day_total',
    `SELECT coalesce(sum(papers), 0)::int AS n FROM topic_day_counts WHERE topic_slug = $1 AND day = $2::date`,
    [topic, day],
  );
  return row?.n ?? 0;
}

/**
 * How many papers have their first day (`paper_read.day0`) in [from, to] (a week's or month's total), of `topic` or
 * (null) in all: the sum of its rows in `first_day_counts` (migration 1796120000000), one range of its index over at
 * most 31 days' folded totals and the deltas written since the sweeper last folded them.
 */
export async function firstDaysTotal(db: Db, topic: string | null, from: string, to: string): Promise<number> {
  const [row] = await namedQuery<{ n: number }>(
    db,
    'pw_first_days_total',
    `SELECT coalesce(sum(papers), 0)::int AS n FROM first_day_counts WHERE topic_slug = $1 AND day >= $2::date AND day <= $3::date`,
    [topic ?? '', from, to],
  );
  return row?.n ?? 0;
}

/** The key of the per-(topic, day) count tables. */
const DAY_KEYS = ['topic_slug', 'day'] as const;

/** The sweeper's fold of `topic_day_counts` (migration 1796096000000; see foldCountDeltas). */
export function compactTopicDayCounts(db: Db, limit: number): Promise<number> {
  return foldCountDeltas(db, 'topic_day_counts', DAY_KEYS, 'papers', limit);
}

/** The sweeper's fold of `first_day_counts` (migration 1796120000000; see foldCountDeltas). */
export function compactFirstDayCounts(db: Db, limit: number): Promise<number> {
  return foldCountDeltas(db, 'first_day_counts', DAY_KEYS, 'papers', limit);
}
