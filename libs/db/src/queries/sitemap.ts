import type { Db } from './sql';

/** A sitemap holds at most 50,000 addresses (sitemaps.org), an index at most 50,000 sitemaps. */
export const SITEMAP_MAX_URLS = 50_000;

/**
 * The days that list papers, newest first, at most `limit`: a loose index scan of paper_days' (day, …) index —
 * one descent per day listed, never a pass over the catalogue's rows.
 */
export async function sitemapDays(db: Db, limit = SITEMAP_MAX_URLS): Promise<string[]> {
  const rows: { day: string }[] = await db.query(
    `WITH RECURSIVE d(day) AS (
       (SELECT day FROM paper_days ORDER BY day DESC LIMIT 1)
       UNION ALL
       SELECT (SELECT p.day FROM paper_days p WHERE p.day < d.day ORDER BY p.day DESC LIMIT 1) FROM d WHERE d.day IS NOT NULL
     )
     SELECT day::text AS day FROM d WHERE day IS NOT NULL LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.day);
}

export interface SitemapPaperRow {
  id: string;
  arxiv_id: string | null;
  updated_at: Date;
}

/** The papers a day lists (its paper_days rows, by the index's leading day), at most `limit`, in id order. */
export async function sitemapDayPapers(db: Db, day: string, limit = SITEMAP_MAX_URLS): Promise<SitemapPaperRow[]> {
  return db.query(
    `SELECT p.id, p.arxiv_id, p.updated_at
       FROM paper_days d JOIN papers p ON p.id = d.paper_id
      WHERE d.day = $1::date
      ORDER BY d.paper_id
      LIMIT $2`,
    [day, limit],
  );
}
