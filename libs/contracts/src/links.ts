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
