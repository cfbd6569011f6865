// Shared domain types: what a parser produces, what the classifier and extractor return.
// Pure types, no runtime dependencies, so every lib and service can use them.

/** The feeds PaperWire can poll: each is both a source kind and the format of what it serves. */
export const FEED_KINDS = [
  'hf-daily-papers',
  'arxiv-api',
  'arxiv-rss',
  'arxiv-oai',
  'hf-papers-html',
  'daily-papers-text',
] as const;

export const FEED_FORMATS = [...FEED_KINDS, 'jsonl'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** The public places a paper is listed: Hugging Face's Daily Papers and arXiv. */
export type PublicOrigin = 'huggingface' | 'arxiv';

/**
 * The public origin each feed format stands for (every Hugging Face format is the Daily Papers; every arXiv format,
 * RSS, API or OAI, is arXiv), null for a format that names none (a JSONL dump). Two operator sources of one origin (an
 * arXiv RSS feed and an arXiv OAI backfill, a file replayed twice) are one origin: trending's "extra source" is a
 * second origin, never a second source row.
 */
export const FEED_ORIGIN: Readonly<Record<FeedFormat, PublicOrigin | null>> = {
  'hf-daily-papers': 'huggingface',
  'hf-papers-html': 'huggingface',
  'daily-papers-text': 'huggingface',
  'arxiv-api': 'arxiv',
  'arxiv-rss': 'arxiv',
  'arxiv-oai': 'arxiv',
  jsonl: null,
};

/** The public origin of a sighting read in `feed` (its raw document's format, else its source's), null for none. */
export function feedOrigin(feed: string | null | undefined): PublicOrigin | null {
  return feed && Object.prototype.hasOwnProperty.call(FEED_ORIGIN, feed) ? FEED_ORIGIN[feed as FeedFormat] : null;
}

export interface PaperAuthor {
  name: string;
  affiliation?: string;
}

export interface ExternalIds {
  /** arXiv id without version, e.g. 2401.00001 or hep-th/9901001 */
  arxiv?: string;
  doi?: string;
}

export interface PaperLinks {
  abs?: string;
  pdf?: string;
  code: string[];
  project: string[];
}

/** Per-source signals of a sighting (HF upvotes, RSS announce type, ...). */
export interface SightingInfo {
  /** the id of the item in its source (HF paper id, arXiv guid, OAI identifier) */
  sourceItemId?: string;
  upvotes?: number;
  comments?: number;
  githubStars?: number;
  announceType?: string;
  /** when the source featured / announced it (HF submittedOnDailyAt, RSS pubDate) */
  featuredAt?: string;
  /** the timestamp the source gives its own item, not the paper's date (HF Daily Papers' item publishedAt, its submission) */
  itemPublishedAt?: string;
  submittedBy?: string;
  /** the organisation the source credits (HF organization.name / fullname) */
  organization?: { name: string; fullname?: string };
  /** a thumbnail image the source serves for the paper (https only) */
  thumbnailUrl?: string;
  /** the item's media the source serves (HF Daily Papers' mediaUrls; https only), in its order */
  mediaUrls?: string[];
  /** whether an author takes part in the item's discussion (HF Daily Papers' isAuthorParticipating) */
  authorParticipating?: boolean;
  /** what Hugging Face Daily Papers says of the paper that its API serves again (the HF-compatible /api/*) */
  hf?: HfPaperExtras;
}

/**
 * A title on one line, as Hugging Face gives a daily-papers item's title: its paper title's line breaks (with the
 * indent around them) as one space.
 */
export function oneLineTitle(title: string): string {
  return title.replace(/[ \t]*[\r\n]+[ \t\r\n]*/g, ' ').trim();
}

/** Hugging Face's own fields of a Daily Papers paper, as it gives them (bounded, plain strings). */
export interface HfPaperExtras {
  /** the paper's discussion thread on Hugging Face */
  discussionId?: string;
  /** Hugging Face's machine-written one-sentence summary, the model that wrote it and its keywords */
  aiSummary?: string;
  aiSummaryModel?: string;
  aiKeywords?: string[];
  /** the repository Hugging Face lists for the paper, as it gives it (a model or Space too), and who added it there */
  githubRepo?: string;
  githubRepoAddedBy?: string;
  /** the summary exactly as Hugging Face gives it, when PaperWire's normalised abstract differs from it */
  summary?: string;
  /** the title exactly as Hugging Face gives it (line breaks, repeated spaces), when PaperWire's title differs from it */
  title?: string;
  /**
   * the daily-papers item's own title as Hugging Face gives it, when it is not the paper's title on one line (HF's item
   * title drops the line breaks its paper title keeps from arXiv)
   */
  itemTitle?: string;
  /** who submitted the paper to Daily Papers: the handle PaperWire keeps and HF's display name for it, when they differ */
  submitter?: { name: string; fullname: string };
  /** the authors Hugging Face lists as hidden (`hidden: true`), by name as it gives them */
  hiddenAuthors?: string[];
}

/** One paper as a parser sees it in one document: canonical, normalised text. */
export interface CanonicalPaper {
  title: string;
  abstract: string;
  /** text before normalisation, when it differed */
  originalTitle?: string;
  originalAbstract?: string;
  authors: PaperAuthor[];
  externalIds: ExternalIds;
  /** arXiv version number when the source told it (2401.00001v2 -> 2) */
  version?: number;
  publishedAt?: string;
  updatedAt?: string;
  categories: string[];
  links: PaperLinks;
  comment?: string;
  sighting: SightingInfo;
}

export interface EntryError {
  /** index of the entry in the document, when known (from 0) */
  index?: number;
  /** the entry's line in the file (from 1), for line formats (JSON Lines, text captures): where its user finds it */
  line?: number;
  /** item identifier when known */
  id?: string;
  message: string;
}

export interface ParseResult {
  format: FeedFormat;
  papers: CanonicalPaper[];
  errors: EntryError[];
  /** paging information for sources that page (OAI resumptionToken, arXiv API totalResults) */
  paging?: { resumptionToken?: string; completeListSize?: number; totalResults?: number; startIndex?: number; itemsPerPage?: number };
}

export const CONTRIBUTION_TYPES = ['method', 'benchmark-dataset', 'framework-tool', 'analysis', 'survey', 'system'] as const;
export type ContributionType = (typeof CONTRIBUTION_TYPES)[number];

export interface TopicScore {
  slug: string;
  score: number;
  /** the terms, phrases or rules that fired for this topic */
  evidence: string[];
}

/** Which parts of a stored paper a reader needs (a subscription filter, say): the rest need not be loaded. */
export interface PaperParts {
  /** title and abstract */
  text: boolean;
  authors: boolean;
  /** the code links (`links`) */
  codeLinks: boolean;
  sources: boolean;
  topics: boolean;
  claims: boolean;
}

export interface Classification {
  topics: TopicScore[];
  primaryTopic: string | null;
  contribution: ContributionType;
  /** predicted arXiv category, when the source gave none */
  arxivCategory?: string | null;
  version: string;
}

export const CLAIM_UNITS = ['%', 'pp', 'x', 'count', 'params', 'tokens', 'bytes', 'score', 'other'] as const;
export type ClaimUnit = (typeof CLAIM_UNITS)[number];
export const CLAIM_CATEGORIES = ['result', 'setup'] as const;
export type ClaimCategory = (typeof CLAIM_CATEGORIES)[number];
export const CLAIM_KINDS = [
  'relative_improvement',
  'absolute_score',
  'reduction',
  'speedup',
  'retention',
  'other',
  'scope',
  'size',
] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];
/**
 * A claim kind as a reader names it (the paper page, mails): `relative_improvement` is any gain over a baseline (in %,
 * points or ×), so "relative" would misname a gain in points. Filters take these names too (claimKindOf).
 */
