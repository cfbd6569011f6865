// Turns what a parser read from one entry into a CanonicalPaper: limits, normalisation, ids, links.
import type { CanonicalPaper, PaperAuthor, SightingInfo } from '@paperwire/contracts';
import { arxivAbsUrl, arxivPdfUrl, parseArxivId } from './arxiv-id';
import { EntryFailure, FeedError } from './feed-error';
import { classifyLink, cleanUrl, extractLinks, hasLink } from './links-extract';
import { normalizePlain, normalizeText, sanitizeRaw } from './text-normalize';

export const LIMITS = {
  titleChars: 2_000,
  abstractChars: 100_000,
  commentChars: 10_000,
  authorChars: 1_000,
  authors: 5_000,
  categories: 50,
  links: 50,
} as const;

export interface PaperDraft {
  title: string | undefined;
  abstract: string | undefined;
  authors?: PaperAuthor[];
  /** any spelling of the arXiv id (URL, oai guid, 2401.00001v2 ...) */
  arxivId?: string;
  version?: number;
  doi?: string;
  publishedAt?: string;
  updatedAt?: string;
  categories?: string[];
  comment?: string;
  codeLinks?: string[];
  projectLinks?: string[];
  sighting?: SightingInfo;
  /** false for text users gave us verbatim (text captures, JSONL): whitespace + NFC only */
  latex?: boolean;
  /** false for a title the source gives as it is to be shown (Hugging Face's), where `latex` holds for the abstract */
  latexTitle?: boolean;
  /** arXiv-only sources: an entry without a readable arXiv id is an entry error, not a paper */
  requireArxivId?: boolean;
}

export const NO_ARXIV_ID = 'entry without an arXiv id';

/** A document whose every entry lacks an arXiv id is not an arXiv feed at all: a wrong guess, not entry errors. */
export function assertArxivDocument(entries: number, errors: { message: string }[], what: string): void {
  if (entries > 0 && errors.length === entries && errors.every((e) => e.message === NO_ARXIV_ID)) {
    throw new FeedError('unknown-format', `${what} without a single arXiv entry`);
  }
}

const DOI_RE = /^10\.\d{4,9}\/\S+$/;

export function cleanDoi(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // arXivRaw lists several DOIs separated by spaces; the first is the paper's.
  const first = raw.trim().split(/\s+/)[0] ?? '';
  const doi = first.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '');
  return DOI_RE.test(doi) && doi.length <= 300 ? sanitizeRaw(doi) : undefined;
}

/** toIso's latest answer: the papers of a page mostly carry the same few dates. */
let lastIso: { raw: string; iso: string | undefined } = { raw: '', iso: undefined };

export function toIso(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw === lastIso.raw) return lastIso.iso;
  const s = raw.trim();
  let iso: string | undefined;
  if (s.length > 0 && s.length <= 100) {
    const t = Date.parse(s);
    iso = Number.isFinite(t) ? new Date(t).toISOString() : undefined;
  }
  lastIso = { raw, iso };
  return iso;
}

export function toCount(raw: unknown): number | undefined {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

function requiredText(raw: string | undefined, field: string, max: number): string {
  if (raw === undefined || raw.trim().length === 0) throw new EntryFailure(`missing ${field}`);
  if (raw.length > max) throw new EntryFailure(`${field} too long (${raw.length} > ${max} characters)`);
  return sanitizeRaw(raw);
}

function cleanAuthors(authors: PaperAuthor[] | undefined): PaperAuthor[] {
  const out: PaperAuthor[] = [];
  for (const a of authors ?? []) {
    if (out.length >= LIMITS.authors) break;
    const name = normalizeText(a.name.slice(0, LIMITS.authorChars));
    if (name.length === 0) continue;
    const affiliation = a.affiliation ? normalizeText(a.affiliation.slice(0, LIMITS.authorChars)) : '';
    out.push(affiliation ? { name, affiliation } : { name });
  }
  return out;
}

function cleanCategories(categories: string[] | undefined): string[] {
  const out: string[] = [];
  for (const c of categories ?? []) {
    const cat = normalizePlain(c).slice(0, 100);
    if (cat.length > 0 && !out.includes(cat)) out.push(cat);
    if (out.length >= LIMITS.categories) break;
  }
  return out;
}

function mergeLinks(draft: PaperDraft, texts: string[]): { code: string[]; project: string[] } {
  const code: string[] = [];
  const project: string[] = [];
  const add = (list: string[], url: string): void => {
    // the same page once (with or without a trailing slash: hasLink); kept as the source wrote it first
    if (!hasLink(list, url) && code.length + project.length < LIMITS.links) list.push(url);
  };
  // Source fields are trusted for their kind (an HF projectPage on huggingface.co stays a project page).
  for (const raw of draft.codeLinks ?? []) {
    const link = classifyLink(raw);
    if (link) add(code, link.url);
  }
  for (const raw of draft.projectLinks ?? []) {
    const url = cleanUrl(raw);
    if (url) add(project, url);
  }
  for (const text of texts) {
    const found = extractLinks(text);
    for (const url of found.code) add(code, url);
    for (const url of found.project) add(project, url);
  }
  return { code, project };
}

/**
 * A copy without the undefined fields, keys in the same order. (Deleting them instead turned every paper and
 * its parts into slow dictionary-mode objects, for every later read, copy and JSON.stringify.)
 */
function dropUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const key in o) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

