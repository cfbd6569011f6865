import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';
import type { Db } from './sql';

/**
 * A paper's trend key in the read model (alias p = papers), null when it has no signal or no read-model row:
 * one lookup of paper_read's primary key per row returned (a select-list subquery runs for the rows the
 * query returns, after its LIMIT). `trendScore(trend_key, now)` turns it into the decayed score every
 * response shows as `trendingScore`, the score /v1/trending shows.
 */
/**
 * The trending order of read-model rows (alias r), one for every list of trending papers — the Trending tab,
 * /v1/trending, /v1/papers?sort=trending and the "Trending papers" digest: the decayed score's order (trend_key), and
 * between papers of the same score the newer id first, so a tie is listed the same way everywhere.
 */
export const TREND_ORDER = 'r.trend_key DESC, r.paper_id DESC';

export const TREND_KEY_OF_PAPER = `(SELECT pr.trend_key FROM paper_read pr WHERE pr.paper_id = p.id)`;

/** The columns every card query selects (alias p = papers). */
export const CARD_PAPER_COLUMNS = `p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.links, p.has_code, p.primary_topic, ${TREND_KEY_OF_PAPER} AS trend_key`;

export interface CardPaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  links: PaperLinks;
  has_code: boolean;
  primary_topic: string | null;
  /** the read model's trend key (TREND_KEY_OF_PAPER): null without a signal */
  trend_key: number | null;
  sighted_at?: Date | null;
}

export interface CardTopicRow {
  paper_id: string;
  topic_slug: string;
  name: string;
  score: number;
}

/** Topics of a page of papers with their names, primary first, then by score. */
export function cardTopicsOfPapers(db: Db, ids: readonly string[]): Promise<CardTopicRow[]> {
  return db.query(
    `SELECT pt.paper_id, pt.topic_slug, coalesce(t.name, pt.topic_slug) AS name, pt.score
         FROM paper_topics pt LEFT JOIN topics t ON t.slug = pt.topic_slug
        WHERE pt.paper_id = ANY($1::uuid[]) ORDER BY pt.is_primary DESC, pt.score DESC, pt.topic_slug`,
    [ids],
  );
}

export interface CardSignalRow {
  paper_id: string;
  upvotes: number | null;
  comments: number | null;
  stars: number | null;
  n: number;
}

/** Community signals of a page of papers: max over their sightings, and the number of sightings. */
export function cardSignalsOfPapers(db: Db, ids: readonly string[]): Promise<CardSignalRow[]> {
  return db.query(
    `SELECT paper_id, max(upvotes) AS upvotes, max(comments) AS comments, max(github_stars) AS stars, count(*)::int AS n
         FROM paper_sources WHERE paper_id = ANY($1::uuid[]) GROUP BY paper_id`,
    [ids],
  );
}

/** The sources that listed each of a page of papers (kind and name, once each). */
export function cardSourcesOfPapers(db: Db, ids: readonly string[]): Promise<{ paper_id: string; kind: string; name: string }[]> {
  return db.query(
    `SELECT DISTINCT ps.paper_id, ps.source_kind AS kind, s.name FROM paper_sources ps JOIN sources s ON s.id = ps.source_id
          WHERE ps.paper_id = ANY($1::uuid[]) ORDER BY ps.paper_id, s.name`,
    [ids],
  );
}

export interface ListingPaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  published_at: Date | null;
  links: PaperLinks;
  primary_topic: string | null;
  t0: Date | null;
  featured_at: Date | null;
  upvotes: number | null;
  comments: number | null;
  stars: number | null;
  submitted_by: string | null;
  trend_key: number | null;
}

/** The card rows (CARD_PAPER_COLUMNS) of these papers, in the order of `ids` (one primary-key read each). */
export async function cardPaperRowsByIds(db: Db, ids: readonly string[]): Promise<CardPaperRow[]> {
  if (ids.length === 0) return [];
  const rows: CardPaperRow[] = await db.query(`SELECT ${CARD_PAPER_COLUMNS} FROM papers p WHERE p.id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is CardPaperRow => r !== undefined);
}

/** The papers of a listing page with their read-model row (any order; the caller keeps its own). */
export function listingPapers(db: Db, ids: readonly string[]): Promise<ListingPaperRow[]> {
  return db.query(
    `SELECT p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.published_at, p.links, p.primary_topic,
                r.t0, r.featured_at, r.upvotes, r.comments, r.stars, r.submitted_by, r.trend_key
           FROM papers p LEFT JOIN paper_read r ON r.paper_id = p.id WHERE p.id = ANY($1::uuid[])`,
    [ids],
  );
}
