import type { DataSource, EntityManager } from 'typeorm';
import type { Claim, PaperParts } from '@paperwire/contracts';
import { namedQuery } from './bulk';
import { TREND_ORDER } from './paper-cards';
import { SORT_AT } from './paper-filters';
import { SIGHTING_SOURCE_NAMES } from './source-match';

type Db = DataSource | EntityManager;

// The columns of a paper and of its topics, claims and sources, shared by the batch query (flat rows,
// cheapest for Postgres on many papers) and the per-delivery query in deliveries.ts (the same rows as JSON).
export const PAPER_COLUMNS = `id, arxiv_id, title, abstract, authors, links, primary_topic, contribution, published_at`;
export const TOPIC_COLUMNS = `paper_id, topic_slug, score, evidence`;
/** A topic's columns without its evidence (which no filter and no webhook payload reads). */
export const TOPIC_SCORE_COLUMNS = `paper_id, topic_slug, score`;
export const CLAIM_COLUMNS = `paper_id, start, "end", text, value, low, unit, unit_text AS "unitText", category, kind, metric,
  improvement, baseline, compared_to AS "comparedTo", dataset, qualifier, is_headline`;
/** A sighting's paper and the names a `source` filter matches it by (its source's name, its kind, a file's format). */
export const SOURCE_COLUMNS = `ps.paper_id, ${SIGHTING_SOURCE_NAMES}`;
export const SOURCES_FROM = `paper_sources ps JOIN sources s ON s.id = ps.source_id`;

export interface NotifiedPaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: { name: string }[];
  links: { abs?: string; pdf?: string; code: string[]; project: string[] };
  primary_topic: string | null;
  contribution: string | null;
  /** a Date from a row, an ISO string from JSON */
  published_at: Date | string | null;
}
/** `evidence` is undefined when read with TOPIC_SCORE_COLUMNS */
export type NotifiedTopicRow = { paper_id: string; topic_slug: string; score: number; evidence: string[] };
export type NotifiedClaimRow = Claim & { paper_id: string; is_headline: boolean };
export type NotifiedSourceRow = { paper_id: string; source_names: string[] };

/** Everything a subscription filter or a payload reads about some papers, as flat rows. */
export interface NotifiedPaperRows {
  papers: NotifiedPaperRow[];
  topics: NotifiedTopicRow[];
  claims: NotifiedClaimRow[];
  sources: NotifiedSourceRow[];
}

/**
 * Which of a paper's rows to read (libs/notifications `filterNeeds` says what a filter reads). Unread
 * columns are undefined, unread tables have no rows.
 */
export interface NotifiedRowsWanted extends PaperParts {
  /** the topics' evidence (no filter reads it): left out unless asked for */
  evidence?: boolean;
}

const ALL_ROWS: NotifiedRowsWanted = {
  evidence: true,
  text: true,
  authors: true,
  codeLinks: true,
  sources: true,
  topics: true,
  claims: true,
};

/** The paper columns `wanted` reads (id always), and the statement-name suffix of that set; null: none. */
function paperColumns(wanted: NotifiedRowsWanted): { columns: string; suffix: string } | null {
  if (wanted.text && wanted.authors && wanted.codeLinks) return { columns: PAPER_COLUMNS, suffix: '' };
  if (!wanted.text && !wanted.authors && !wanted.codeLinks) return null;
  const parts: [boolean, string, string][] = [
    [wanted.text, 'title, abstract', 't'],
    [wanted.authors, 'authors', 'a'],
    [wanted.codeLinks, 'links', 'l'],
  ];
  const on = parts.filter(([w]) => w);
  return {
    columns: ['id', ...on.map(([, c]) => c)].join(', '),
    suffix: `_${on.map(([, , k]) => k).join('')}`,
  };
}

const none = <T>(): Promise<T[]> => Promise.resolve([]);

/**
 * The rows of `from` (a table, `alias` its alias) of each paper of the batch ($1), looked up paper by paper
 * (`keyColumn` = the paper's id, an index's leading column): written as a filter on the table, a catalogue
 * without statistics was planned as a scan of it (per-batch-plans.int-spec.ts).
 */
const perPaper = (columns: string, from: string, keyColumn: string, orderBy: string): string =>
  `SELECT x.* FROM (SELECT DISTINCT unnest($1::uuid[]) AS id) b
     CROSS JOIN LATERAL (SELECT ${columns} FROM ${from} WHERE ${keyColumn} = b.id OFFSET 0) x ORDER BY ${orderBy}`;

/**
 * The rows of the papers, their topics (best first), claims (in text order) and sources, in up to four
 * queries for the whole batch: on batches of a hundred papers, flat rows cost Postgres far less than
 * nesting them as JSON. `wanted` (default: everything) leaves out what a caller does not read (live
 * matching reads only what its subscriptions' filters look at): the paper rows then carry only the id
 * and the wanted columns, the others undefined. When no paper column is wanted, `papers` is not read:
 * the ids are taken as papers, so callers pass ids of existing papers (a paper_stages row's, say).
 */
