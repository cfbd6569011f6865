import { linkIdentity } from '@paperwire/contracts';

// Code and project links found in abstracts and comments ("Code: https://github.com/x/y.").

export interface ExtractedLinks {
  code: string[];
  project: string[];
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`{}|\\^[\]]+/gi;
const BARE_REPO_RE = /(?:^|[\s([:;,])((?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)\/[^\s<>"'`{}|\\^[\]]+)/gi;
/** What BARE_REPO_RE needs somewhere in the text: one scan, far cheaper than BARE_REPO_RE failing at every space. */
const BARE_REPO_HOSTS = /github\.com|gitlab\.com|huggingface\.co/i;
const TRAILING_CHARS = '.,;:!?\'"*>';
// Hosts whose links are references, not a paper's project page.
const NOT_PROJECT = /(^|\.)(arxiv\.org|doi\.org|creativecommons\.org|orcid\.org|semanticscholar\.org|acm\.org|ieee\.org|springer\.com|sciencedirect\.com|w3\.org|schema\.org|openreview\.net|aclanthology\.org)$/i;
const CODE_HOSTS = /^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com)$/i;
const HF_REPO_KINDS = new Set(['datasets', 'spaces']);
const HF_NON_REPO = new Set(['papers', 'docs', 'blog', 'learn', 'posts', 'collections', 'join', 'login', 'pricing']);

function trimUrl(raw: string): string {
  // Drop sentence punctuation and LaTeX / markdown leftovers (`}` is never part of the match) from the end,
  // and closing brackets that have no opening partner in the URL. One pass, so linear in the URL length.
  const open = count(raw, '(');
  let close = count(raw, ')');
  const openSq = count(raw, '[');
  let closeSq = count(raw, ']');
  let end = raw.length;
  while (end > 0) {
    const c = raw[end - 1];
    if (TRAILING_CHARS.includes(c)) end--;
    else if (c === ')' && open < close) {
      close--;
      end--;
    } else if (c === ']' && openSq < closeSq) {
      closeSq--;
      end--;
    } else break;
  }
  return raw.slice(0, end);
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Canonical repo URL (https://github.com/owner/repo) or null when the URL is not a code repository. */
export function canonicalCodeUrl(url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const parts = url.pathname.split('/').filter((p) => p.length > 0);
  if (CODE_HOSTS.test(host)) {
    if (parts.length < 2) return null;
    return `https://${host}/${parts[0]}/${parts[1].replace(/\.git$/i, '')}`;
  }
  if (host === 'huggingface.co') {
    if (parts.length >= 3 && HF_REPO_KINDS.has(parts[0])) return `https://${host}/${parts[0]}/${parts[1]}/${parts[2]}`;
    if (parts.length >= 2 && !HF_NON_REPO.has(parts[0]) && !HF_REPO_KINDS.has(parts[0])) {
      return `https://${host}/${parts[0]}/${parts[1]}`;
    }
  }
  return null;
}

function parseUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function toUrl(raw: string): URL | null {
  const cleaned = trimUrl(raw.trim());
  if (cleaned.length === 0 || cleaned.length > 2000) return null;
  const url = parseUrl(/^https?:\/\//i.test(cleaned) ? cleaned : `https://${cleaned}`);
  return url && url.hostname.includes('.') ? url : null;
}

/** Characters a URL as written must not carry to be kept as written (the URL parser's form is kept instead). */
const NOT_AS_WRITTEN = /[\s"<>\\^`{|}]/;

/**
 * A usable http(s) URL without trailing sentence punctuation, as the source wrote it (a trailing slash kept:
 * "…/EvoArena/" stays so; `https://` added to a bare host), or null. Comparison and dedupe normalise
 * (linkIdentity in @paperwire/contracts); what is stored and shown is the source's address.
 */
export function cleanUrl(raw: string): string | null {
  const cleaned = trimUrl(raw.trim());
  const url = toUrl(cleaned);
  if (!url) return null;
  const given = /^https?:\/\//i.test(cleaned) ? cleaned : `https://${cleaned}`;
  return NOT_AS_WRITTEN.test(given) ? url.toString() : given;
}

/** Classifies one URL string; returns null for unusable or reference-only URLs. */
export function classifyLink(raw: string): { kind: 'code' | 'project'; url: string } | null {
  const url = toUrl(raw);
  if (!url) return null;
  const code = canonicalCodeUrl(url);
  if (code) return { kind: 'code', url: code };
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (NOT_PROJECT.test(host)) return null;
  const given = cleanUrl(raw);
  return given ? { kind: 'project', url: given } : null;
}

/** Whether `list` has the page `url` names (linkIdentity: with or without a trailing slash, `www.` or the host's case). */
export function hasLink(list: readonly string[], url: string): boolean {
  const id = linkIdentity(url);
  return list.some((u) => linkIdentity(u) === id);
}

/** GitHub/GitLab/HF repositories vs other project pages mentioned in free text. */
export function extractLinks(text: string): ExtractedLinks {
  const code: string[] = [];
  const project: string[] = [];
  if (typeof text !== 'string' || text.length === 0) return { code, project };
  const candidates: string[] = [];
  for (const m of text.matchAll(URL_RE)) candidates.push(m[0]);
  if (BARE_REPO_HOSTS.test(text)) for (const m of text.matchAll(BARE_REPO_RE)) candidates.push(m[1]);
  for (const raw of candidates) {
    const link = classifyLink(raw);
    if (!link) continue;
    const list = link.kind === 'code' ? code : project;
    if (!hasLink(list, link.url)) list.push(link.url);
    if (code.length + project.length >= 50) break;
  }
  return { code, project };
}
