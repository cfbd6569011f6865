import { isIP } from 'node:net';
import { z } from 'zod';

/** What Express's `trust proxy` setting gets: false (trust no proxy), a hop count, or addresses/ranges. */
export type TrustProxySetting = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [addr, bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: which reverse proxies may tell the api a client's address (X-Forwarded-For). Default:
 * none, so the address is the TCP peer's and a client cannot choose its own rate-limit bucket.
 * Accepts `false`/`none`, a hop count (`1`), or a comma-separated list of `loopback`, `linklocal`,
 * `uniquelocal`, IP addresses and CIDR ranges (`10.0.0.0/8, 127.0.0.1`). `true` (trust everything) is
 * refused: behind it any client sets its own address.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((v, ctx): TrustProxySetting => {
    const lower = v.toLowerCase();
    if (lower === '' || lower === 'false' || lower === 'none' || lower === '0') return false;
    if (/^\d+$/.test(lower)) {
      const hops = Number(lower);
      if (hops > 32) ctx.addIssue({ code: 'custom', message: 'a hop count is 1–32' });
      return hops;
    }
    if (lower === 'true' || lower === '*') {
      ctx.addIssue({
        code: 'custom',
        message: 'trusting every proxy lets any client pick its address; give a hop count, CIDR ranges or "loopback"',
      });
      return false;
    }
    const entries = lower.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
    const bad = entries.filter((e) => !validEntry(e));
    if (bad.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `not an IP address, CIDR range, "loopback", "linklocal" or "uniquelocal": ${bad.slice(0, 3).join(', ')}`,
      });
    return entries;
  });
