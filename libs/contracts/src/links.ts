import type { PaperLinks } from './paper';

// Links are stored as sources give them; readers get them only through these (pages, feeds, the /v1 JSON,
// the HF drop-in, webhook payloads): a `javascript:`, `data:`, `vbscript:`, relative or malformed value
// is not a link to follow.

/**
 * `url` (trimmed) when it is an absolute http(s) address, else undefined. The URL parser reads the scheme
 * as a browser does (it drops tabs and newlines and ignores case, so `Java\tScript:` is still javascript:).
 */
export function httpHref(url: string | null | undefined): string | undefined {
  const s = url?.trim();
  if (!s) return undefined;
  try {
    const { protocol } = new URL(s);
    return protocol === 'http:' || protocol === 'https:' ? s : undefined;
  } catch {
    return undefined;
  }
}

const webOnly = (urls: readonly string[] | null | undefined): string[] => [
  ...new Set((urls ?? []).map(httpHref).filter((u): u is string => u !== undefined)),
];

/**
 * A paper's stored links as readers get them: http(s) addresses only (httpHref), code and project pages
 * without repeats, the abstract and PDF links left out when they are not web addresses.
 */
export function webLinks(links: Partial<PaperLinks> | null | undefined): PaperLinks {
  const abs = httpHref(links?.abs);
  const pdf = httpHref(links?.pdf);
  return {
    ...(abs ? { abs } : {}),
    ...(pdf ? { pdf } : {}),
    code: webOnly(links?.code),
    project: webOnly(links?.project),
  };
}

/**
 * The links of a paper to show a reader (pages, feeds, the HF drop-in, emails): its web links (webLinks: http(s)
 * addresses only, no repeats), and arXiv's abstract and PDF pages, from its arXiv id, when the source gave none
 * (or none that is a web address).
 */
export function renderableLinks(p: {
  links?: Partial<PaperLinks> | null;
  arxivId?: string | null;
}): Required<Pick<PaperLinks, 'code' | 'project'>> & { abs?: string; pdf?: string } {
  const arxiv = p.arxivId ? encodeURI(p.arxivId) : null;
  const { abs, pdf, code, project } = webLinks(p.links);
  return {
    abs: abs ?? (arxiv ? `https://arxiv.org/abs/${arxiv}` : undefined),
    pdf: pdf ?? (arxiv ? `https://arxiv.org/pdf/${arxiv}` : undefined),
    code,
    project,
  };
}

/** What a paper's link is: a code repository, a Hugging Face model, dataset or Space, or a project page. */
export type LinkKind = 'code' | 'model' | 'dataset' | 'space' | 'project';

/** A link as a reader is shown it: its kind, a label that says what it is, a short one (cards, feeds) and the address. */
export interface LabelledLink {
  kind: LinkKind;
  label: string;
  short: string;
  url: string;
  /** the list the source gave it in (an HF projectPage on a Space is listed as a project page) */
  listedAs: 'code' | 'project';
}

const CODE_HOST_NAMES: Readonly<Record<string, string>> = {
  'github.com': 'GitHub',
  'gitlab.com': 'GitLab',
  'bitbucket.org': 'Bitbucket',
  'codeberg.org': 'Codeberg',
  'gitee.com': 'Gitee',
};
// huggingface.co's own pages (not a model's owner): /papers/…, /docs/… are not models
const HF_NOT_MODEL = new Set(['papers', 'docs', 'blog', 'learn', 'posts', 'collections', 'join', 'login', 'pricing', 'models', 'organizations']);

/**
 * What a link is, from its address: code on a code host (by name), a Hugging Face model (huggingface.co/owner/name),
 * dataset (/datasets/…) or Space (/spaces/…), else what the source listed it as (`listedAs`: a code link elsewhere is
 * "Code", anything else a "Project page").
 */
export function linkKindOf(url: string, listedAs: 'code' | 'project'): Omit<LabelledLink, 'url' | 'listedAs'> {
  let host = '';
  let parts: string[] = [];
  try {
    const u = new URL(url);
    host = u.hostname.toLowerCase().replace(/^www\./, '');
    parts = u.pathname.split('/').filter((p) => p.length > 0);
  } catch {
    // not an address: labelled by what it was listed as
  }
  const codeHost = CODE_HOST_NAMES[host];
  if (codeHost && parts.length >= 2) return { kind: 'code', label: `Code on ${codeHost}`, short: 'Code' };
  if (host === 'huggingface.co' || host === 'hf.co') {
    if (parts.length >= 3 && parts[0] === 'datasets') return { kind: 'dataset', label: 'Dataset on Hugging Face', short: 'Dataset' };
    if (parts.length >= 3 && parts[0] === 'spaces') return { kind: 'space', label: 'Space on Hugging Face', short: 'Space' };
    if (parts.length >= 2 && !HF_NOT_MODEL.has(parts[0]) && parts[0] !== 'datasets' && parts[0] !== 'spaces')
      return { kind: 'model', label: 'Model on Hugging Face', short: 'Model' };
  }
  return listedAs === 'code' ? { kind: 'code', label: 'Code', short: 'Code' } : { kind: 'project', label: 'Project page', short: 'Project' };
}

