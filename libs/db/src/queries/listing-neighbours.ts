import type { Db } from './sql';

/**
 * The nearest weeks (or months) before and after the one starting `from` that list a paper: a paper is listed in the
 * week and month of its first day (`paper_read.week0` / `month0`), so each is one descent of that period's index
 * (idx_paper_read_week / idx_paper_read_month: `max(week0) < from`, `min(week0) > from`), however many empty periods
 * lie between. Returns the periods' first days (a Monday, or the 1st of a month). Topic filters are answered from
 * `topic_days` (read-model.ts topicDayNeighbours), as the day view's are.
 */
export async function listedPeriodNeighbours(
  db: Db,
  kind: 'week' | 'month',
  from: string,
): Promise<{ previous: string | null; next: string | null }> {
  const col = kind === 'week' ? 'week0' : 'month0';
  const rows: { prev: string | null; next: string | null }[] = await db.query(
    `SELECT (SELECT max(${col}) FROM paper_read WHERE ${col} < $1::date)::text AS prev,
            (SELECT min(${col}) FROM paper_read WHERE ${col} > $1::date)::text AS next`,
    [from],
  );
  return { previous: rows[0]?.prev ?? null, next: rows[0]?.next ?? null };
}

/**
 * When the newest trending paper (one with a signal: trend_key not null) first appeared, among those that first
 * appeared since `since` (of one of `topics`, when given); null for none. It walks `idx_paper_read_t0` newest first
 * from now down to `since` and stops at the first paper with a signal: a cost of the window's own papers at most
 * (one row when the newest has a signal), never of the catalogue. An empty trending window asks it once, with the
 * longest window's start, to link only a window that lists papers.
 */
export async function newestTrendingSince(db: Db, since: Date, topics?: readonly string[]): Promise<Date | null> {
  const topic = topics?.length
    ? 'AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = r.paper_id AND pt.topic_slug = ANY($2::text[]))'
    : '';
  const rows: { t0: Date }[] = await db.query(
    `SELECT r.t0 FROM paper_read r WHERE r.t0 >= $1::timestamptz AND r.trend_key IS NOT NULL ${topic}
      ORDER BY r.t0 DESC, r.paper_id DESC LIMIT 1`,
    topics?.length ? [since.toISOString(), [...new Set(topics)]] : [since.toISOString()],
  );
  return rows[0] ? new Date(rows[0].t0) : null;
}
