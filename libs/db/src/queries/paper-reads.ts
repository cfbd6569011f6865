import { parsePaperId, type HfPaperExtras, type PaperAuthor, type PaperIdRef, type PaperLinks } from '@paperwire/contracts';
import { SORT_AT, paperConditions, type PaperSqlFilters } from './paper-filters';
import { TREND_KEY_OF_PAPER, TREND_ORDER } from './paper-cards';
import { searchTsQuerySql } from './search-query';
import { type Db, SqlParams } from './sql';

export const PAPER_SORTS = ['recent', 'relevance', 'trending'] as const;
export type PaperSort = (typeof PAPER_SORTS)[number];

/** Matches ranked by a relevance search: the newest this many (the page's cost stays bounded at any size). */
export const RELEVANCE_CANDIDATES = 1_000;
// Sentinels for ts_headline: the text is HTML-escaped afterwards and the sentinels become <mark>.
export const HL_START = '\u27e6';
export const HL_STOP = '\u27e7';

export interface PaperListRow {
  id: string;
  arxiv_id: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  links: PaperLinks;
  has_code: boolean;
  primary_topic: string | null;
  contribution: string | null;
  sort_at: string;
  /**
   * the read model's trend key (null: no signal), what `trendingScore` is computed from (trendScore); with
   * sort=trending it also says which part a row is in (a number: the papers with a signal)
   */
  trend_key: number | null;
  rank?: number;
  snippet?: string;
}

export interface PaperListSql {
  filters: PaperSqlFilters;
  sort: PaperSort;
  limit: number;
  /** keyset of the last row of the previous page, in the sort's order (see the keyset expressions; trending: listPaperRows) */
  after?: readonly (string | number)[];
}

/**
 * A page of papers in the sort's order: `limit + 1` rows (the extra one says there is a next page).
 *
 * `trending` is the read model's trend order, the one of /v1/trending and the home page's trending tab
 * (read-model.ts: `trend_key` = ln(signal) + ln2/48 h·t0, an order that decay never changes): first the
 * papers with a signal, `trend_key DESC, id DESC` through idx_paper_read_trend, then those without one
 * (no signal, or never sighted), newest first (`sort_at DESC, id DESC` through idx_papers_sort_at). Every
 * matching paper is listed, as by the other sorts. Its keyset is [trend_key, id] in the first part and
 * [sort_at, id] in the second (`trend_key` of the last row says which). An unfiltered or topic page reads
 * about a page of index entries; a selective filter reads the trend index until it has a page (what the
 * filter's selectivity costs).
 */
export async function listPaperRows(db: Db, given: PaperListSql): Promise<PaperListRow[]> {
  const qIds = given.filters.q && !given.filters.qIds ? await searchMatchIds(db, given.filters.q, given.filters, given.limit) : null;
  const opts = qIds ? { ...given, filters: { ...given.filters, qIds } } : given;
  if (opts.sort !== 'trending') return listPaperRowsBy(db, opts, 'papers');
  const inTail = opts.after !== undefined && typeof opts.after[0] !== 'number';
  const head = inTail ? [] : await listPaperRowsBy(db, opts, 'trend');
  if (head.length > opts.limit) return head;
  const tail = await listPaperRowsBy(db, { ...opts, limit: opts.limit - head.length, after: inTail ? opts.after : undefined }, 'untrended');
  return [...head, ...tail];
}

/**
 * How many papers match `filters` (a search's words, its topic…), counted to `cap` + 1 at most: a page shows the
 * count as "1,000+" beyond `cap`, so no match past the cap is ever read (a common word matches a good part of the
 * catalogue). A search that names a paper by its id counts the papers with that id (searchedPaperIds), as
 * listPaperRows lists them. One statement, no order: the planner takes the matches as they come and stops at the cap.
 */
