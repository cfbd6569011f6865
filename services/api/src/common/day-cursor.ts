import { isUuid, type DayKeyedSort, type DayOrderKey, type DayRankKey } from '@paperwire/db';
import { validTimestamp } from './cursor';
import { badRequest } from './problem';

// The cursor of a day's next page (the home page's "More papers", /v1/daily's `after`): where the page ends in the
// day's order (rank, publication or trend: read-model.ts afterDayKey), so the next page is read from there by keyset,
// not by an OFFSET that walks every row before it.

const INT4_MAX = 2 ** 31 - 1;

/**
 * A cursor's cells for the page that ends after `before` rows with the row at `key`: `before` (the next page's first
 * rank − 1), then the key ('null' for a missing upvote count or capture position).
 */
export function dayRankCells(before: number, key: DayRankKey): (string | number)[] {
  return [before, key[0] ?? 'null', key[1] ?? 'null', key[2], key[3]];
}

const badCells = (field: string) => badRequest(`${field} is not valid`, [{ field, detail: 'not a cursor returned by this API' }]);

/** dayRankCells' inverse, each cell checked: a bad one is a 400 on `field`, never a 500 in SQL. */
export function dayRankOfCells(cells: readonly (string | number)[], field: string): { before: number; after: DayRankKey } {
  const bad = () => badCells(field);
  const intOrNull = (x: string | number | undefined, max: number): number | null => {
    if (x === 'null') return null;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || Math.abs(x) > max) throw bad();
    return x;
  };
  if (cells.length !== 5) throw bad();
  const [before, upvotes, capture, at, id] = cells;
  const b = intOrNull(before, INT4_MAX);
  if (b === null || b < 0) throw bad();
  return { before: b, after: [intOrNull(upvotes, INT4_MAX), intOrNull(capture, Number.MAX_SAFE_INTEGER), ...timeAndId(at, id, field)] };
}

/** A key's sighting time (UTC, to the microsecond, as utcMicros writes it) and paper id, checked. */
function timeAndId(at: string | number | undefined, id: string | number | undefined, field: string): [string, string] {
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) || !validTimestamp(at)) throw badCells(field);
  if (typeof id !== 'string' || !isUuid(id)) throw badCells(field);
  return [at, id];
}

/** How many cells a day cursor of each keyed order holds (dayKeyCells). */
export const DAY_KEY_CELLS: Record<DayKeyedSort, number> = { rank: 5, published: 3, trending: 4 };

/**
 * A cursor's cells for the page of a day in `sort`'s order that ends after `before` rows with the row at `key`:
 * `before`, then the key (rank: dayRankCells; publication: time, id; trend: the trend key, '-Infinity' without a
 * signal, time, id).
 */
export function dayKeyCells(sort: DayKeyedSort, before: number, key: DayOrderKey): (string | number)[] {
  if (sort === 'rank') return dayRankCells(before, key as DayRankKey);
  if (sort === 'published') return [before, ...(key as [string, string])];
  const [tk, at, id] = key as [number, string, string];
  return [before, Number.isFinite(tk) ? tk : '-Infinity', at, id];
}

/** dayKeyCells' inverse, each cell checked: a bad one is a 400 on `field`. */
export function dayKeyOfCells(sort: DayKeyedSort, cells: readonly (string | number)[], field: string): { before: number; after: DayOrderKey } {
  if (sort === 'rank') return dayRankOfCells(cells, field);
  if (cells.length !== DAY_KEY_CELLS[sort]) throw badCells(field);
  const before = cells[0];
  if (typeof before !== 'number' || !Number.isSafeInteger(before) || before < 0 || before > INT4_MAX) throw badCells(field);
  if (sort === 'published') return { before, after: timeAndId(cells[1], cells[2], field) };
  const tk = cells[1];
  // a finite float8, or '-Infinity' (no signal)
  if (!(tk === '-Infinity' || (typeof tk === 'number' && Number.isFinite(tk)))) throw badCells(field);
  return { before, after: [tk === '-Infinity' ? -Infinity : tk, ...timeAndId(cells[2], cells[3], field)] };
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
