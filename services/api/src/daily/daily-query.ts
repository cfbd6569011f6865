import { z } from 'zod';
import { integerText, queryEnum } from '@paperwire/actions';
import { decodeCursor } from '../common/cursor';
import { DAY_KEY_CELLS } from '../common/day-cursor';
import { DATE_RANGE_MESSAGE, inDateRange } from '../common/dates';
import { topicListParam } from '../papers/paper-query';

/** A calendar day, validated as a real date (2026-02-30 is refused). */
export const dayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date YYYY-MM-DD')
  .refine((s) => inDateRange(s), DATE_RANGE_MESSAGE);

const intParam = (min: number, max: number, def: number) =>
  integerText(min, max)
    .optional()
    .transform((v) => v ?? def);

export { topicListParam };
/** The longest full-text query the api takes. */
export const SEARCH_MAX = 500;
export const searchParam = z.string().trim().min(1).max(SEARCH_MAX).optional();

/** The orders /v1/daily lists a day in: the Daily Papers rank (default), by publication on the day, by trend. */
export const DAILY_SORTS = ['rank', 'published', 'trending'] as const;
export type DailySort = (typeof DAILY_SORTS)[number];

/** The `s` of /v1/daily's cursors in the rank order (daily.service.ts writes them); the others' is `daily:<sort>`. */
export const DAILY_CURSOR = 'daily';
export const dailyCursorName = (sort: DailySort): string => (sort === 'rank' ? DAILY_CURSOR : `${DAILY_CURSOR}:${sort}`);

/** The order a /v1/daily cursor was made for (its cells: the day, then dayKeyCells), or null when it is none. */
export function dailyCursorSort(s: string): DailySort | null {
  for (const sort of DAILY_SORTS) {
    try {
      decodeCursor(s, dailyCursorName(sort), 1 + DAY_KEY_CELLS[sort], 'after');
      return sort;
    } catch {
      // not this order's
    }
  }
  return null;
}

export const dailyQuerySchema = z.object({
  date: dayParam.optional(),
  sort: queryEnum(DAILY_SORTS)
    .optional()
    .transform((v) => v ?? 'rank'),
  topic: topicListParam,
  q: searchParam,
  limit: intParam(1, 500, 100),
  offset: intParam(0, 100_000, 0),
  /** the opaque cursor of a `nextAfter` (day-cursor.ts): the next page by keyset; one that is not is refused with the rest */
  after: z
    .string()
    .min(1)
    .max(500)
    .refine((s) => dailyCursorSort(s) !== null, 'must be a nextAfter returned by this API')
    .optional(),
});

/**
 * /v1/daily with `week` or `month`: the page's week and month listing (ListingsService.rangeListing). `after` is that
 * listing's own cursor (the week or month is repeated beside it); `q` and `offset` are a day's only.
 */
export const dailyRangeQuerySchema = z.object({
  date: z.string().max(20).optional(),
  week: z.string().max(20).optional(),
  month: z.string().max(20).optional(),
  sort: queryEnum(DAILY_SORTS)
    .optional()
    .transform((v) => v ?? 'rank'),
  topic: topicListParam,
  q: z.unknown().optional(),
  limit: intParam(1, 500, 100),
  offset: z.unknown().optional(),
  after: z.string().min(1).max(500).optional(),
});

export const TRENDING_WINDOWS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type TrendingWindow = keyof typeof TRENDING_WINDOWS;

export const trendingQuerySchema = z.object({
  window: z
    .enum(Object.keys(TRENDING_WINDOWS) as [TrendingWindow, ...TrendingWindow[]])
    .optional()
    .transform((v) => v ?? '7d'),
  topic: topicListParam,
  limit: intParam(1, 100, 30),
});
