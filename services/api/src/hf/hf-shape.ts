// Hugging Face Daily Papers API shapes (GET https://huggingface.co/api/daily_papers, /api/papers/{id}), as
// captured in /work/shared/fixtures/hf-daily-papers (copied to ./fixtures with its PROVENANCE). PaperWire
// answers with the same keys and JSON types wherever it knows the value; HF fields it cannot know are left
// out (HF_UNKNOWABLE), as HF itself leaves optional fields out. PaperWire's own fields go under `paperwire`.

import type { ClaimDto } from '../papers/paper.dto';
import { httpHref, labelledLinks, oneLineTitle, type HfPaperExtras } from '@paperwire/contracts';

/**
 * Keys of HF's paper PaperWire serves as a Hugging Face source gave them, and leaves out for a paper no Hugging Face
 * source listed (documented in the OpenAPI).
 */
export const HF_SOURCE_ONLY = { paper: ['discussionId', 'githubRepoAddedBy', 'ai_summary', 'ai_keywords', 'ai_summary_model'] } as const;

/** Keys of HF's responses PaperWire leaves out because it cannot know them (documented in the OpenAPI). */
export const HF_UNKNOWABLE = {
  // mediaUrls (item and paper) and isAuthorParticipating are served when a Hugging Face source gave them
  item: ['thumbnail', 'mediaUrls', 'organization'],
  paper: ['mediaUrls', 'organization'],
  author: ['_id', 'user', 'status', 'statusLastChangedAt'],
  user: ['_id', 'avatarUrl', 'isPro', 'type', 'isHf', 'isHfAdmin', 'isMod', 'followerCount', 'isUserFollowing'],
} as const;

export interface HfUser {
  name: string;
  /** HF's display name as a Hugging Face source gave it, else the handle */
  fullname: string;
  user?: string;
}

export interface HfAuthor {
  name: string;
  hidden: boolean;
}

export interface HfOrganization {
  name: string;
  fullname?: string;
  avatar?: string;
}

export interface HfPaper {
  id: string;
  authors: HfAuthor[];
  mediaUrls?: string[];
  /** the paper's own date, null when no source stated one (never the listing time) */
  publishedAt: string | null;
  submittedOnDailyAt?: string;
  title: string;
  submittedOnDailyBy?: HfUser;
  summary: string;
  upvotes: number;
  discussionId?: string;
  githubRepo?: string;
  githubRepoAddedBy?: string;
  githubStars?: number;
  projectPage?: string;
  ai_summary?: string;
  ai_keywords?: string[];
  ai_summary_model?: string;
  organization?: HfOrganization;
}

/** PaperWire's own signals on a paper: carried from the source record into the `paperwire` extra. */
interface PaperWireSignals {
  primaryTopic: string | null;
  topics: { slug: string; name?: string; score: number }[];
  headlineClaim: ClaimDto | null;
  claims?: ClaimDto[];
  /** the /v1 trendingScore: rounded, 0 without a signal */
  trendingScore: number;
  /** the /v1 hasTrendingSignal: a trendingScore of 0 may be a decayed signal */
  hasTrendingSignal: boolean;
  sources?: { kind: string; name: string }[];
}

export interface PaperWireExtra extends PaperWireSignals {
  /** PaperWire's uuid for the paper */
  id: string;
  /**
   * the paper's arXiv id, null for a paper PaperWire knows without one: then `paper.id` is the uuid (HF_ID_NOTE),
   * where Hugging Face, which lists arXiv papers only, always gives an arXiv id
   */
  arxivId: string | null;
  /** the paper's page on PaperWire */
  url: string;
}

export interface HfDailyItem {
  paper: HfPaper;
  publishedAt: string;
  title: string;
  summary: string;
  mediaUrls?: string[];
  thumbnail?: string;
  numComments: number;
  submittedBy?: HfUser;
  organization?: HfOrganization;
  isAuthorParticipating: boolean;
  paperwire: PaperWireExtra;
}