export async function countPaperRows(db: Db, given: PaperSqlFilters, cap: number): Promise<number> {
  const qIds = given.q && !given.qIds ? await searchMatchIds(db, given.q, given, Math.min(cap + 1, SEARCH_FEW_WITHIN_FILTERS)) : null;
  const filters = qIds ? { ...given, qIds } : given;
  const params = new SqlParams();
  const qExpr = filters.q && !filters.qIds ? searchTsQuerySql(filters.q, params) : null;
  const conds = paperConditions(qExpr ? filters : { ...filters, q: undefined }, params);
  const rows: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM papers p${qExpr ? ` CROSS JOIN (SELECT ${qExpr} AS query) AS search_query` : ''}
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        LIMIT ${params.add(cap + 1, 'int')}) matched`,
    params.values,
  );
  return rows[0]?.n ?? 0;
}

/** One ordered part: 'papers' (recent, relevance), 'trend' (papers with a trend key), 'untrended' (the others, by date). */
function listPaperRowsBy(db: Db, opts: PaperListSql, part: 'papers' | 'trend' | 'untrended'): Promise<PaperListRow[]> {
  const { filters, sort, limit } = opts;
  const params = new SqlParams();
  const qExpr = filters.q ? searchTsQuerySql(filters.q, params) : null;
  const tsQuery = qExpr ? ` CROSS JOIN (SELECT ${qExpr} AS query) AS search_query` : '';
  // Papers a search named by id are read by their primary key first (fenced: the planner may otherwise walk the
  // date index and filter, when its statistics lag a bulk insert) and only those few are ordered.
  const papersP = filters.qIds
    ? `(SELECT * FROM papers WHERE id = ANY(${params.add(filters.qIds, 'uuid[]')}) OFFSET 0) p`
    : 'papers p';
  let from = part === 'trend' ? `paper_read r JOIN ${papersP} ON p.id = r.paper_id${tsQuery}` : `${papersP}${tsQuery}`;
  const conds = paperConditions(filters, params);
  // Relevance ranks the RELEVANCE_CANDIDATES newest matches, not every match: a common word matches a good part
  // of a catalogue of millions, and ranking them all costs what the catalogue costs (seconds at 2.5M papers).
  if (sort === 'relevance' && qExpr) {
    from = `(SELECT p.* FROM ${papersP}${tsQuery} WHERE ${conds.join(' AND ')}
                ORDER BY ${SORT_AT} DESC, p.id DESC LIMIT ${RELEVANCE_CANDIDATES}) p${tsQuery}`;
    conds.length = 0;
  }
  const rankExpr = `(SELECT ts_rank_cd(s.search, query) FROM paper_search s WHERE s.paper_id = p.id)`;
  let order: string;
  let keyset: (k: readonly (string | number)[]) => string;
  const byDate = (k: readonly (string | number)[]) => `(${SORT_AT}, p.id) < (${params.add(k[0], 'timestamptz')}, ${params.add(k[1], 'uuid')})`;
  if (part === 'trend') {
    conds.unshift('r.trend_key IS NOT NULL');
    order = TREND_ORDER;
    keyset = (k) => `(r.trend_key, r.paper_id) < (${params.add(k[0], 'float8')}, ${params.add(k[1], 'uuid')})`;
  } else if (part === 'untrended') {
    conds.unshift('NOT EXISTS (SELECT 1 FROM paper_read r WHERE r.paper_id = p.id AND r.trend_key IS NOT NULL)');
    order = `${SORT_AT} DESC, p.id DESC`;
    keyset = byDate;
  } else if (sort === 'relevance') {
    order = `${rankExpr} DESC, p.id DESC`;
    keyset = (k) => `(${rankExpr}, p.id) < (${params.add(k[0], 'real')}, ${params.add(k[1], 'uuid')})`;
  } else {
    order = `${SORT_AT} DESC, p.id DESC`;
    keyset = byDate;
  }
  if (opts.after) conds.push(keyset(opts.after));
  // The trend key of each row returned: the joined row's in the trend part, none in the untrended part (its
  // condition), one primary-key lookup of paper_read per returned row otherwise.
  const trendKey = part === 'trend' ? 'r.trend_key' : part === 'untrended' ? 'NULL::float8' : TREND_KEY_OF_PAPER;
  const extra = filters.q
    ? `, ${rankExpr} AS rank, ts_headline('english', p.abstract, query, 'StartSel=${HL_START}, StopSel=${HL_STOP}, MaxFragments=2, MaxWords=35, MinWords=12, FragmentDelimiter=" … "') AS snippet`
    : '';
  return db.query(
    `SELECT p.id, p.arxiv_id, p.doi, p.title, p.abstract, p.authors, p.published_at, p.created_at, p.updated_at, p.links, p.has_code,
              p.primary_topic, p.contribution, ${SORT_AT}::text AS sort_at, ${trendKey} AS trend_key${extra}
         FROM ${from}
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY ${order}
        LIMIT ${params.add(limit + 1, 'int')}`,
    params.values,
  );
}

/** A search's matches read whole when there are at most this many (searchMatchIds); more: the listings walk their order. */
export const SEARCH_FEW_MATCHES = 1_000;

/**
 * Every paper a search matches, when it matches few: the papers it names by id (searchedPaperIds), else its text
 * matches read from paper_search by the full-text index and stopped at SEARCH_FEW_MATCHES + 1 — all of them when
 * there are at most SEARCH_FEW_MATCHES (the listings then read those papers by primary key, qIds, and order them),
 * null when there are more. Without it a word the planner cannot estimate (any lexeme outside the statistics' most
 * common ones: a rare word, a misspelling, a word no paper has) was taken to match ~0.2% of the catalogue, so a
 * listing walked the papers newest first testing each one until it had a page: every paper when nothing matched
 * (`/v1/papers?q=<no such word>` at 1M papers: 5.0M buffers, 12.7 s, a 503 at the statement timeout). The probe stops
 * at the cap whichever plan it takes: a few index pages for a rare word, ~200–500 buffers for a common one, whose
 * matches a walk then finds within a few pages.
 *
 * With other `filters` (a topic, hasCode, a claim, a source, dates…) a word with more matches than the cap is probed
 * again within them, for at most `few` papers (a listing's page; searchMatchIdsWithin): a word common overall may
 * match fewer than a page of a topic, and the walk the planner takes on the combination's misjudged selectivity then
 * tested the whole catalogue for a page.
 */
export async function searchMatchIds(db: Db, q: string, filters: PaperSqlFilters = {}, few = 0): Promise<string[] | null> {
  const named = await searchedPaperIds(db, q);
  if (named) return named.map((p) => p.id);
  const params = new SqlParams();
  const rows: { id: string }[] = await db.query(
    `SELECT s.paper_id AS id FROM paper_search s CROSS JOIN (SELECT ${searchTsQuerySql(q, params)} AS query) AS search_query
      WHERE s.search @@ query LIMIT ${params.add(SEARCH_FEW_MATCHES + 1, 'int')}`,
    params.values,
  );
  if (rows.length <= SEARCH_FEW_MATCHES) return rows.map((r) => r.id);
  return few > 0 ? searchMatchIdsWithin(db, q, filters, few) : null;
}

/** How many matches within other filters countPaperRows reads whole at most (searchMatchIds' `few`; its cap + 1 if fewer). */
export const SEARCH_FEW_WITHIN_FILTERS = 50;

/**
 * The papers a search matches within the other filters, when they are at most `few` (else null, and null without
 * other filters): one statement without order, stopped at `few` + 1, so the planner reads whichever side is smaller
 * (the topic's papers tested for the word, or the word's matches tested for the filters) and stops as soon as the
 * combination has more than a page. The cap is a page, not SEARCH_FEW_MATCHES: where the combination is common its
 * matches are ~1 in 10 of a topic's papers, and 1,001 of them cost a topic of 20k papers at 1M ~90k buffers where the
 * walk finds a page in ~26k; a page of them costs ~1k.
 */
async function searchMatchIdsWithin(db: Db, q: string, filters: PaperSqlFilters, few: number): Promise<string[] | null> {
  const others: PaperSqlFilters = { ...filters, q: undefined, qIds: undefined };
  if (paperConditions(others, new SqlParams()).length === 0) return null;
  const params = new SqlParams();
  const qExpr = searchTsQuerySql(q, params);
  // A topic's papers are read first (fenced: with a word it misjudges, the planner merged the whole papers key with
  // the topic's rows, 568k buffers at 1M papers), each tested for the word and the other filters by primary key.
  // Without other filters on the paper, the topic's rows stand for it (`p.id`, as the word's condition reads it).
  const topics = others.topic?.length ? params.add(others.topic, 'text[]') : null;
  const topicOnly = paperConditions({ ...others, topic: undefined }, new SqlParams()).length === 0;
  const topicPapers = `(SELECT pt.paper_id AS id FROM paper_topics pt WHERE pt.topic_slug = ANY(${topics}) OFFSET 0)`;
  const from = !topics ? 'papers p' : topicOnly ? `${topicPapers} p` : `${topicPapers} tp JOIN papers p ON p.id = tp.id`;
  const conds = paperConditions({ ...others, topic: undefined, q }, params);
  const rows: { id: string }[] = await db.query(
    `SELECT p.id FROM ${from} CROSS JOIN (SELECT ${qExpr} AS query) AS search_query
      WHERE ${conds.join(' AND ')} LIMIT ${params.add(few + 1, 'int')}`,
    params.values,
  );
  // (a paper in two of the topics comes twice: then fewer distinct papers may have reached the cap, and the listing
  // walks as it would have)
  return rows.length <= few ? [...new Set(rows.map((r) => r.id))] : null;
}

/** A paper a search named by its id: its uuid and arXiv id (the key of its page). */
export interface SearchedPaper {
  id: string;
  arxiv_id: string | null;
}

/**
 * The papers a search names when the query is a paper id or link (parsePaperId: an arXiv id in any pasted form,
 * old-style ids, versions, arxiv.org and huggingface.co/papers URLs, arXiv's DOIs, other DOIs, uuids), oldest first
 * (none: an id no paper has); null when it is none of those (title keys are not searched as keys), and the query is
 * searched as text. One lookup of the index the id is keyed by (idx_papers_arxiv_id, the primary key, paper_key's
 * unique index and idx_papers_doi: 4-7 buffers at 200k papers), whatever the catalogue's size. An id is never
 * searched as text, found or not: the text search of an id-like token was a parallel seq scan of paper_search (its
 * lexeme has no statistics: 5.3k buffers, 122 ms at 200k papers, for no match).
 */
export async function searchedPaperIds(db: Db, q: string): Promise<SearchedPaper[] | null> {
  const ref = parsePaperId(q);
  if (!ref || (ref.kind === 'key' && !ref.value.startsWith('doi:'))) return null;
  const [where, params]: [string, unknown[]] =
    ref.kind === 'uuid'
      ? ['id = $1::uuid', [ref.value]]
      : ref.kind === 'arxiv'
        ? ['arxiv_id = $1', [ref.value]]
        : [`paper_key = $1 OR (doi IS NOT NULL AND lower(doi) = $2)`, [ref.value, ref.value.slice('doi:'.length)]];
  // OFFSET 0 keeps it a lookup of the id's index, sorted after (oldestWhere: never a walk of idx_papers_created).
  const rows: SearchedPaper[] = await db.query(
    `SELECT id, arxiv_id FROM (SELECT id, arxiv_id, created_at FROM papers WHERE ${where} OFFSET 0) named ORDER BY created_at, id LIMIT 20`,
    params,
  );
  return rows;
}

/**
 * The oldest of the papers `where` names, selecting `columns` (its key columns found first, then its row by primary
 * key, so nothing but `columns` is read from the paper). OFFSET 0 keeps those rows a lookup of the index
 * `where` is keyed by, sorted after: with `ORDER BY created_at LIMIT 1` on the table itself the planner may walk
 * idx_papers_created and filter every paper on `where` instead. It does so whenever it guesses `where` matches many
 * rows: an arXiv id on a catalogue never analysed (a fresh or restored database, a backfill ahead of autovacuum;
 * 18.9k buffers, ~110 ms at 200k papers, the whole index, for a new paper's or a missing id; 3-5 with the fence),
 * and a DOI even on an analysed one, as ANALYZE keeps no statistics of a partial index's expression (10.5k buffers
 * at 200k papers; 7 with the fence).
 */
const oldestWhere = (columns: string, where: string) =>
  `SELECT ${columns} FROM papers WHERE id = (SELECT id FROM (SELECT id, created_at FROM papers WHERE ${where} OFFSET 0) named ORDER BY created_at LIMIT 1)`;

/**
 * The statement that finds one paper by a parsed id (`ref`), selecting `columns` of papers: by uuid, by arXiv id
 * (its oldest paper), by DOI (its key, else the oldest paper that carries it) or by paper key. One primary-key or
 * index lookup (the DOI: two, the second only when the first finds nothing); at most one row.
 */
function paperByRefSql(ref: PaperIdRef, columns: string): [string, unknown[]] {
  if (ref.kind === 'uuid') return [`SELECT ${columns} FROM papers WHERE id = $1::uuid`, [ref.value]];
  if (ref.kind === 'arxiv') return [oldestWhere(columns, 'arxiv_id = $1'), [ref.value]];
  if (ref.value.startsWith('doi:'))
    // By its key, else by the DOI it carries (a paper with an arXiv id is keyed by that id; oldest first).
    return [
      `(SELECT ${columns} FROM papers WHERE paper_key = $1)
       UNION ALL (${oldestWhere(columns, 'lower(doi) = $2')}) LIMIT 1`,
      [ref.value, ref.value.slice('doi:'.length)],
    ];
  return [`SELECT ${columns} FROM papers WHERE paper_key = $1`, [ref.value]];
}

/** Where a paper is: what a redirect to it needs (its page key, arXiv id else uuid, and the PDF link stored). */
export interface PaperLocation {
  id: string;
  arxiv_id: string | null;
  /** `links.pdf` as stored (not yet checked to be an http(s) address) */
  pdf: string | null;
}

/**
 * A paper's location by any form of its id (parsePaperId: uuid, arXiv id in any pasted form, DOI, paper key), in one statement that reads its key columns
 * and PDF link only (the /abs and /pdf redirects); null when there is none.
 */
export async function locatePaper(db: Db, idOrArxiv: string): Promise<PaperLocation | null> {
  const ref = parsePaperId(idOrArxiv);
  if (!ref) return null;
  const rows: PaperLocation[] = await db.query(...paperByRefSql(ref, `id, arxiv_id, links->>'pdf' AS pdf`));
  return rows[0] ?? null;
}

/** One paper as its detail reads it (paperByRef): its papers columns, its stage row and its read-model trend key. */
export interface PaperRecord {
  id: string;
  paper_key: string;
  arxiv_id: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  original_title: string | null;
  original_abstract: string | null;
  authors: PaperAuthor[];
  categories: string[];
  links: PaperLinks;
  comment: string | null;
  has_code: boolean;
  version: number | null;
  published_at: Date | null;
  primary_topic: string | null;
  contribution: string | null;
  /** the arXiv category the classifier predicted, written only when the source gave no categories */
  predicted_category: string | null;
  classifier_version: string | null;
  extractor_version: string | null;
  /** the read model's trend key (null: no signal) */
  trend_key: number | null;
  stage: string;
  stage_at: Date;
  parsed_at: Date | null;
  classified_at: Date | null;
  extracted_at: Date | null;
  notified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PaperTopicDetailRow {
  topic_slug: string;
  score: number;
  is_primary: boolean;
  evidence: string[];
  model_version: string;
}

export interface PaperSightingRow {
  source_id: string;
  source_name: string;
  source_kind: string;
  /** the format the sighting was read in (its raw document's, else the source's): which public feed it stands for */
  feed: string | null;
  source_item_id: string | null;
  upvotes: number | null;
  comments: number | null;
  github_stars: number | null;
  announce_type: string | null;
  featured_at: Date | null;
  submitted_by: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface PaperVersionRow {
  version: number | null;
  content_hash: string;
  title: string;
  abstract: string;
  seen_at: Date;
}

/**
 * The papers columns of a paper's detail (PaperRecord's; named, no `*`): a column added to or dropped from papers
 * changes nothing a reader gets, and the row carries nothing nobody reads.
 */
const PAPER_DETAIL_COLUMNS = `id, paper_key, arxiv_id, doi, title, abstract, original_title, original_abstract, authors, categories, links,
       comment, has_code, version, published_at, primary_topic, contribution, predicted_category, classifier_version, created_at, updated_at`;

/**
 * One paper's detail row by any form of its id (parsePaperId: uuid, arXiv id, DOI, paper key), in one keyed
 * statement (GET /v1/papers/{id}, the paper page, `paperwire paper`): the lookup of paperByRefSql (the one
 * locatePaper runs) reads the paper's columns, joined with its stage row and its read-model trend key; null when
 * none matches.
 */
export async function paperByRef(db: Db, idOrArxiv: string): Promise<PaperRecord | null> {
  const ref = parsePaperId(idOrArxiv);
  if (!ref) return null;
  const [paper, params] = paperByRefSql(ref, PAPER_DETAIL_COLUMNS);
  const rows: PaperRecord[] = await db.query(
    `SELECT p.*, ${TREND_KEY_OF_PAPER} AS trend_key,
            s.stage, s.stage_at, s.parsed_at, s.classified_at, s.extracted_at, s.notified_at, s.extractor_version
       FROM (${paper}) p JOIN paper_stages s ON s.paper_id = p.id`,
    params,
  );
  return rows[0] ?? null;
}

export function topicsOfPaper(db: Db, id: string): Promise<PaperTopicDetailRow[]> {
  return db.query(
    `SELECT topic_slug, score, is_primary, evidence, model_version FROM paper_topics WHERE paper_id = $1 ORDER BY score DESC, topic_slug`,
    [id],
  );
}

export function sightingsOfPaper(db: Db, id: string): Promise<PaperSightingRow[]> {
  return db.query(
    `SELECT ps.*, s.name AS source_name, coalesce(r.format, s.params->>'format', s.kind) AS feed
       FROM paper_sources ps JOIN sources s ON s.id = ps.source_id LEFT JOIN raw_documents r ON r.id = ps.raw_document_id
      WHERE ps.paper_id = $1 ORDER BY ps.first_seen_at, s.name`,
    [id],
  );
}

/** The days a paper is listed on (the Daily Papers page of each), oldest first: its paper_days rows, by primary key. */
export async function listedDaysOfPaper(db: Db, id: string): Promise<string[]> {
  const rows: { day: string }[] = await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM paper_days WHERE paper_id = $1 ORDER BY paper_days.day`, [id]);
  return rows.map((r) => r.day);
}