/**
 * A code link's short name, host and repository (`github.com/owner/repo`): two code links of one paper read apart
 * ("Code · Code" said nothing). The host without `www.`, then at most the first two path segments (`.git` dropped).
 */
export function repositoryName(url: string): string {
  try {
    const u = new URL(url);
    const parts = u.pathname.split('/').filter((p) => p.length > 0).slice(0, 2);
    if (parts.length > 0) parts[parts.length - 1] = parts[parts.length - 1].replace(/\.git$/i, '');
    return [u.hostname.toLowerCase().replace(/^www\./, ''), ...parts].join('/');
  } catch {
    return url.trim();
  }
}

/** Longest link name shown (linkName): past it the address is cut and ends in "…". */
export const MAX_LINK_NAME = 72;

/**
 * What a link reads where it is named by its address (the HTML mails): never a truncation that names another page.
 * A repository on a code host is its `host/owner/repo` (repositoryName), a Hugging Face model its `huggingface.co/owner/name`,
 * a dataset or Space its `huggingface.co/datasets|spaces/owner/name`: the whole identity. Any other page (a project page, a
 * Hugging Face collection) is its whole address without the scheme, `www.` and a trailing slash, cut at
 * MAX_LINK_NAME characters with "…" (so "huggingface.co/collections/owner" never stands for a collection: it reads
 * "huggingface.co/collections/owner/name-123", or ends in "…").
 */
export function linkName(url: string, kind: LinkKind): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.trim();
  }
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const parts = u.pathname.split('/').filter((p) => p.length > 0);
  const whole = (n: number) => parts.length <= n && !u.search;
  if (kind === 'code' && CODE_HOST_NAMES[host] && parts.length >= 2) return repositoryName(url);
  if (kind === 'model' && parts.length >= 2 && whole(2)) return [host, ...parts].join('/');
  if ((kind === 'dataset' || kind === 'space') && parts.length >= 3 && whole(3)) return [host, ...parts].join('/');
  let path = u.pathname.replace(/\/+$/, '');
  try {
    path = decodeURI(path);
  } catch {
    // shown as given
  }
  const name = `${host}${path}${u.search}`;
  return name.length <= MAX_LINK_NAME ? name : `${name.slice(0, MAX_LINK_NAME - 1)}…`;
}

/**
 * The key two addresses of the same page share (dedupe and comparison only; a link is always shown as given): the
 * host in lower case without `www.`, the path without trailing slashes or `.git`, the query; no scheme, no fragment.
 */
export function linkIdentity(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, '').replace(/\.git$/i, '');
    return `${u.hostname.toLowerCase().replace(/^www\./, '')}${path}${u.search}`;
  } catch {
    return url.trim();
  }
}

/**
 * A paper's code and project links as a reader is shown them (the paper page, cards, feeds, the HF drop-in): web
 * addresses only (webLinks), each labelled by what it is (linkKindOf), never the same page twice (linkIdentity: a
 * link listed both as code and as a project page, or with and without a trailing slash, is shown once, as first
 * given; code links first).
 */
export function labelledLinks(links: (Partial<PaperLinks> & { labelled?: readonly LabelledLink[] }) | null | undefined): LabelledLink[] {
  // links as served (servedLinks) carry their labels: their `code` holds code repositories only
  if (Array.isArray(links?.labelled)) return [...links.labelled];
  const { code, project } = webLinks(links);
  const seen = new Set<string>();
  const out: LabelledLink[] = [];
  for (const [urls, listedAs] of [
    [code, 'code'],
    [project, 'project'],
  ] as const) {
    for (const url of urls) {
      const id = linkIdentity(url);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...linkKindOf(url, listedAs), url, listedAs });
    }
  }
  return out;
}

/** A paper's links as the API and webhooks serve them (servedLinks). */
export interface ServedLinks extends PaperLinks {
  /** every code and project link, each by what it is (labelledLinks), in the order the pages show them */
  labelled: LabelledLink[];
}

/**
 * A paper's links as /v1 and webhook payloads serve them, agreeing with the pages, feeds and mails (labelledLinks):
 * web addresses only (webLinks); `code` holds code repositories only, so a Hugging Face model, dataset or Space a
 * source listed as code is not called code (it is in `labelled`, by its kind); `project` as given; `labelled` every
 * code and project link with its kind and label.
 */
export function servedLinks(links: Partial<PaperLinks> | null | undefined): ServedLinks {
  const web = webLinks(links);
  const labelled = labelledLinks(links);
  return { ...web, code: codeRepositories(web), labelled };
}

/**
 * The code repositories among a paper's code links, web addresses only: what "has code" means on every surface (a
 * Hugging Face model, dataset or Space a source listed as code is not one).
 */
export function codeRepositories(links: Partial<PaperLinks> | null | undefined): string[] {
  return webLinks(links).code.filter((url) => linkKindOf(url, 'code').kind === 'code');
}
