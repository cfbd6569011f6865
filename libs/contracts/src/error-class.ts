// What a view that must not echo internals shows of an error: its class, never its text. The text of an error
// can quote anything an upstream, a receiver or an internal service said (a body, a token in a URL, a path or an
// address on the host); its class cannot. Used by the public stats views and the owner's delivery log.

// Ordered: the first pattern that matches names the class. The messages come from libs/http
// (`<code>: …`), the fetcher, the parser (`<FeedError code>: …`), the notifier and BullMQ.
const CLASSES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  // a source whose latest document failed (libs/db documentFailure): the document's class, not the fetch's
  [/^the latest document \([^)]*\) could not be parsed: (unknown-format|malformed|refused|too-large|upstream-error)?/, (m) => `document not parsed${m[1] ? ` (${m[1]})` : ''}`],
  // a file source's file (the fetcher's fileReadProblem): first, as its path may hold any word
  [/^file not found:/, 'file not found'],
  [/^file not readable\b|^not a file\b|^file could not be read\b/, 'file not readable'],
  [/^file too large\b/, 'body too large'],
  [/^ssrf:|non-public address|private address/i, 'address refused'],
  [/DNS lookup|ENOTFOUND|EAI_AGAIN/, 'DNS lookup failed'],
  [/^timeout:|timed? ?out|did not complete within|ETIMEDOUT/i, 'timeout'],
  [/^too-large:|byte cap|too large/i, 'body too large'],
  // never sent (skipped): the subscription's state, not an answer (its reason may name the 410 that disabled it)
  [/^subscription disabled/, 'subscription disabled'],
  // a webhook's redirect (libs/notifications webhookStatusError): the owner's log says why it failed
  [/\bHTTP (3\d\d): redirects are not followed/, (m) => `HTTP ${m[1]} (redirects are not followed)`],
  [/\bHTTP (\d{3})\b/, (m) => `HTTP ${m[1]}`],
  [/\banswered 410 Gone\b/, 'HTTP 410'],
  [/\bSMTP (\d{3})\b/, (m) => `SMTP ${m[1]}`],
  [/\bmail server was not available\b/, 'mail server unavailable'],
  // TLS (node's certificate and handshake errors, `<code>: <message>` from libs/http): which part failed, never the
  // names or addresses the message quotes
  [/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/, 'TLS certificate not valid for the host'],
  [/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|certificate has expired|certificate is not yet valid/i, 'TLS certificate expired or not yet valid'],
  [
    /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_REVOKED|CERT_SIGNATURE_FAILURE|CERT_REJECTED|self[- ]signed certificate|unable to verify the first certificate/i,
    'TLS certificate not trusted',
  ],
  [/ERR_SSL_|ERR_TLS_|EPROTO|SSL routines|wrong version number|before secure TLS connection/, 'TLS error'],
  [/ECONNREFUSED/, 'connection refused'],
  [/EHOSTUNREACH|EHOSTDOWN/, 'host unreachable'],
  [/ENETUNREACH|ENETDOWN/, 'network unreachable'],
  [/ECONNRESET|ECONNABORTED|EPIPE|socket hang up|closed before the body was complete/, 'connection reset'],
  // an answer that is not HTTP (node's parser: HPE_*, "Parse Error")
  [/\bHPE_[A-Z_]+|Parse Error/, 'invalid HTTP response'],
  [/^redirect-loop:|redirect/i, 'redirect error'],
  [/ENOENT/, 'file not found'],
  [/^unknown-format:/, 'unknown document format'],
  [/^(malformed|refused):/, 'malformed document'],
  [/^upstream-error:/, 'upstream reported an error'],
  [/stalled/i, 'job stalled'],
  [/its paper is gone|it has no paper/, 'paper removed'],
  [/^network:/, 'network error'],
];

/** The class of an error message: `HTTP 503`, `DNS lookup failed`, `timeout`, `body too large`… */
export function errorClass(message: string | null | undefined, status?: number | null): string | null {
  if (message === null || message === undefined || message === '')
    return status && status >= 400 ? `HTTP ${status}` : null;
  for (const [re, cls] of CLASSES) {
    const m = re.exec(message);
    if (m) return typeof cls === 'string' ? cls : cls(m);
  }
  if (status && status >= 400) return `HTTP ${status}`;
  return 'error';
}
