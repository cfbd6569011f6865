import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HttpError, SsrfError } from './http-error';
import { isPublicAddress } from './ip-address';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests can simulate DNS rebinding. */
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardOptions {
  /** Reach private/loopback/link-local addresses too. Only for tests and local replay sources. */
  allowPrivate?: boolean;
  /**
   * Narrower than allowPrivate: URL hosts (`hostname[:port]`, as in `new URL(u).host`) that may resolve
   * to private addresses, e.g. one local replay endpoint. Every other host, including redirect
   * targets, is still checked.
   */
  allowPrivateHosts?: readonly string[];
  lookup?: LookupFn;
  /** How long a name may take to resolve (default DNS_LOOKUP_TIMEOUT_MS); past it the lookup is a network error. */
  lookupTimeoutMs?: number;
}

/**
 * The longest a host name may take to resolve. getaddrinfo has no deadline of its own (the resolver's retries can
 * take tens of seconds), and a request that checks a webhook or source URL must not live as long as a slow DNS server.
 */
export const DNS_LOOKUP_TIMEOUT_MS = 5000;

/** A URL that passed the guard, with the exact address the connection must be pinned to. */
export interface CheckedTarget {
  url: URL;
  /** host name without IPv6 brackets, as sent in Host and TLS SNI */
  hostname: string;
  address: string;
  family: 4 | 6;
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

export const systemLookup: LookupFn = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** The lookup's answer, or a rejection once `ms` have passed (the lookup itself is left to finish or fail). */
function withDeadline<T>(lookup: Promise<T>, ms: number, hostname: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer for ${hostname} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
}

export function parseHttpUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = raw instanceof URL ? new URL(raw.href) : new URL(raw);
  } catch {
    throw new SsrfError(`not a valid URL: ${String(raw).slice(0, 200)}`);
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol))
    throw new SsrfError(`scheme ${url.protocol} is not allowed (only http and https)`);
  if (!url.hostname) throw new SsrfError(`URL has no host: ${url.href}`);
  return url;
}

const bareHost = (hostname: string): string =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

/**
 * Checks scheme and every resolved address of the URL's host and returns the address to connect to.
 * The URL parser has already turned decimal, octal, hex and short IPv4 forms (2130706433, 0177.0.0.1,
 * 0x7f.1, 127.1) into dotted quads, so the check always sees the normalised host.
 */
export async function checkUrl(raw: string | URL, opts: GuardOptions = {}): Promise<CheckedTarget> {
  const url = parseHttpUrl(raw);
  const hostname = bareHost(url.hostname);
  const family = isIP(hostname);
  let answers: ResolvedAddress[];
  if (family === 4 || family === 6) {
    answers = [{ address: hostname, family }];
  } else {
    try {
      answers = await withDeadline((opts.lookup ?? systemLookup)(hostname), opts.lookupTimeoutMs ?? DNS_LOOKUP_TIMEOUT_MS, hostname);
    } catch (err) {
      // Not an SSRF refusal: the name may resolve later, so it is a (retryable) network error.
      throw new HttpError(
        'network',
        `DNS lookup failed for ${hostname}: ${(err as Error).message}`,
        undefined,
        { cause: err },
      );
    }
    if (answers.length === 0)
      throw new HttpError('network', `DNS lookup for ${hostname} returned no address`);
  }
  if (!opts.allowPrivate && !opts.allowPrivateHosts?.some((h) => h.toLowerCase() === url.host)) {
    // One private answer poisons the name: a client picking "the other" address is not something to rely on.
    const bad = answers.find((a) => !isPublicAddress(a.address));
    if (bad)
      throw new SsrfError(`${url.protocol}//${url.host} resolves to non-public address ${bad.address}`, true);
  }
  // Prefer IPv4: hosts without IPv6 connectivity are common, the reverse is rare.
  const chosen = answers.find((a) => a.family === 4) ?? answers[0];
  return { url, hostname, address: chosen.address, family: chosen.family };
}

/** Throws SsrfError unless the URL is http(s) and its host resolves only to public addresses. */
export async function assertPublicUrl(url: string, opts: GuardOptions = {}): Promise<void> {
  await checkUrl(url, opts);
}

// Special-use domain names (RFC 6761, RFC 7686, RFC 8375, ICANN's .internal): names under them never resolve in
// the public DNS. `invalid`, `example` and `onion` resolve nowhere a fetcher can use; the rest name hosts on a
// private network only, which is what an operator's private-address grant (`--allow-private`) is for.
const NEVER_PUBLIC_TLDS = ['invalid', 'example', 'onion'];
const PRIVATE_USE_TLDS = ['localhost', 'local', 'test', 'internal', 'home.arpa'];

/**
 * Why a host name can never be a public address, or null: `unresolvable` for names under .invalid, .example and
 * .onion, `private` for localhost and names under .localhost, .local, .test, .internal and .home.arpa.
 * Decided from the name alone (no lookup).
 */
export function reservedHostName(hostname: string): 'unresolvable' | 'private' | null {
  const name = bareHost(hostname).toLowerCase().replace(/\.$/, '');
  const under = (tld: string) => name === tld || name.endsWith(`.${tld}`);
  if (NEVER_PUBLIC_TLDS.some(under)) return 'unresolvable';
  if (PRIVATE_USE_TLDS.some(under)) return 'private';
  return null;
}