/** What PaperWire knows about a paper, from a listing card or a paper record. */
export interface HfSource extends PaperWireSignals {
  id: string;
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: { name: string }[];
  publishedAt: string | null;
  /** first appearance / creation: an item's listing time when nothing better is known (never the paper's date) */
  firstSeenAt: string;
  /**
   * when the paper appeared on the listing (a listing card's t0: HF's submittedOnDailyAt, the arXiv announcement,
   * else first seen), what sort=publishedAt orders by: an item's `publishedAt` (HF's is its submission time, not
   * the paper's date); undefined for a paper read on its own (the item is not served then)
   */
  listedAt?: string | null;
  /**
   * the source's own timestamp of its item (HF Daily Papers' item publishedAt, its submission time), served as the
   * item's `publishedAt` when a source gave one (the listing time otherwise)
   */
  itemPublishedAt?: string | null;
  featuredAt: string | null;
  upvotes: number | null;
  numComments: number | null;
  githubStars: number | null;
  submittedBy: string | null;
  organization?: { name: string; fullname?: string | null } | null;
  thumbnailUrl?: string | null;
  /** HF Daily Papers' item media, as it gave them */
  mediaUrls?: string[] | null;
  /** HF Daily Papers' isAuthorParticipating; unknown (another source) is served as false: no author takes part on HF */
  authorParticipating?: boolean | null;
  /** Hugging Face's own fields of the paper, as a Hugging Face source gave them */
  hf?: HfPaperExtras | null;
  links: { code: string[]; project: string[] };
}

/** HF's own timestamp format: ISO 8601 with milliseconds, UTC. */
const hfDate = (iso: string) => new Date(iso).toISOString();

function org(o: HfSource['organization']): HfOrganization | undefined {
  if (!o?.name) return undefined;
  return o.fullname ? { name: o.name, fullname: o.fullname } : { name: o.name };
}

/** The submitter as HF shows it: the handle, with HF's display name when a Hugging Face source gave it for that handle. */
function user(s: HfSource, withUser: boolean): HfUser | undefined {
  const handle = s.submittedBy;
  if (!handle) return undefined;
  const fullname = s.hf?.submitter?.name === handle ? s.hf.submitter.fullname : handle;
  return withUser ? { name: handle, fullname, user: handle } : { name: handle, fullname };
}

/** The item's media as links (https, as stored), or none. */
function mediaOf(s: HfSource): string[] | undefined {
  const urls = (s.mediaUrls ?? []).map((u) => httpHref(u)).filter((u): u is string => !!u);
  return urls.length > 0 ? urls : undefined;
}

/** The summary as Hugging Face gave it (line breaks, "--") when it did, else PaperWire's abstract. */
const summaryOf = (s: HfSource): string => s.hf?.summary ?? s.abstract;

