import type { DataSource } from 'typeorm';

export interface Presentation {
  organization: { name: string; fullname: string | null } | null;
  thumbnailUrl: string | null;
}

/**
 * What the sources say about a page of papers' presentation (HF organisation and thumbnail), newest
 * sighting first: one indexed query for the page's ids (paper_sources is keyed by paper_id first).
 */
export async function loadPresentation(ds: DataSource, ids: string[]): Promise<Map<string, Presentation>> {
  if (ids.length === 0) return new Map();
  const rows: { paper_id: string; organization: string | null; organization_fullname: string | null; thumbnail_url: string | null }[] = await ds.query(
    `SELECT DISTINCT ON (paper_id) paper_id, organization, organization_fullname, thumbnail_url
       FROM paper_sources
      WHERE paper_id = ANY($1::uuid[]) AND (organization IS NOT NULL OR thumbnail_url IS NOT NULL)
      ORDER BY paper_id, last_seen_at DESC`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.paper_id,
      {
        organization: r.organization ? { name: r.organization, fullname: r.organization_fullname } : null,
        thumbnailUrl: r.thumbnail_url,
      },
    ]),
  );
}
