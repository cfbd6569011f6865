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