/** The `paper` object of a daily-papers item, and the body of GET /api/papers/{id}. */
export function toHfPaper(s: HfSource): HfPaper {
  const media = mediaOf(s);
  // the authors HF lists as hidden, by name as HF gave them
  const hidden = new Set(s.hf?.hiddenAuthors ?? []);
  const paper: HfPaper = {
    id: s.arxivId ?? s.id,
    authors: s.authors.filter((a) => a.name.trim()).map((a) => ({ name: a.name, hidden: hidden.has(a.name) })),
    ...(media ? { mediaUrls: media } : {}),
    publishedAt: s.publishedAt ? hfDate(s.publishedAt) : null,
    title: s.hf?.title ?? s.title,
    summary: summaryOf(s),
    upvotes: s.upvotes ?? 0,
  };
  if (s.hf?.discussionId) paper.discussionId = s.hf.discussionId;
  if (s.featuredAt) paper.submittedOnDailyAt = hfDate(s.featuredAt);
  const by = user(s, true);
  if (by) paper.submittedOnDailyBy = by;
  // Only web addresses: HF clients render these as links.
  // projectPage the first page listed as one (an HF Space or dataset too, as HF gives them), as stored
  const links = labelledLinks(s.links);
  const code = links.filter((l) => l.kind === 'code').map((l) => l.url);
  const project = links.filter((l) => l.listedAs === 'project').map((l) => l.url);
  // HF's own githubRepo as HF gave it (a model or Space too) when a Hugging Face source listed one, with who added it
  // there; else the paper's code repository another source gave (a GitHub one first)
  const repo = s.hf?.githubRepo ?? code.find((u) => /^https:\/\/(www\.)?github\.com\//i.test(u)) ?? code[0];
  if (repo) paper.githubRepo = repo;
  if (s.hf?.githubRepo && s.hf.githubRepoAddedBy) paper.githubRepoAddedBy = s.hf.githubRepoAddedBy;
  if (repo && s.githubStars !== null) paper.githubStars = s.githubStars;
  if (project[0]) paper.projectPage = project[0];
  if (s.hf?.aiSummary) paper.ai_summary = s.hf.aiSummary;
  if (s.hf?.aiKeywords?.length) paper.ai_keywords = s.hf.aiKeywords;
  if (s.hf?.aiSummaryModel) paper.ai_summary_model = s.hf.aiSummaryModel;
  const o = org(s.organization);
  if (o) paper.organization = o;
  return paper;
}

export function paperwireExtra(s: HfSource, baseUrl: string): PaperWireExtra {
  const extra: PaperWireExtra = {
    id: s.id,
    arxivId: s.arxivId,
    url: `${baseUrl.replace(/\/+$/, '')}/papers/${encodeURIComponent(s.arxivId ?? s.id)}`,
    primaryTopic: s.primaryTopic,
    topics: s.topics,
    headlineClaim: s.headlineClaim,
    trendingScore: s.trendingScore,
    hasTrendingSignal: s.hasTrendingSignal,
  };
  if (s.claims) extra.claims = s.claims;
  if (s.sources) extra.sources = s.sources;
  return extra;
}

/** One element of GET /api/daily_papers (and /api/papers/search). */
export function toHfDailyItem(s: HfSource, baseUrl: string): HfDailyItem {
  const paper = toHfPaper(s);
  const item: HfDailyItem = {
    paper,
    // the item's date is HF's own item timestamp when a source gave one, else the listing's (what sort=publishedAt
    // orders by); the paper's own date is paper.publishedAt
    publishedAt: hfDate(s.itemPublishedAt ?? s.listedAt ?? s.firstSeenAt),
    // HF's item title is one line (its paper title keeps arXiv's line breaks): as HF gave it, else the paper's on one line
    title: s.hf?.itemTitle ?? oneLineTitle(paper.title),
    summary: paper.summary,
    ...(paper.mediaUrls ? { mediaUrls: paper.mediaUrls } : {}),
    numComments: s.numComments ?? 0,
    isAuthorParticipating: s.authorParticipating ?? false,
    paperwire: paperwireExtra(s, baseUrl),
  };
  const thumbnail = httpHref(s.thumbnailUrl);
  if (thumbnail) item.thumbnail = thumbnail;
  const by = user(s, false);
  if (by) item.submittedBy = by;
  if (paper.organization) item.organization = paper.organization;
  // HF's key order: paper, publishedAt, title, summary, mediaUrls, thumbnail, numComments, submittedBy, organization,
  // isAuthorParticipating (then PaperWire's own).
  const { paper: p, publishedAt, title, summary, mediaUrls, thumbnail: t, numComments, submittedBy, organization, isAuthorParticipating, paperwire } = item;
  const ordered = { paper: p, publishedAt, title, summary, mediaUrls, thumbnail: t, numComments, submittedBy, organization, isAuthorParticipating, paperwire };
  return Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)) as unknown as HfDailyItem;
}
