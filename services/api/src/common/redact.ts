// What a public view (unauthenticated /v1/stats/pipeline, /ops) may show of a source or a failed job:
// URLs without user-info or query values, and the class of an error instead of its text. The text of
// an error can quote anything an upstream or an internal service said (a body, a token in a URL, a
// path on the host); its class cannot. Full detail needs an admin key.

/** `https://feed.example/rss?api_token=redacted`: no user-info, no fragment, every query value replaced. */
export function redactSourceUrl(kind: string, url: string | null): string | null {
  if (url === null) return null;
  if (kind === 'file') return '(file on the fetcher host)';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(invalid url)';
  }
  const names = [...u.searchParams.keys()];
  const query = names.length > 0 ? `?${names.map((n) => `${encodeURIComponent(n)}=redacted`).join('&')}` : '';
  return `${u.protocol}//${u.host}${u.pathname}${query}`;
}

/**
 * What a public view shows of a subscription's target: a webhook's origin (its path and query often
 * carry the receiver's own secret, user-info never shows), an email address's domain.
 */
export function redactEndpointTarget(channel: string, target: string): string {
  if (channel === 'email') return `…@${target.slice(target.lastIndexOf('@') + 1)}`;
  try {
    return new URL(target).origin;
  } catch {
    return '(invalid url)';
  }
}

// The class of an error (`HTTP 503`, `timeout`, `address refused`…) lives in libs/contracts: the owner's delivery
// log (libs/actions) shows the same classes.
export { errorClass } from '@paperwire/contracts';
