import type { DataSource } from 'typeorm';
import { uncountSearchWords } from './search-words';
import type { Db } from './sql';

/** A paper as it was removed. */
export interface RemovedPaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
}

export interface PapersRemoved {
  papers: RemovedPaperRow[];
  /** deliveries of them that had not been sent: skipped ("paper removed"), never sent */
  deliveriesSkipped: number;
  /** words of the search vocabulary no paper has any more */
  searchWordsGone: number;
}

/** Why a delivery of a removed paper was not sent (its log says so). */
export const PAPER_REMOVED = 'paper removed by the operator';

/**
 * Deletes papers and everything that hangs off them, in one transaction. Their rows go by cascade (versions, sources,
 * topics, claims, search document, read row, days, stages), and the tables kept from those by triggers follow in the
 * same statement: topic_day_counts / first_day_counts (delta rows, the papers' BEFORE DELETE triggers), topic_day_papers,
 * topic_first_papers, topic_days and claim_topics. The vocabulary of spelling suggestions (search_words, counted by
 * the sweeper) takes their words back (uncountSearchWords). Deliveries not sent yet are skipped; sent ones stay in
 * their subscription's log (a paper that is gone shows there without title). The topic rollup (topic_counts) and the
 * caches follow at their next refresh, as after any write.
 */
/**
 * Skips the deliveries of papers `ids` not sent yet (stored pending), their log saying why (PAPER_REMOVED); how many.
 * Read from idx_deliveries_pending_paper (migration 1796400000000): the removed papers' own pending deliveries, where
 * idx_deliveries_status gave every pending delivery to test (5.1k buffers at 1M papers, 101k subscriptions).
 */
export async function skipPendingDeliveriesOf(db: Db, ids: readonly string[]): Promise<number> {
  // (statements in a CTE: a bare UPDATE / DELETE … RETURNING comes back from TypeORM as [rows, count])
  const [{ n }]: { n: number }[] = await db.query(
    `WITH s AS (UPDATE deliveries SET status = 'skipped', last_error = $2, claimed_by = NULL, updated_at = now()
                 WHERE paper_id = ANY($1::uuid[]) AND status = 'pending' RETURNING 1)
     SELECT count(*)::int AS n FROM s`,
    [ids, PAPER_REMOVED],
  );
  return n;
}

export async function deletePapers(ds: DataSource, ids: readonly string[]): Promise<PapersRemoved> {
  if (ids.length === 0) return { papers: [], deliveriesSkipped: 0, searchWordsGone: 0 };
  return ds.transaction(async (m) => {
    const searchWordsGone = await uncountSearchWords(m, ids);
    const deliveriesSkipped = await skipPendingDeliveriesOf(m, ids);
    const papers: RemovedPaperRow[] = await m.query(
      `WITH d AS (DELETE FROM papers WHERE id = ANY($1::uuid[]) RETURNING id, arxiv_id, title) SELECT * FROM d`,
      [ids],
    );
    return { papers, deliveriesSkipped, searchWordsGone };
  });
}