export async function notifiedPaperRows(
  db: Db,
  ids: string[],
  wanted: NotifiedRowsWanted = ALL_ROWS,
): Promise<NotifiedPaperRows> {
  if (ids.length === 0) return { papers: [], topics: [], claims: [], sources: [] };
  const cols = paperColumns(wanted);
  const [papers, topics, claims, sources] = await Promise.all([
    cols
      ? namedQuery<NotifiedPaperRow>(
          db,
          `pw_notified_papers${cols.suffix}`,
          `SELECT ${cols.columns} FROM papers WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      : Promise.resolve([...new Set(ids)].map((id) => ({ id }) as NotifiedPaperRow)),
    wanted.topics
      ? namedQuery<NotifiedTopicRow>(
          db,
          wanted.evidence ? 'pw_notified_topics' : 'pw_notified_topic_scores',
          perPaper(
            wanted.evidence ? TOPIC_COLUMNS : TOPIC_SCORE_COLUMNS,
            'paper_topics',
            'paper_id',
            'x.score DESC',
          ),
          [ids],
        )
      : none<NotifiedTopicRow>(),
    wanted.claims
      ? namedQuery<NotifiedClaimRow>(
          db,
          'pw_notified_claims',
          perPaper(CLAIM_COLUMNS, 'paper_claims', 'paper_id', 'x.start'),
          [ids],
        )
      : none<NotifiedClaimRow>(),
    wanted.sources
      ? namedQuery<NotifiedSourceRow>(
          db,
          'pw_notified_sources',
          perPaper(SOURCE_COLUMNS, SOURCES_FROM, 'ps.paper_id', 'x.paper_id'),
          [ids],
        )
      : none<NotifiedSourceRow>(),
  ]);
  return { papers, topics, claims, sources };
}

/**
 * The papers that reached `notified` since `since`, oldest first, at most `limit`: an index-only range
 * of idx_paper_stages_notified, in its order, that stops at `limit`. notified_at is set exactly while a paper
 * is at `notified` (see the paper-stages-read-indexes migration), so it alone selects them.
 */
export async function papersNotifiedSince(db: Db, since: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT paper_id AS id FROM paper_stages WHERE notified_at >= $1 ORDER BY notified_at, paper_id LIMIT $2`,
    [since, limit],
  );
  return rows.map((r) => r.id);
}

/** How long after its first appearance a paper can be sent as trending: the Trending tab's default window (7d). */
export const TRENDING_DIGEST_HOURS = 7 * 24;

/**
 * A "new papers" digest's order: the papers with a signal first, by trend (upvotes, comments, stars and sources,
 * decayed with age: the trending order), then those without, newest first. A digest cut to its limit carries the
 * most notable of the period, not its newest papers without any signal while hundreds of upvoted ones are left out.
 */
const RECENT_DIGEST_ORDER = `r.trend_key DESC NULLS LAST, ${SORT_AT} DESC, p.id`;

/**
 * Ids of papers that finished the pipeline in [start, end), notable (RECENT_DIGEST_ORDER) or most trending first. The window
 * is a range of idx_paper_stages_notified; the order is the papers', so the cost follows the window.
 * Trending is what /v1/trending and the page's Trending tab list when the digest is made: papers with a signal
 * (a paper without upvotes, comments, stars or a listing on both Hugging Face and arXiv is not trending) that first appeared within
 * TRENDING_DIGEST_HOURS before `end` (the tab's default window), in the read model's order (`trend_key DESC`, the
 * decayed score's order at any moment). The "Trending papers" digest promises the top trending papers, not the day's
 * new ones padded out, nor a backfill of papers that trended months ago and only reached PaperWire now.
 */
export async function papersNotifiedInWindow(
  db: Db,
  start: Date,
  end: Date,
  sort: 'recent' | 'trending',
  limit: number,
): Promise<string[]> {
  const rows: { id: string }[] = await db.query(
    `SELECT p.id FROM paper_stages s JOIN papers p ON p.id = s.paper_id LEFT JOIN paper_read r ON r.paper_id = s.paper_id
      WHERE s.notified_at >= $1 AND s.notified_at < $2${
        sort === 'trending'
          ? ` AND r.trend_key IS NOT NULL AND r.t0 >= $2::timestamptz - make_interval(hours => ${TRENDING_DIGEST_HOURS})`
          : ''
      }
      ORDER BY ${sort === 'trending' ? TREND_ORDER : RECENT_DIGEST_ORDER} LIMIT $3`,
    [start, end, limit],
  );
  return rows.map((r) => r.id);
}

/** A paper's community signals as the pages show them (the read model's: max over its sightings); null when none. */
export interface PaperSignals {
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
}

/**
 * The signals of these papers (upvotes, comments, GitHub stars: what makes them trend) by id, from the read model: a
 * primary-key lookup each. Papers without any are left out.
 */
export async function paperSignals(db: Db, ids: readonly string[]): Promise<Map<string, PaperSignals>> {
  if (ids.length === 0) return new Map();
  const rows: { paper_id: string; upvotes: number | null; comments: number | null; stars: number | null }[] = await db.query(
    `SELECT paper_id, upvotes, comments, stars FROM paper_read
      WHERE paper_id = ANY($1::uuid[]) AND (upvotes IS NOT NULL OR comments IS NOT NULL OR stars IS NOT NULL)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.paper_id, { upvotes: r.upvotes, comments: r.comments, githubStars: r.stars }]));
}
