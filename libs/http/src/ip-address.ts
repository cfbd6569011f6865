import { isIPv4, isIPv6 } from 'node:net';

// Address classification for the SSRF guard. The rule is an allow-list: an address is public only
// when it is globally routable unicast. Everything the IANA special-purpose registries mark as not
// globally reachable (and a few deprecated transition ranges) is refused, and IPv6 forms that embed
// an IPv4 address (mapped, NAT64, 6to4) are judged by the embedded address.

interface Cidr4 {
  base: number;
  bits: number;
}

const cidr4 = (text: string): Cidr4 => {
  const [addr, bits] = text.split('/');
  return { base: parseIPv4(addr) as number, bits: Number(bits) };
};

const BLOCKED_V4: readonly Cidr4[] = [
  '0.0.0.0/8', // "this network", incl. the unspecified address
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, incl. cloud metadata 169.254.169.254
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // TEST-NET-1 (documentation)
  '192.88.99.0/24', // deprecated 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // TEST-NET-2
  '203.0.113.0/24', // TEST-NET-3
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, incl. broadcast 255.255.255.255
].map(cidr4);

/** Strict dotted-quad parse (the URL parser has already normalised decimal/octal/hex forms). */
export function parseIPv4(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inCidr4(addr: number, { base, bits }: Cidr4): boolean {
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(base / size);
}

export function isPublicIPv4(ip: string): boolean {
  const addr = parseIPv4(ip);
  if (addr === undefined) return false;
  return !BLOCKED_V4.some((c) => inCidr4(addr, c));
}

/** Parses an IPv6 literal (optionally with an embedded dotted IPv4 tail) into eight 16-bit groups. */
export function parseIPv6(ip: string): number[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Rewrite a dotted IPv4 tail (::ffff:127.0.0.1) as two hex groups.
    const v4 = parseIPv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parseGroups = (s: string): number[] =>
    s === ''
      ? []
      : s
          .split(':')
          .filter((g) => g !== '')
          .map((g) => parseInt(g, 16));
  const left = parseGroups(head);
  const right = rest === undefined ? [] : parseGroups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array<number>(Math.max(fill, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

const v4FromGroups = (hi: number, lo: number): string => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');

/** True when the first `bits` bits of `groups` equal those of `prefix`. */
function hasPrefix(groups: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const take = Math.min(bits, 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((groups[i] & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

// Ranges inside global unicast 2000::/3 that are still not safe to reach.
const BLOCKED_V6_IN_GLOBAL: readonly { prefix: number[]; bits: number }[] = [
  { prefix: [0x2001, 0x0000], bits: 23 }, // IETF protocol assignments, incl. Teredo 2001::/32 and ORCHID
  { prefix: [0x2001, 0x0db8], bits: 32 }, // documentation
  { prefix: [0x3fff, 0x0000], bits: 20 }, // documentation (RFC 9637)
];

export function isPublicIPv6(ip: string): boolean {
  // A zone id only makes sense for scoped (link-local) addresses, which are refused anyway.
  if (ip.includes('%')) return false;
  const g = parseIPv6(ip);
  if (!g) return false;
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (well-known NAT64) reach the embedded address.
  if (hasPrefix(g, [0, 0, 0, 0, 0, 0xffff], 96)) return isPublicIPv4(v4FromGroups(g[6], g[7]));
  if (hasPrefix(g, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return isPublicIPv4(v4FromGroups(g[6], g[7]));
  // 6to4 embeds the IPv4 address of the relay/site in bits 16..48.
  if (hasPrefix(g, [0x2002], 16)) return isPublicIPv4(v4FromGroups(g[1], g[2]));
  // Outside 2000::/3 nothing is global unicast: ::, ::1, IPv4-compatible ::/96, 64:ff9b:1::/48,
  // 100::/64 discard, fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast.
  if (!hasPrefix(g, [0x2000], 3)) return false;
  return !BLOCKED_V6_IN_GLOBAL.some(({ prefix, bits }) => hasPrefix(g, prefix, bits));
}

/**
 * True only for globally routable unicast addresses. Accepts an IPv4 or IPv6 literal (IPv6 may be
 * bracketed, as in URL hosts); anything that is not an IP literal is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(bare)) return isPublicIPv4(bare);
  if (isIPv6(bare.split('%')[0])) return isPublicIPv6(bare);
  return false;
}
