import type { PaperLinks } from '@paperwire/contracts';

/**
 * `url` when it is an absolute http(s) address, else undefined. Links stored from sources are rendered
 * (pages, feeds, the HF drop-in) only through this: a `javascript:`, `data:`, `vbscript:`, relative or
 * malformed value is not a link to follow. The URL parser reads the scheme as a browser does (it drops
 * tabs and newlines and ignores case, so `Java\tScript:` is still javascript:).
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

const webOnly = (urls: readonly string[]): string[] => [
  ...new Set(urls.map(httpHref).filter((u): u is string => u !== undefined)),
];

/**
 * The links of a paper to render: http(s) addresses only (httpHref), code and project pages without
 * repeats, and arXiv's abstract and PDF pages when the source gave none (or none that is a web address).
 */
export function renderableLinks(p: {
  links: PaperLinks;
  arxivId: string | null;
}): Required<Pick<PaperLinks, 'code' | 'project'>> & { abs?: string; pdf?: string } {
  const arxiv = p.arxivId ? encodeURI(p.arxivId) : null;
  return {
    abs: httpHref(p.links.abs) ?? (arxiv ? `https://arxiv.org/abs/${arxiv}` : undefined),
    pdf: httpHref(p.links.pdf) ?? (arxiv ? `https://arxiv.org/pdf/${arxiv}` : undefined),
    code: webOnly(p.links.code),
    project: webOnly(p.links.project),
  };
}
