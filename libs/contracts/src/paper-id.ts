// Paper ids the way people write them, read by one parser for every lookup: the API's paths, the paper
// pages, the CLI and subscriptions' example papers (libs/notifications validates those, and cannot
// depend on libs/db). Pure functions, no runtime dependencies.

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_RE.test(s);

const ARXIV_NEW = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const ARXIV_OLD = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

/** An arXiv id without its version suffix, or null when `s` is not one. */
export function normaliseArxivId(s: string): string | null {
  const m = ARXIV_NEW.exec(s) ?? ARXIV_OLD.exec(s);
  return m ? m[1] : null;
}

/** A paper id as written, read: a uuid, an arXiv id (without its version) or a paper key (`doi:…`, `title:…`). */
export type PaperIdRef = { kind: 'uuid' | 'arxiv' | 'key'; value: string };

const ARXIV_URL =
  /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html|format)\/([^?#]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;
// a Hugging Face paper page (huggingface.co/papers/<arXiv id>, hf.co too): it is named by the arXiv id
const HF_PAPER_URL = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/papers\/([^/?#]+)\/?(?:[?#].*)?$/i;
const ARXIV_PREFIX = /^arxiv:\s*/i;
const DOI_URL = /^(?:https?:\/\/)?(?:dx\.)?doi\.org\/([^?#]+)$/i;
const DOI = /^10\.\d{4,9}\/\S+$/;
const DOI_KEY = /^doi:\s*(\S+)$/i;
// the DOI arXiv registers for each of its papers (DataCite, 10.48550/arXiv.<id>): the arXiv paper itself
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;
// paperKey's title keys: letters and digits joined by dashes, or a hash for a title without any.
const TITLE_KEY = /^title:(?:[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*|#[0-9a-f]{16})$/u;
/** Longer than any id or paper key (title keys stop at 306 characters). */
const MAX_PAPER_ID = 320;

/**
 * What a paper id may be, for the refusal that answers anything else (API 400, pages, CLI): the forms a reader can
 * have in hand. Paper keys (`title:…`) are read too but never shown to anyone, so they are not offered.
 */
export const PAPER_ID_FORMS =
  'a PaperWire uuid, an arXiv id (2401.12345, arXiv:2401.12345v2, https://arxiv.org/abs/2401.12345, hep-th/9901001), a Hugging Face paper link (https://huggingface.co/papers/2401.12345) or a DOI (10.1145/3292500.3330701, https://doi.org/10.1145/3292500.3330701)';

/**
 * A paper id the way people paste it, read once for every lookup (API, pages, CLI, example papers):
 * surrounding spaces, `arXiv:` / `arxiv:` prefixes, arXiv abstract, PDF and HTML URLs, Hugging Face paper pages
 * (huggingface.co/papers/<id>), version suffixes,
 * DOIs bare, as doi.org URLs or as `doi:` keys. Null for what can never name a paper (no lookup needed to say so).
 * arXiv's own DOIs (10.48550/arXiv.<id>) are read as the arXiv id: a paper with an arXiv id is keyed by it, so
 * as a `doi:` key such a DOI would name no paper.
 */
export function parsePaperId(raw: string): PaperIdRef | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_PAPER_ID) return null;
  if (isUuid(trimmed)) return { kind: 'uuid', value: trimmed.toLowerCase() };
  const { s, url, prefixed } = arxivPart(trimmed);
  const arxiv = normaliseArxivId(s);
  if (arxiv) return { kind: 'arxiv', value: arxiv };
  if (url || prefixed) return null;
  const doi = DOI_URL.exec(s)?.[1] ?? DOI_KEY.exec(s)?.[1] ?? (DOI.test(s) ? s : null);
  if (!doi) return TITLE_KEY.test(s) ? { kind: 'key', value: s } : null;
  const decoded = decodeUrlPart(doi);
  const arxivOfDoi = normaliseArxivId(ARXIV_DOI.exec(decoded)?.[1] ?? '');
  if (arxivOfDoi) return { kind: 'arxiv', value: arxivOfDoi };
  return { kind: 'key', value: `doi:${decoded.toLowerCase()}` };
}

/** What stands for the arXiv id in an id as written: an arXiv or Hugging Face link's id, an `arXiv:` id's rest, else it all. */
function arxivPart(s: string): { s: string; url: boolean; prefixed: boolean } {
  const url = ARXIV_URL.exec(s) ?? HF_PAPER_URL.exec(s);
  if (url) return { s: decodeUrlPart(url[1]), url: true, prefixed: false };
  if (ARXIV_PREFIX.test(s)) return { s: s.replace(ARXIV_PREFIX, ''), url: false, prefixed: true };
  return { s, url: false, prefixed: false };
}

/**
 * The version an arXiv id as written names ("2401.12345v2", "arXiv:2401.12345v2", an arxiv.org or Hugging Face link
 * with a version), read as parsePaperId reads the id; null when it names none or is no arXiv id.
 */
export function arxivVersionOf(raw: string): number | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_PAPER_ID) return null;
  const { s } = arxivPart(trimmed);
  const m = ARXIV_NEW.exec(s) ?? ARXIV_OLD.exec(s);
  return m?.[2] ? Number(m[2].slice(1)) : null;
}

function decodeUrlPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
