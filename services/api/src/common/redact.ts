import { isIP } from 'node:net';
import { isPublicAddress, reservedHostName } from '@paperwire/http';

// What a public view (unauthenticated /v1/stats/pipeline, /ops) may show of a source or a failed job:
// URLs without user-info or query values, and the class of an error instead of its text. The text of
// an error can quote anything an upstream or an internal service said (a body, a token in a URL, a
// path on the host); its class cannot. Full detail needs an admin key.

/** What a public view shows of a source URL that names a host on the operator's own network. */
export const PRIVATE_SOURCE_URL = '(private address)';

/** A host that is not a public address, from its name alone: an IP literal outside public ranges, a special-use name. */
function privateHost(u: URL): boolean {
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  if (isIP(host)) return !isPublicAddress(host);
  return reservedHostName(host) === 'private';
}

/**
 * `https://feed.example/rss?api_token=redacted`: no user-info, no fragment, every query value replaced; and
 * `(private address)` for a source the operator let reach private addresses or whose host is not public by its
 * name (an address or host name on the operator's network says how it is laid out).
 */
export function redactSourceUrl(kind: string, url: string | null, allowPrivate = false): string | null {
  if (url === null) return null;
  if (kind === 'file') return '(file on the fetcher host)';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(invalid url)';
  }
  if (allowPrivate || privateHost(u)) return PRIVATE_SOURCE_URL;
  const names = [...u.searchParams.keys()];
  const query = names.length > 0 ? `?${names.map((n) => `${encodeURIComponent(n)}=redacted`).join('&')}` : '';
  return `${u.protocol}//${u.host}${u.pathname}${query}`;
}

// Ordered: the first pattern that matches names the class. The messages come from libs/http
// (`<code>: …`), the fetcher, the parser (`<FeedError code>: …`), the notifier and BullMQ.
const CLASSES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/^ssrf:|non-public address|private address/i, 'address refused'],
  [/DNS lookup|ENOTFOUND|EAI_AGAIN/, 'DNS lookup failed'],
  [/^timeout:|timed? ?out|did not complete within|ETIMEDOUT/i, 'timeout'],
  [/^too-large:|byte cap|too large/i, 'body too large'],
  [/\bHTTP (\d{3})\b/, (m) => `HTTP ${m[1]}`],
  [/\banswered 410 Gone\b/, 'HTTP 410'],
  [/\bSMTP (\d{3})\b/, (m) => `SMTP ${m[1]}`],
  [/\bmail server was not available\b/, 'mail server unavailable'],
  [/ECONNREFUSED/, 'connection refused'],
  [/ECONNRESET|socket hang up|closed before the body was complete/, 'connection reset'],
  [/^redirect-loop:|redirect/i, 'redirect error'],
  [/ENOENT/, 'file not found'],
  [/^unknown-format:/, 'unknown document format'],
  [/^(malformed|refused):/, 'malformed document'],
  [/^upstream-error:/, 'upstream reported an error'],
  [/stalled/i, 'job stalled'],
  [/^network:/, 'network error'],
];

/** The class of an error message: `HTTP 503`, `DNS lookup failed`, `timeout`, `body too large`… */
export function errorClass(message: string | null | undefined, status?: number | null): string | null {
  if (message === null || message === undefined || message === '') return status && status >= 400 ? `HTTP ${status}` : null;
  for (const [re, cls] of CLASSES) {
    const m = re.exec(message);
    if (m) return typeof cls === 'string' ? cls : cls(m);
  }
  if (status && status >= 400) return `HTTP ${status}`;
  return 'error';
}