/** Builds a canonical paper, or throws EntryFailure for an entry that must not become a paper. */
export function buildPaper(draft: PaperDraft): CanonicalPaper {
  const parsedId = draft.arxivId ? parseArxivId(draft.arxivId) : null;
  if (draft.requireArxivId && !parsedId) throw new EntryFailure(NO_ARXIV_ID);
  const rawTitle = requiredText(draft.title, 'title', LIMITS.titleChars);
  const rawAbstract = requiredText(draft.abstract, 'abstract', LIMITS.abstractChars);
  const latex = draft.latex !== false;
  // Remembered: the parser service hashes and keys these right after (contentHash, paperKey).
  const title = normalizeText(rawTitle, { latex: latex && draft.latexTitle !== false, remember: true });
  const abstract = normalizeText(rawAbstract, { latex, remember: true });
  if (title.length === 0) throw new EntryFailure('missing title');
  if (abstract.length === 0) throw new EntryFailure('missing abstract');
  const comment = draft.comment ? normalizeText(draft.comment.slice(0, LIMITS.commentChars)) : undefined;
  const links = mergeLinks(draft, [rawAbstract, draft.comment?.slice(0, LIMITS.commentChars) ?? '']);
  const doi = cleanDoi(draft.doi);
  const version = draft.version ?? parsedId?.version;
  const paper: CanonicalPaper = {
    title,
    abstract,
    originalTitle: rawTitle !== title ? rawTitle : undefined,
    originalAbstract: rawAbstract !== abstract ? rawAbstract : undefined,
    authors: cleanAuthors(draft.authors),
    externalIds: dropUndefined({ arxiv: parsedId?.id, doi }),
    version,
    publishedAt: toIso(draft.publishedAt),
    updatedAt: toIso(draft.updatedAt),
    categories: cleanCategories(draft.categories),
    links: dropUndefined({
      abs: parsedId ? arxivAbsUrl(parsedId.id) : undefined,
      pdf: parsedId ? arxivPdfUrl(parsedId.id) : undefined,
      ...links,
    }),
    comment: comment && comment.length > 0 ? comment : undefined,
    sighting: dropUndefined({ ...(draft.sighting ?? {}), featuredAt: toIso(draft.sighting?.featuredAt) }),
  };
  return dropUndefined(paper);
}

/** Splits an author list written as one string: commas, semicolons and " and ", parentheses kept together. */
export function splitAuthorString(raw: string): PaperAuthor[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  const s = raw.slice(0, 200_000).replace(/\s+/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    if (ch === ')' && depth > 0) depth--;
    if (depth === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = '';
    } else if (depth === 0 && s.startsWith(' and ', i)) {
      parts.push(current);
      current = '';
      i += 4;
    } else {
      current += ch;
    }
  }
  parts.push(current);
  const authors: PaperAuthor[] = [];
  for (const part of parts) {
    const p = part.trim().replace(/^and /, '');
    if (p.length === 0) continue;
    // "John Smith, Jr." was split at the comma; glue the suffix back.
    if (/^(?:jr\.?|sr\.?|ii|iii|iv)$/i.test(p) && authors.length > 0) {
      authors[authors.length - 1].name += `, ${p}`;
      continue;
    }
    const open = p.indexOf('(');
    if (open > 0 && p.endsWith(')')) authors.push({ name: p.slice(0, open).trim(), affiliation: p.slice(open + 1, -1) });
    else authors.push({ name: p });
  }
  return authors;
}
