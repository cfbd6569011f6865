import { FEED_FORMATS, servedLinks, type PaperAuthor, type ServedLinks } from '@paperwire/contracts';
import {
  HL_START,
  HL_STOP,
  claimsOfPaper,
  claimsOfPapers,
  groupByPaper,
  cardSignalsOfPapers,
  countPaperRows,
  listPaperRows,
  searchSuggestion,
  paperByRef,
  sightingsOfPaper,
  topicScoresOfPapers,
  topicsOfPaper,
  servedTrendScore,
  versionsOfPaper,
  type Db,
  type PaperListRow,
  type PaperSort,
  type PaperSqlFilters,
} from '@paperwire/db';
import { claimSqlFilter, pickHeadline, toClaimView, type ClaimFilterInput, type ClaimView } from './claims';
import { escapeHtml } from '@paperwire/notifications';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** A search snippet: the text HTML-escaped, the matched terms in <mark>. */
export function markSnippet(raw: string): string {
  return escapeHtml(raw).split(HL_START).join('<mark>').split(HL_STOP).join('</mark>');
}

/** The shared paper filters (query parameters of /v1/papers, feeds, CLI options): the claim filter as given. */
export type PaperFilters = Omit<PaperSqlFilters, 'claim'> & ClaimFilterInput;

export interface PaperSummary {
  id: string;
  arxivId: string | null;
  doi: string | null;
  title: string;
  authors: PaperAuthor[];
  abstract: string;
  snippet?: string;
  rank?: number;
  publishedAt: string | null;
  createdAt: string;
  /** when the record last changed in a way a reader sees (a new version, metadata, classification, re-extracted claims) */
  updatedAt: string;
  links: ServedLinks;
  hasCode: boolean;
  primaryTopic: string | null;
  topics: { slug: string; score: number }[];
  contribution: string | null;
  headlineClaim: ClaimView | null;
  sightings: number;
  /** the decayed trending score /v1/trending shows (servedTrendScore of the read model's trend key: rounded, 0 without a signal) */
  trendingScore: number;
  /** whether the paper has a trending signal at all (a trend key): a trendingScore of 0 may be a decayed one */
  hasTrendingSignal: boolean;
  /** community signals as the detail and the listings' cards give them: the highest over the paper's sightings, null when none gives one */
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
}

export interface PaperListInput {
  filters: PaperFilters;
  sort: PaperSort;
  limit: number;
  /** the `nextKey` of the previous page of the same sort */
  after?: readonly (string | number)[];
}

export interface PaperListPage {
  items: PaperSummary[];
  /**
   * keyset of the last item when there is a next page: recent [date, id], relevance [rank, id], trending
   * [trend key, id] while the page is among the papers with a signal, then [date, id] (listPaperRows)
   */
  nextKey: (string | number)[] | null;
}

/** The shared filters as the SQL reads them: the claim filter checked and combined (claimSqlFilter). */
function sqlFilters(filters: PaperFilters): PaperSqlFilters {
  const { claimMetric, claimKind, claimUnit, claimMin, claimMax, ...paper } = filters;
  return { ...paper, claim: claimSqlFilter({ claimMetric, claimKind, claimUnit, claimMin, claimMax }) };
}

/** How many papers match the shared filters, counted to `cap` + 1 at most (countPaperRows: "1,000+" beyond). */
export function countPapers(db: Db, filters: PaperFilters, cap: number): Promise<number> {
  return countPaperRows(db, sqlFilters(filters), cap);
}

/**
 * What a search (`filters.q`) that matched nothing may have meant: the search with its misspelt words corrected, when
 * that one matches a paper under the same other filters (searchSuggestion); null without `q` or when none does.
 */
export function suggestSearch(db: Db, filters: PaperFilters): Promise<string | null> {
  const { q, ...rest } = sqlFilters(filters);
  return q ? searchSuggestion(db, q, rest) : Promise.resolve(null);
}

