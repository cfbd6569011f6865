import { isUuid, type DayRankKey } from '@paperwire/db';
import { validTimestamp } from './cursor';
import { badRequest } from './problem';

// The cursor of a day's next page in rank order (the home page's "More papers", /v1/papers?date=, /v1/daily's
// `after`): where the page ends in the day's rank order (read-model.ts afterRank), so the next page is read from
// there by keyset, not by an OFFSET that walks every row before it.

const INT4_MAX = 2 ** 31 - 1;

/**
 * A cursor's cells for the page that ends after `before` rows with the row at `key`: `before` (the next page's first
 * rank − 1), then the key ('null' for a missing upvote count or capture position).
 */
export function dayRankCells(before: number, key: DayRankKey): (string | number)[] {
  return [before, key[0] ?? 'null', key[1] ?? 'null', key[2], key[3]];
}

/** dayRankCells' inverse, each cell checked: a bad one is a 400 on `field`, never a 500 in SQL. */
export function dayRankOfCells(cells: readonly (string | number)[], field: string): { before: number; after: DayRankKey } {
  const bad = () => badRequest(`${field} is not valid`, [{ field, detail: 'not a cursor returned by this API' }]);
  const intOrNull = (x: string | number | undefined, max: number): number | null => {
    if (x === 'null') return null;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || Math.abs(x) > max) throw bad();
    return x;
  };
  if (cells.length !== 5) throw bad();
  const [before, upvotes, capture, at, id] = cells;
  const b = intOrNull(before, INT4_MAX);
  if (b === null || b < 0) throw bad();
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) || !validTimestamp(at)) throw bad();
  if (typeof id !== 'string' || !isUuid(id)) throw bad();
  return { before: b, after: [intOrNull(upvotes, INT4_MAX), intOrNull(capture, Number.MAX_SAFE_INTEGER), at, id] };
}

/** How many key cells a cursor holds (-1 when it is not one): a day's old cursors hold an offset, its new ones 5 cells. */
export function cursorCells(raw: string): number {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { k?: unknown };
    return Array.isArray(c?.k) ? c.k.length : -1;
  } catch {
    return -1;
  }
}
