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

// The class of an error (`HTTP 503`, `timeout`, `address refused`…) lives in libs/contracts: the owner's delivery
// log (libs/actions) shows the same classes.
export { errorClass } from '@paperwire/contracts';