/** Papers by the shared filters, in a stable order. */
export async function listPapers(db: Db, input: PaperListInput): Promise<PaperListPage> {
  const rows = await listPaperRows(db, {
    filters: sqlFilters(input.filters),
    sort: input.sort,
    limit: input.limit,
    after: input.after,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  let nextKey: (string | number)[] | null = null;
  if (rows.length > input.limit && last)
    nextKey =
      input.sort === 'recent'
        ? [last.sort_at, last.id]
        : input.sort === 'relevance'
          ? [Number(last.rank), last.id]
          : last.trend_key !== null
            ? [last.trend_key, last.id]
            : [last.sort_at, last.id];
  return { items: await summaries(db, page, new Date()), nextKey };
}

async function summaries(db: Db, rows: PaperListRow[], now: Date): Promise<PaperSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [topics, claims, signals] = await Promise.all([
    topicScoresOfPapers(db, ids),
    claimsOfPapers(db, ids),
    cardSignalsOfPapers(db, ids),
  ]);
  const topicsBy = groupByPaper(topics);
  const claimsBy = groupByPaper(claims);
  const signalsBy = new Map(signals.map((s) => [s.paper_id, s]));
  return rows.map((r) => {
    const headline = pickHeadline(claimsBy.get(r.id) ?? [], r.abstract);
    const signal = signalsBy.get(r.id);
    const summary: PaperSummary = {
      id: r.id,
      arxivId: r.arxiv_id,
      doi: r.doi,
      title: r.title,
      authors: r.authors,
      abstract: r.abstract,
      publishedAt: iso(r.published_at),
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      links: servedLinks(r.links),
      hasCode: r.has_code,
      primaryTopic: r.primary_topic,
      topics: (topicsBy.get(r.id) ?? []).map((t) => ({ slug: t.topic_slug, score: t.score })),
      contribution: r.contribution,
      headlineClaim: headline ? toClaimView(headline) : null,
      sightings: signal?.n ?? 0,
      trendingScore: servedTrendScore(r.trend_key, now),
      hasTrendingSignal: r.trend_key !== null,
      upvotes: signal?.upvotes ?? null,
      comments: signal?.comments ?? null,
      githubStars: signal?.stars ?? null,
    };
    if (r.snippet !== undefined) summary.snippet = markSnippet(r.snippet);
    if (r.rank !== undefined) summary.rank = Number(r.rank);
    return summary;
  });
}

export interface PaperDetail {
  id: string;
  arxivId: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  originalTitle: string | null;
  originalAbstract: string | null;
  authors: PaperAuthor[];
  categories: string[];
  /** the classifier's arXiv category when the source gave none (null once the paper has categories) */
  predictedCategory: string | null;
  links: ServedLinks;
  comment: string | null;
  hasCode: boolean;
  version: number | null;
  publishedAt: string | null;
  primaryTopic: string | null;
  contribution: string | null;
  classifierVersion: string | null;
  extractorVersion: string | null;
  /** the decayed trending score /v1/trending shows (servedTrendScore of the read model's trend key: rounded, 0 without a signal) */
  trendingScore: number;
  /** whether the paper has a trending signal at all (a trend key): a trendingScore of 0 may be a decayed one */
  hasTrendingSignal: boolean;
  /** community signals as the listings' cards give them: the highest over the paper's sightings, null when none gives one */
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  topics: { slug: string; score: number; isPrimary: boolean; evidence: string[]; modelVersion: string }[];
  claims: ClaimView[];
  headlineClaim: ClaimView | null;
  sightings: {
    sourceId: string;
    sourceName: string;
    sourceKind: string;
    /** the feed format it was read in (FEED_FORMATS), null when it is none of them */
    feed: string | null;
    sourceItemId: string | null;
    upvotes: number | null;
    comments: number | null;
    githubStars: number | null;
    announceType: string | null;
    featuredAt: string | null;
    submittedBy: string | null;
    firstSeenAt: string;
    lastSeenAt: string;
  }[];
  versions: {
    version: number | null;
    contentHash: string;
    title: string;
    abstract: string;
    seenAt: string;
  }[];
  stage: string;
  stageAt: string;
  stageTimes: {
    parsedAt: string | null;
    classifiedAt: string | null;
    extractedAt: string | null;
    notifiedAt: string | null;
  };
  createdAt: string;
  updatedAt: string;
}

/** The highest of the values a paper's sightings give, null when none gives one. */
function highest(values: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const v of values) if (v !== null && (max === null || v > max)) max = v;
  return max;
}

