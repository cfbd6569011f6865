import type { DataSource, EntityManager } from 'typeorm';
import type { PaperRef } from '@paperwire/contracts';
import { PAPERS_SEARCH_EXPRESSION } from '../entities/paper.entity';

type Db = DataSource | EntityManager;

const of = (row: string) => PAPERS_SEARCH_EXPRESSION.replace(/"title"/g, `${row}."title"`).replace(/"abstract"/g, `${row}."abstract"`);

/**
 * Computes the full-text vectors of these papers in one statement, only where the paper's content
 * hash differs from the one its vector was computed from (a new paper, a changed title or abstract):
 * a replayed batch writes nothing. Returns the number of vectors written.
 */
export async function refreshPaperSearch(db: Db, paperIds: readonly string[]): Promise<number> {
  if (paperIds.length === 0) return 0;
  const rows: { paper_id: string }[] = await db.query(
    `INSERT INTO paper_search (paper_id, search, content_hash)
       SELECT p.id, ${of('p')}, p.content_hash
         FROM papers p LEFT JOIN paper_search s ON s.paper_id = p.id
        WHERE p.id = ANY($1::uuid[]) AND s.content_hash IS DISTINCT FROM p.content_hash
     ON CONFLICT (paper_id) DO UPDATE SET search = EXCLUDED.search, content_hash = EXCLUDED.content_hash
       WHERE paper_search.content_hash IS DISTINCT FROM EXCLUDED.content_hash
     RETURNING paper_id`,
    [paperIds],
  );
  return rows.length;
}

/**
 * Papers whose content changed between `lookbackSeconds` and `olderThanSeconds` ago (a new row in
 * paper_versions, by its seen_at index) and whose full-text vector is missing or was computed from
 * other content: their index-search job was lost. The index bounds the read to the recent versions,
 * never the whole catalogue.
 */
export async function staleSearchPapers(db: Db, olderThanSeconds: number, lookbackSeconds: number, limit: number): Promise<PaperRef[]> {
  const rows: { paper_id: string; content_hash: string }[] = await db.query(
    `SELECT DISTINCT p.id AS paper_id, p.content_hash
       FROM paper_versions v
       JOIN papers p ON p.id = v.paper_id AND p.content_hash = v.content_hash
       LEFT JOIN paper_search s ON s.paper_id = p.id
      WHERE v.seen_at >= now() - make_interval(secs => $2) AND v.seen_at < now() - make_interval(secs => $1)
        AND s.content_hash IS DISTINCT FROM p.content_hash
      LIMIT $3`,
    [olderThanSeconds, lookbackSeconds, limit],
  );
  return rows.map((r) => ({ paperId: r.paper_id, contentHash: r.content_hash }));
}
