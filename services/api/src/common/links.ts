import { webLinks, type PaperLinks } from '@paperwire/contracts';

/**
 * The links of a paper to render on a page or in a feed: its web links (webLinks: http(s) addresses only,
 * no repeats), and arXiv's abstract and PDF pages when the source gave none (or none that is a web address).
 */
export function renderableLinks(p: {
  links: Partial<PaperLinks>;
  arxivId: string | null;
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