/**
 * One paper by uuid, arXiv id (version suffix ignored) or paper key, with topics and their evidence,
 * claims, sightings, versions and pipeline stage; null when there is none. `paperwire paper` prints it
 * and GET /v1/papers/{id} returns it.
 */
export async function getPaper(db: Db, idOrArxiv: string): Promise<PaperDetail | null> {
  // The paper's row in one keyed statement (any id form), then its child rows by its uuid.
  const p = await paperByRef(db, idOrArxiv);
  if (!p) return null;
  const { id } = p;
  const [topics, claims, sightings, versions] = await Promise.all([
    topicsOfPaper(db, id),
    claimsOfPaper(db, id),
    sightingsOfPaper(db, id),
    versionsOfPaper(db, id),
  ]);
  const headline = pickHeadline(claims, p.abstract);
  return {
    id: p.id,
    arxivId: p.arxiv_id,
    doi: p.doi,
    title: p.title,
    abstract: p.abstract,
    originalTitle: p.original_title,
    originalAbstract: p.original_abstract,
    authors: p.authors,
    categories: p.categories,
    // Stored when the paper had no categories; a source that later gives them makes it moot (not re-classified).
    predictedCategory: p.categories.length > 0 ? null : p.predicted_category,
    links: servedLinks(p.links),
    comment: p.comment,
    hasCode: p.has_code,
    version: p.version,
    publishedAt: iso(p.published_at),
    primaryTopic: p.primary_topic,
    contribution: p.contribution,
    classifierVersion: p.classifier_version,
    extractorVersion: p.extractor_version,
    trendingScore: servedTrendScore(p.trend_key, new Date()),
    hasTrendingSignal: p.trend_key !== null && p.trend_key !== undefined,
    upvotes: highest(sightings.map((s) => s.upvotes)),
    comments: highest(sightings.map((s) => s.comments)),
    githubStars: highest(sightings.map((s) => s.github_stars)),
    topics: topics.map((t) => ({
      slug: t.topic_slug,
      score: t.score,
      isPrimary: t.is_primary,
      evidence: t.evidence,
      modelVersion: t.model_version,
    })),
    claims: claims.map(toClaimView),
    headlineClaim: headline ? toClaimView(headline) : null,
    sightings: sightings.map((s) => ({
      sourceId: s.source_id,
      sourceName: s.source_name,
      sourceKind: s.source_kind,
      feed: s.feed !== null && (FEED_FORMATS as readonly string[]).includes(s.feed) ? s.feed : null,
      sourceItemId: s.source_item_id,
      upvotes: s.upvotes,
      comments: s.comments,
      githubStars: s.github_stars,
      announceType: s.announce_type,
      featuredAt: iso(s.featured_at),
      submittedBy: s.submitted_by,
      firstSeenAt: new Date(s.first_seen_at).toISOString(),
      lastSeenAt: new Date(s.last_seen_at).toISOString(),
    })),
    versions: versions.map((v) => ({
      version: v.version,
      contentHash: v.content_hash,
      title: v.title,
      abstract: v.abstract,
      seenAt: new Date(v.seen_at).toISOString(),
    })),
    stage: p.stage,
    stageAt: new Date(p.stage_at).toISOString(),
    stageTimes: {
      parsedAt: iso(p.parsed_at),
      classifiedAt: iso(p.classified_at),
      extractedAt: iso(p.extracted_at),
      notifiedAt: iso(p.notified_at),
    },
    createdAt: new Date(p.created_at).toISOString(),
    updatedAt: new Date(p.updated_at).toISOString(),
  };
}
