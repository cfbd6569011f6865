import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import { searchExpressionOf, searchKeyOf } from '../entities/paper.entity';
import { namedQuery } from './bulk';

type Db = DataSource | EntityManager;

/**
 * Computes the full-text vectors of these papers in one statement, only where the vector is missing or was computed
 * from something else: another content hash (a new paper, a changed title or abstract) or another search key
 * (searchKeyOf: a changed author list, an older document). A replayed batch writes nothing. Returns the number of
 * vectors written. Each paper is two primary-key look-ups (the LATERAL … OFFSET 0 and the scalar subquery are never
 * flattened into a join), so the plan cannot become a scan of papers or paper_search when the statistics are stale
 * (per-batch-plans.int-spec.ts).
 */
export async function refreshPaperSearch(db: Db, paperIds: readonly string[]): Promise<number> {
  if (paperIds.length === 0) return 0;
  const rows = await namedQuery<{ paper_id: string }>(
    db,
    'pw_refresh_paper_search_v2',
    `INSERT INTO paper_search (paper_id, search, content_hash, search_key)
       SELECT p.id, ${searchExpressionOf('p')}, p.content_hash, p.search_key
         FROM unnest($1::uuid[]) AS b(id)
        CROSS JOIN LATERAL (SELECT id, title, abstract, authors, content_hash, ${searchKeyOf('papers')} AS search_key
                              FROM papers WHERE id = b.id OFFSET 0) p
        WHERE (SELECT ROW(s.content_hash, s.search_key) FROM paper_search s WHERE s.paper_id = b.id)
              IS DISTINCT FROM ROW(p.content_hash, p.search_key)
     ON CONFLICT (paper_id) DO UPDATE SET search = EXCLUDED.search, content_hash = EXCLUDED.content_hash, search_key = EXCLUDED.search_key
       WHERE (paper_search.content_hash, paper_search.search_key) IS DISTINCT FROM (EXCLUDED.content_hash, EXCLUDED.search_key)
     RETURNING paper_id`,
    [[...new Set(paperIds)]],
  );
  return rows.length;
}

/**
 * Papers whose vector is stale by its search key (an older document, an author list changed since), among the
 * `scan` vectors after `after` in paper id order (the primary key of paper_search, then one primary-key look-up of
 * papers each): the sweeper walks the table a window per sweep, so the vectors written before the document had the
 * authors are recomputed in batches over time, never in one transaction, and an author change whose index-search job
 * was lost is found within one walk. `through` is the last paper id of the window, null when the walk reached the end.
 */
export async function outdatedSearchPapers(
  db: Db,
  after: string,
  scan: number,
): Promise<{ refs: PaperRef[]; through: string | null }> {
  const rows: { through: string | null; n: number; paper_id: string | null; content_hash: string }[] = await db.query(
    `WITH w AS MATERIALIZED (
       SELECT paper_id, search_key FROM paper_search WHERE paper_id > $1::uuid ORDER BY paper_id LIMIT ${Math.trunc(scan)})
     SELECT e.through::text AS through, e.n, x.paper_id, x.content_hash
       FROM (SELECT (SELECT paper_id FROM w ORDER BY paper_id DESC LIMIT 1) AS through, (SELECT count(*)::int FROM w) AS n) e
       LEFT JOIN LATERAL (
         SELECT w.paper_id, p.content_hash
           FROM w CROSS JOIN LATERAL (SELECT content_hash, ${searchKeyOf('papers')} AS search_key
                                        FROM papers WHERE id = w.paper_id OFFSET 0) p
          WHERE w.search_key IS DISTINCT FROM p.search_key) x ON true`,
    [after],
  );
  const edge = rows[0];
  return {
    refs: rows.flatMap((r) => (r.paper_id === null ? [] : [{ paperId: r.paper_id, contentHash: r.content_hash }])),
    through: edge && edge.n >= Math.trunc(scan) ? edge.through : null,
  };
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
