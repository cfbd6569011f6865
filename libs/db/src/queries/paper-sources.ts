import type { CanonicalPaper } from '@paperwire/contracts';
import { isoOrNull } from './papers';
import { bulkQuery, type BulkSpec } from './bulk';
import type { Db } from './sql';

/** The row source of `upsertSightings`; $1 source, $2 its kind, $3 the raw document. */
const UPSERT_SIGHTINGS: BulkSpec = {
  name: 'upsert_sightings',
  columns: [
    ['paper_id', 'uuid'],
    ['source_item_id', 'text'],
    ['upvotes', 'int'],
    ['comments', 'int'],
    ['github_stars', 'int'],
    ['announce_type', 'text'],
    ['featured_at', 'timestamptz'],
    ['item_published_at', 'timestamptz'],
    ['submitted_by', 'text'],
    ['organization', 'text'],
    ['organization_fullname', 'text'],
    ['thumbnail_url', 'text'],
    ['media_urls', 'text[]'],
    ['author_participating', 'boolean'],
    ['hf_extras', 'jsonb'],
  ],
  sql: (
    x,
  ) => `INSERT INTO paper_sources (paper_id, source_id, source_kind, raw_document_id, source_item_id, upvotes, comments,
                                  github_stars, announce_type, featured_at, item_published_at, submitted_by, organization, organization_fullname, thumbnail_url,
                                  media_urls, author_participating, hf_extras)
       SELECT x.paper_id, $1, $2, $3, x.source_item_id, x.upvotes, x.comments, x.github_stars, x.announce_type, x.featured_at,
              x.item_published_at, x.submitted_by,
              x.organization, x.organization_fullname, x.thumbnail_url, x.media_urls, x.author_participating, x.hf_extras
         FROM ${x}
       ON CONFLICT (paper_id, source_id) DO UPDATE SET
              raw_document_id = EXCLUDED.raw_document_id, source_item_id = coalesce(EXCLUDED.source_item_id, paper_sources.source_item_id),
              upvotes = coalesce(EXCLUDED.upvotes, paper_sources.upvotes), comments = coalesce(EXCLUDED.comments, paper_sources.comments),
              github_stars = coalesce(EXCLUDED.github_stars, paper_sources.github_stars),
              announce_type = coalesce(EXCLUDED.announce_type, paper_sources.announce_type),
              featured_at = coalesce(paper_sources.featured_at, EXCLUDED.featured_at),
              item_published_at = coalesce(EXCLUDED.item_published_at, paper_sources.item_published_at),
              submitted_by = coalesce(EXCLUDED.submitted_by, paper_sources.submitted_by),
              organization = coalesce(EXCLUDED.organization, paper_sources.organization),
              organization_fullname = coalesce(EXCLUDED.organization_fullname, paper_sources.organization_fullname),
              thumbnail_url = coalesce(EXCLUDED.thumbnail_url, paper_sources.thumbnail_url),
              media_urls = coalesce(EXCLUDED.media_urls, paper_sources.media_urls),
              author_participating = coalesce(EXCLUDED.author_participating, paper_sources.author_participating),
              hf_extras = coalesce(EXCLUDED.hf_extras, paper_sources.hf_extras), last_seen_at = now()`,
};

/**
 * One sighting per (paper, source); community signals are refreshed on every sighting (the caller
 * refreshes the read model of these papers in the same transaction).
 */
export async function upsertSightings(
  db: Db,
  rawDocumentId: string,
  sourceId: string,
  sourceKind: string,
  items: readonly { paperId: string; paper: CanonicalPaper }[],
): Promise<void> {
  await bulkQuery(
    db,
    UPSERT_SIGHTINGS,
    items.map(({ paperId, paper: { sighting: s } }) => ({
      paper_id: paperId,
      source_item_id: s.sourceItemId ?? null,
      upvotes: s.upvotes ?? null,
      comments: s.comments ?? null,
      github_stars: s.githubStars ?? null,
      announce_type: s.announceType ?? null,
      featured_at: isoOrNull(s.featuredAt),
      item_published_at: isoOrNull(s.itemPublishedAt),
      submitted_by: s.submittedBy ?? null,
      organization: s.organization?.name ?? null,
      organization_fullname: s.organization?.fullname ?? null,
      thumbnail_url: s.thumbnailUrl ?? null,
      media_urls: s.mediaUrls ?? null,
      author_participating: s.authorParticipating ?? null,
      hf_extras: s.hf ?? null,
    })),
    [sourceId, sourceKind, rawDocumentId],
  );
}