export const CLAIM_KIND_NAMES: Record<ClaimKind, string> = {
  relative_improvement: 'improvement',
  absolute_score: 'score',
  reduction: 'reduction',
  speedup: 'speed-up',
  retention: 'retention',
  other: 'other',
  scope: 'scope',
  size: 'size',
};

/** The kind a filter names, by its contract name or its reader's name, in any case ("Improvement", "speedup"); else the text as given. */
export function claimKindOf(text: string): string {
  const t = text.trim().toLowerCase();
  const byName = (Object.entries(CLAIM_KIND_NAMES) as [ClaimKind, string][]).find(([, n]) => n === t || n.replace('-', '') === t);
  return byName ? byName[0] : (CLAIM_KINDS as readonly string[]).includes(t) ? t : text;
}
export const CLAIM_QUALIFIERS = ['up to', 'average', 'more than', 'over', 'about', 'nearly', 'at least', 'less than'] as const;

export interface Claim {
  start: number;
  /** exclusive */
  end: number;
  text: string;
  value: number;
  low: number | null;
  unit: ClaimUnit;
  /** the unit as written, for unit `other` ("m", "mg", "ms") */
  unitText?: string | null;
  category: ClaimCategory;
  kind: ClaimKind;
  metric: string | null;
  /** true when the claim is an improvement of its metric (direction-aware), null when unknown */
  improvement?: boolean | null;
  baseline: { value: number; text: string } | null;
  comparedTo: string | null;
  dataset: string | null;
  qualifier: string | null;
}
