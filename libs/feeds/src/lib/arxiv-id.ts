// arXiv identifiers: new style (YYMM.NNNN[N]) since 2007-04, old style (archive[.SC]/YYMMNNN) before.

export interface ArxivId {
  /** versionless id: 2401.00001 or hep-th/9901001 */
  id: string;
  version?: number;
}

const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d{1,4}))?$/;
const OLD_STYLE = /^([a-z]{2,10}(?:-[a-z]{2,10})?)(?:\.[a-z]{2}(?:-[a-z]{2})?)?\/(\d{2})(\d{2})(\d{3})(?:v(\d{1,4}))?$/i;
const URL_PREFIX = /^https?:\/\/(?:www\.|export\.|browse\.)?arxiv\.org\/(?:abs|pdf|html|format)\//i;

function validMonth(mm: string): boolean {
  const m = Number(mm);
  return m >= 1 && m <= 12;
}

function version(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}

/** Strips the wrappers arXiv ids come in: URLs, `arXiv:`, `oai:arXiv.org:`, `.pdf`, query and fragment. */
function unwrap(raw: string): string | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > 200) return null;
  if (URL_PREFIX.test(s)) {
    s = s.replace(URL_PREFIX, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
    s = s.replace(/\.pdf$/i, '');
  } else if (/^oai:arxiv\.org:/i.test(s)) {
    s = s.slice('oai:arxiv.org:'.length);
  } else if (/^arxiv:/i.test(s)) {
    s = s.slice('arxiv:'.length).trim();
  }
  return s;
}

/** Parses any common spelling of an arXiv id; null when the string is not exactly one id. */
export function parseArxivId(raw: string): ArxivId | null {
  if (typeof raw !== 'string') return null;
  const s = unwrap(raw);
  if (s === null) return null;
  const modern = NEW_STYLE.exec(s);
  if (modern) {
    const [, yy, mm, num, v] = modern;
    const year = Number(yy);
    if (v !== undefined && version(v) === undefined) return null;
    // 4-digit numbers were used until 1412, 5-digit from 1501; new style starts at 0704.
    if (!validMonth(mm) || (year === 7 && Number(mm) < 4)) return null;
    if (num.length === 5 && year < 15) return null;
    if (num.length === 4 && year >= 15) return null;
    return withVersion(`${yy}${mm}.${num}`, version(v));
  }
  const old = OLD_STYLE.exec(s);
  if (old) {
    const [, archive, yy, mm, num, v] = old;
    if (!validMonth(mm) || (v !== undefined && version(v) === undefined)) return null;
    const year = Number(yy);
    if (year < 91 && year > 7) return null;
    return withVersion(`${archive.toLowerCase()}/${yy}${mm}${num}`, version(v));
  }
  return null;
}

function withVersion(id: string, v: number | undefined): ArxivId {
  return v === undefined ? { id } : { id, version: v };
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
