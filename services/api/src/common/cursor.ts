import { badRequest } from './problem';

/**
 * Opaque keyset cursor: the sort it belongs to and the sort key of the last row returned; `n`, when the cursor holds
 * it, the number of items listed before its page (a page shown to a reader is numbered on from the previous one).
 */
export interface Cursor {
  s: string;
  k: (string | number)[];
  n?: number;
  /** the filters the page was read under, fingerprinted (a cursor read under others is a 400), when the cursor holds it */
  f?: string;
}

/** The most items a cursor's count may say were listed before its page. */
const MAX_COUNT_BEFORE = 2 ** 31 - 1;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

/** What a cursor position holds; checked before it reaches SQL, where a bad value would be a 500. */
export type CursorKey = 'timestamp' | 'uuid' | 'number';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Postgres timestamptz::text ('2024-01-01 10:00:00.123+00') or ISO 8601.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?$/;
/** The largest UTC offset Postgres reads in a timestamptz (+16 is "time zone displacement out of range", a 500). */
const MAX_OFFSET_HOURS = 15;

/**
 * A timestamp Postgres reads as timestamptz as written: a real calendar time (no 2026-02-30, no 24:00, no year 0)
 * and a UTC offset within ±15:59. Shared by every cursor that carries a time.
 */
export function validTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const [offH = 0, offM = 0] = m.slice(8, 10).map((x) => (x === undefined ? 0 : Number(x)));
  const day = new Date(Date.UTC(y, mo - 1, d));
  return (
    offH <= MAX_OFFSET_HOURS &&
    offM < 60 &&
    y >= 1 &&
    mo >= 1 &&
    mo <= 12 &&
    day.getUTCDate() === d &&
    day.getUTCMonth() === mo - 1 &&
    h < 24 &&
    mi < 60 &&
    sec < 60
  );
}

function validKey(x: unknown, kind: CursorKey): boolean {
  switch (kind) {
    case 'timestamp':
      return typeof x === 'string' && validTimestamp(x);
    case 'uuid':
      return typeof x === 'string' && UUID.test(x);
    case 'number':
      // Within float4 range: relevance keys are compared as real.
      return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < 1e38;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/**
 * Decodes a cursor made for `sort`. `shape` lists what each position must hold (preferred), or just
 * how many positions there are (strings or finite numbers, unchecked). `field`: the query parameter that carried it.
 */
export function decodeCursor(raw: string, sort: string, shape: number | readonly CursorKey[], field = 'cursor'): Cursor {
  const arity = typeof shape === 'number' ? shape : shape.length;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`${field} is not valid`, [
      { field, detail: 'not a cursor returned by this API' },
    ]);
  }
  const c = parsed as Partial<Cursor>;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    typeof c.s === 'string' &&
    Array.isArray(c.k) &&
    c.k.length === arity &&
    c.k.every((x, i) =>
      typeof shape === 'number'
        ? typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))
        : validKey(x, shape[i]),
    ) &&
    (c.n === undefined || (Number.isSafeInteger(c.n) && c.n >= 0 && c.n <= MAX_COUNT_BEFORE)) &&
    (c.f === undefined || (typeof c.f === 'string' && c.f.length <= 32));
  if (!ok)
    throw badRequest(`${field} is not valid`, [
      { field, detail: 'not a cursor returned by this API' },
    ]);
  if (c.s !== sort)
    throw badRequest(`${field} belongs to another sort order`, [
      { field, detail: `${field} was made for sort=${c.s}` },
    ]);
  return c as Cursor;
}
