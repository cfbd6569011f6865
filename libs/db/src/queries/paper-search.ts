import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import { searchExpressionOf } from '../entities/paper.entity';
import { namedQuery } from './bulk';

type Db = DataSource | EntityManager;

/**
 * Computes the full-text vectors of these papers in one statement, only where the paper's content
 * hash differs from the one its vector was computed from (a new paper, a changed title or abstract):
 * a replayed batch writes nothing. Returns the number of vectors written. Each paper is two primary-key
 * look-ups (the LATERAL … OFFSET 0 and the scalar subquery are never flattened into a join), so the plan
 * cannot become a scan of papers or paper_search when the statistics are stale
 * (per-batch-plans.int-spec.ts).
 */
export async function refreshPaperSearch(db: Db, paperIds: readonly string[]): Promise<number> {
  if (paperIds.length === 0) return 0;
  const rows = await namedQuery<{ paper_id: string }>(
    db,
    'pw_refresh_paper_search',
    `INSERT INTO paper_search (paper_id, search, content_hash)
       SELECT p.id, ${searchExpressionOf('p')}, p.content_hash
         FROM unnest($1::uuid[]) AS b(id)
        CROSS JOIN LATERAL (SELECT id, title, abstract, content_hash FROM papers WHERE id = b.id OFFSET 0) p
        WHERE (SELECT s.content_hash FROM paper_search s WHERE s.paper_id = b.id) IS DISTINCT FROM p.content_hash
     ON CONFLICT (paper_id) DO UPDATE SET search = EXCLUDED.search, content_hash = EXCLUDED.content_hash
       WHERE paper_search.content_hash IS DISTINCT FROM EXCLUDED.content_hash
     RETURNING paper_id`,
    [[...new Set(paperIds)]],
  );
  return rows.length;
}

/**
 * Where the next scan of recent content changes ends: the seen_at of the `scan`-th paper version seen
 * after `after` and more than `olderThanSeconds` ago (by the seen_at index), or null when there is none.
 * Timestamps travel as text: a JS Date would drop the microseconds and miss the last row.
 */
export async function searchScanEnd(
  db: Db,
  after: string,
  olderThanSeconds: number,
  scan: number,
): Promise<string | null> {
  const rows: { through: string | null }[] = await db.query(
    `SELECT max(seen_at)::text AS through FROM (
       SELECT seen_at FROM paper_versions
        WHERE seen_at > $1::timestamptz AND seen_at < now() - make_interval(secs => $2)
        ORDER BY seen_at LIMIT $3) v`,
    [after, olderThanSeconds, scan],
  );
  return rows[0]?.through ?? null;
}

/**
 * Papers with a content change seen in (`after`, `through`] (a paper_versions row, by its seen_at
 * index) whose full-text vector is missing or was computed from other content: their index-search job
 * was lost. Each candidate costs two primary-key look-ups (its paper, its vector), written as
 * subqueries so the plan stays index look-ups at any catalogue size (a join of the two-column
 * condition was estimated at one row and planned as a scan of papers).
 */
export async function staleSearchPapers(
  db: Db,
  after: string,
  through: string,
  limit: number,
): Promise<PaperRef[]> {
  const rows: { paper_id: string; content_hash: string }[] = await db.query(
    `SELECT x.paper_id, x.content_hash
       FROM (SELECT DISTINCT v.paper_id, (SELECT p.content_hash FROM papers p WHERE p.id = v.paper_id) AS content_hash
               FROM paper_versions v WHERE v.seen_at > $1::timestamptz AND v.seen_at <= $2::timestamptz) x
      WHERE x.content_hash IS DISTINCT FROM (SELECT s.content_hash FROM paper_search s WHERE s.paper_id = x.paper_id)
      LIMIT $3`,
    [after, through, limit],
  );
  return rows.map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
}