export function versionsOfPaper(db: Db, id: string): Promise<PaperVersionRow[]> {
  return db.query(`SELECT version, content_hash, title, abstract, seen_at FROM paper_versions WHERE paper_id = $1 ORDER BY seen_at, version NULLS LAST`, [
    id,
  ]);
}

/** Topic scores of a page of papers, best first. */
export function topicScoresOfPapers(db: Db, ids: readonly string[]): Promise<{ paper_id: string; topic_slug: string; score: number }[]> {
  return db.query(`SELECT paper_id, topic_slug, score FROM paper_topics WHERE paper_id = ANY($1::uuid[]) ORDER BY score DESC, topic_slug`, [ids]);
}

/** Title and abstract of these papers (similar-paper candidates). */
export function paperTexts(db: Db, ids: readonly string[]): Promise<{ id: string; arxiv_id: string | null; title: string; abstract: string }[]> {
  return db.query(`SELECT id, arxiv_id, title, abstract FROM papers WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Papers of a topic, best score first, but `exceptId` (candidates for similar papers). */
export function topPapersOfTopic(db: Db, topic: string, exceptId: string, limit: number): Promise<{ paper_id: string }[]> {
  return db.query(`SELECT paper_id FROM paper_topics WHERE topic_slug = $1 AND paper_id <> $2 ORDER BY score DESC LIMIT ${Math.trunc(limit)}`, [
    topic,
    exceptId,
  ]);
}

/**
 * A term the table's statistics (pg_stats' most common lexemes of paper_search.search) put in at least this many
 * papers is common in this catalogue, whatever its rarity elsewhere: papersMatchingTerms does not look it up.
 */
export const COMMON_TERM_PAPERS = 5_000;

/**
 * Papers whose text has one of `terms` (single words, as to_tsquery reads them), at most `perTerm` per term, but
 * `exceptId` (candidates for similar papers; distinct ids, no order).
 *
 * Each term is looked up on its own through the GIN index (idx_paper_search): a bitmap of its posting list, then
 * the first `perTerm` matching rows. The terms come out of a CTE, so the planner never sees their values: it plans
 * every lookup for an average term, which for abstract-sized vectors is a bitmap scan at any catalogue size, with
 * or without statistics (per-batch-plans.int-spec.ts; the limit is a literal, as a generic plan reads a `LIMIT $n`
 * as a tenth of the rows, where a seq scan looks cheaper). The
 * earlier `search @@ 'a | b | c' LIMIT 200` was planned from the terms' estimated frequency: for terms it thought
 * common, a seq scan of paper_search that stops at the 200th match, whose cost depends on where the matches lie
 * (a term of the newest papers sits at the end of the heap: 48k buffers, 155-390 ms at 200k papers).
 * A term the statistics put in COMMON_TERM_PAPERS papers or more is skipped: its posting list is what would cost,
 * and a word that many papers share says little about which are similar. Without statistics every term is used.
 * Only the title and abstract match (weights A and B): a paper whose author is named like the term (weight C, author
 * search) is no more similar for it. The GIN index holds no weights, so the bitmap is the same and the heap recheck
 * drops author-only matches.
 */
export function papersMatchingTerms(
  db: Db,
  terms: readonly string[],
  exceptId: string,
  perTerm: number,
): Promise<{ paper_id: string }[]> {
  return db.query(
    `WITH common AS MATERIALIZED (
       SELECT c.lexeme
         FROM pg_stats st
        CROSS JOIN LATERAL unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS c(lexeme, freq)
        WHERE st.schemaname = current_schema() AND st.tablename = 'paper_search' AND st.attname = 'search'
          AND c.freq * (SELECT reltuples FROM pg_class WHERE oid = 'paper_search'::regclass) >= $3),
     terms AS MATERIALIZED (
       SELECT to_tsquery('english', t.term || ':AB') AS query
         FROM unnest($1::text[]) AS t(term)
        WHERE NOT (tsvector_to_array(to_tsvector('english', t.term)) && ARRAY(SELECT lexeme FROM common)))
     SELECT DISTINCT m.paper_id
       FROM terms
      CROSS JOIN LATERAL (
        SELECT s.paper_id FROM paper_search s WHERE s.search @@ terms.query AND s.paper_id <> $2::uuid LIMIT ${Math.trunc(perTerm)}
      ) m`,
    [terms, exceptId, COMMON_TERM_PAPERS],
  );
}

/** HF organisation, thumbnail, media, author participation and HF's own paper fields of a page of papers, newest sighting first (paper_sources is keyed by paper_id first). */
export function presentationOfPapers(
  db: Db,
  ids: readonly string[],
  /** also HF's own paper fields (the HF-compatible API's; the pages do not read them) */
  withHf = false,
): Promise<
  {
    paper_id: string;
    organization: string | null;
    organization_fullname: string | null;
    thumbnail_url: string | null;
    media_urls: string[] | null;
    author_participating: boolean | null;
    hf_extras: HfPaperExtras | null;
  }[]
> {
  return db.query(
    `SELECT DISTINCT ON (paper_id) paper_id, organization, organization_fullname, thumbnail_url, media_urls, author_participating,
            ${withHf ? 'hf_extras' : 'NULL::jsonb AS hf_extras'}
       FROM paper_sources
      WHERE paper_id = ANY($1::uuid[])
        AND (organization IS NOT NULL OR thumbnail_url IS NOT NULL OR media_urls IS NOT NULL OR author_participating IS NOT NULL
             ${withHf ? 'OR hf_extras IS NOT NULL' : ''})
      ORDER BY paper_id, last_seen_at DESC`,
    [ids],
  );
}

/**
 * The timestamp a source gave its own item (HF Daily Papers' item publishedAt) for a page of papers, from the newest
 * sighting that has one; papers without one are left out (one indexed query for the page's ids).
 */
export function itemPublishedOfPapers(db: Db, ids: readonly string[]): Promise<{ paper_id: string; item_published_at: Date }[]> {
  return db.query(
    `SELECT DISTINCT ON (paper_id) paper_id, item_published_at
       FROM paper_sources
      WHERE paper_id = ANY($1::uuid[]) AND item_published_at IS NOT NULL
      ORDER BY paper_id, last_seen_at DESC`,
    [ids],
  );
}

/** Below every other uuid: the cursor of a run's first window. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Stage rows read per call of resetPapersToStage (and at most moved: one bounded transaction). */
export const RESET_WINDOW = 5000;

/**
 * One step of a reclassify / reextract run: reads the next `window` (RESET_WINDOW) stage rows after `after` (null:
 * from the first) along paper_stages' primary key, and moves back to stage `to` those in one of `from`
 * whose `column` version differs from `version` unless `all`, published (else created) since `since`,
 * and not already reset by this run (stage_at before `startedAt`). Returns the papers moved (id order)
 * and `next`, the last id read — the caller's next `after` — or null when no row is left. Each call
 * costs its window whatever the catalogue's size and statistics (an ordered range of the primary key;
 * the filters only look up the window's rows), so a run reads every stage row once. The earlier form,
 * "the first 5,000 matching rows" on every call, re-read all rows earlier calls had moved (n²/5,000 row
 * visits; without statistics it was planned as a scan and sort of the whole table: 5.6-9.5 s per call at 1M).
 * notified_at is cleared: it is set exactly while a paper is at `notified` (what
 * idx_paper_stages_in_flight / idx_paper_stages_notified select on).
 */
export async function resetPapersToStage(
  db: Db,
  opts: {
    to: 'parsed' | 'classified';
    from: readonly string[];
    column: 'classifier_version' | 'extractor_version';
    version: string;
    since: string | null;
    all: boolean;
    startedAt: string;
    after?: string | null;
    /** stage rows read by this call (RESET_WINDOW) */
    window?: number;
  },
): Promise<{ moved: { id: string; content_hash: string }[]; next: string | null }> {
  const rows: { next: string | null; moved: { id: string; content_hash: string }[] }[] = await db.query(
    `WITH win AS (SELECT paper_id FROM paper_stages WHERE paper_id > $7::uuid ORDER BY paper_id LIMIT $8::int),
     moved AS (
       UPDATE paper_stages st SET stage = $1, stage_at = now(), notified_at = NULL
         FROM win JOIN papers p ON p.id = win.paper_id
        WHERE st.paper_id = win.paper_id AND st.stage = ANY($2::text[])
          AND ($3::timestamptz IS NULL OR ${SORT_AT} >= $3::timestamptz)
          AND ($4::boolean OR ${opts.column === 'classifier_version' ? 'p.classifier_version' : 'st.extractor_version'} IS DISTINCT FROM $5)
          AND st.stage_at < $6::timestamptz
       RETURNING st.paper_id AS id, st.content_hash)
     SELECT (SELECT paper_id FROM win ORDER BY paper_id DESC LIMIT 1)::text AS next,
            coalesce((SELECT json_agg(json_build_object('id', id, 'content_hash', content_hash) ORDER BY id) FROM moved), '[]') AS moved`,
    [opts.to, opts.from, opts.since, opts.all, opts.version, opts.startedAt, opts.after ?? NIL_UUID, opts.window ?? RESET_WINDOW],
  );
  return { moved: rows[0]?.moved ?? [], next: rows[0]?.next ?? null };
}
