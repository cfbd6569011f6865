import { Injectable } from '@nestjs/common';
import { dailyCardRows, latestListedDay, listedDayNeighbours, type DayOrderKey } from '@paperwire/db';
import { CachedReader } from '../common/cached-reader';
import { encodeCursor } from '../common/cursor';
import { dayKeyCells } from '../common/day-cursor';
import { DAILY_CURSOR, dailyCursorName, type DailySort } from './daily-query';
import { loadCards, type PaperCardDto } from './paper-card';

export interface DailyFilters {
  topic?: string[];
  q?: string;
}

export interface DailyPage {
  date: string | null;
  previousDate: string | null;
  nextDate: string | null;
  total: number;
  offset: number;
  nextOffset: number | null;
  /** the next page's `after` (dailyCursorName: the day, then where this page ends in its order), null on the last */
  nextAfter: string | null;
  items: (PaperCardDto & { rank: number })[];
}

/** The sort name of /v1/daily's cursors in rank order: cells [day, ...dayKeyCells] (the other orders: dailyCursorName). */
export { DAILY_CURSOR };

/** Where a page of /v1/daily starts: after `offset` rows, or (`after`) after that row of the day, `offset` rows in. */
export interface DailyStart {
  offset: number;
  after?: DayOrderKey;
}

@Injectable()
export class DailyService extends CachedReader {
  /** The latest day that has papers, or null on an empty catalogue (one index lookup). */
  latestDay(topics?: string[]): Promise<string | null> {
    return latestListedDay(this.ds, topics);
  }

  /** The nearest earlier and later days with papers (of one of `topics`, when given). */
  async neighbours(date: string, topics?: string[]): Promise<{ previousDate: string | null; nextDate: string | null }> {
    const n = await listedDayNeighbours(this.ds, date, topics);
    return { previousDate: n.previous, nextDate: n.next };
  }

  /**
   * A day's papers ranked like the Daily Papers page, from the read model (`paper_days`, kept by the
   * parser): upvotes (max over the day's sightings) first, then a text capture's own order, then
   * recency of the sighting, then id (a total order, so paging by offset is stable). The cost is that
   * of the day, never of the catalogue; a page by keyset (`start.after`, from a `nextAfter`) costs what the page costs,
   * however deep in the day, where an offset walks the rows before it.
   */
  day(dateOrNull: string | undefined, filters: DailyFilters, limit: number, start: DailyStart, sort: DailySort = 'rank'): Promise<DailyPage> {
    // The home page and /v1/daily share a few seconds' worth of each day page (single-flight).
    // (-Infinity, a key of the trend order, is no JSON: as text)
    const after = start.after?.map((x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? null;
    return this.cache.get(JSON.stringify(['day', dateOrNull ?? null, sort, filters.topic ?? null, filters.q ?? null, limit, start.offset, after]), () =>
      this.loadDay(dateOrNull, filters, limit, start, sort),
    );
  }

  private async loadDay(
    dateOrNull: string | undefined,
    filters: DailyFilters,
    limit: number,
    { offset, after }: DailyStart,
    sort: DailySort,
  ): Promise<DailyPage> {
    const date = dateOrNull ?? (await this.latestDay(filters.topic));
    if (!date)
      return {
        date: null,
        previousDate: null,
        nextDate: null,
        total: 0,
        offset,
        nextOffset: null,
        nextAfter: null,
        items: [],
      };
    const [neighbours, { rows, total }] = await Promise.all([
      this.neighbours(date, filters.topic),
      dailyCardRows(this.ds, { day: date, sort, topic: filters.topic, q: filters.q, limit, offset: after ? 0 : offset, after }),
    ]);
    const cards = await loadCards(this.ds, rows);
    const items = cards.map((c, i) => ({
      ...c,
      upvotes: rows[i].day_upvotes ?? c.upvotes,
      rank: offset + i + 1,
    }));
    const next = offset + rows.length;
    const last = rows[rows.length - 1];
    const more = rows.length === limit && next < total;
    return {
      date,
      ...neighbours,
      total,
      offset,
      nextOffset: next < total ? next : null,
      nextAfter: more && last ? encodeCursor({ s: dailyCursorName(sort), k: [date, ...dayKeyCells(sort, next, last.key)] }) : null,
      items,
    };
  }
}
