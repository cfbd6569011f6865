import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { MicroCache } from '../common/overload';
import { READ_DATA_SOURCE } from '../common/read-db';
import { SqlParams } from '../common/sql-builder';
import { CARD_PAPER_COLUMNS, loadCards, type CardPaperRow, type PaperCardDto } from './paper-card';

/**
 * When a sighting (alias ps, paper alias p) put the paper on a day: HF's submittedOnDailyAt or the
 * RSS announcement (both stored as featured_at), else the arXiv API/OAI publication date, else the
 * moment PaperWire first saw it (uploads and text captures, which carry no date).
 */
export const SIGHTING_DAY_AT = `CASE WHEN ps.featured_at IS NOT NULL THEN ps.featured_at
  WHEN ps.source_kind IN ('arxiv-api', 'arxiv-oai') THEN coalesce(p.published_at, ps.first_seen_at)
  ELSE ps.first_seen_at END`;
/** Days are calendar days in UTC. */
export const SIGHTING_DAY = `((${SIGHTING_DAY_AT}) AT TIME ZONE 'UTC')::date`;

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
  items: (PaperCardDto & { rank: number })[];
}

@Injectable()
export class DailyService {
  private readonly cache: MicroCache;

  constructor(
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) config: ApiConfig,
  ) {
    this.cache = new MicroCache(config.API_CACHE_MS);
  }

  /** The latest day that has papers, or null on an empty catalogue (one index lookup). */
  async latestDay(): Promise<string | null> {
    const rows: { d: string | null }[] = await this.ds.query(`SELECT max(day)::text AS d FROM paper_days`);
    return rows[0]?.d ?? null;
  }

  async neighbours(date: string): Promise<{ previousDate: string | null; nextDate: string | null }> {
    const rows: { prev: string | null; next: string | null }[] = await this.ds.query(
      `SELECT (SELECT max(day) FROM paper_days WHERE day < $1::date)::text AS prev, (SELECT min(day) FROM paper_days WHERE day > $1::date)::text AS next`,
      [date],
    );
    return { previousDate: rows[0]?.prev ?? null, nextDate: rows[0]?.next ?? null };
  }

  /**
   * A day's papers ranked like the Daily Papers page, from the read model (`paper_days`, kept by the
   * parser): upvotes (max over the day's sightings) first, then a text capture's own order, then
   * recency of the sighting, then id (a total order, so paging by offset is stable). The cost is that
   * of the day, never of the catalogue.
   */
  day(dateOrNull: string | undefined, filters: DailyFilters, limit: number, offset: number): Promise<DailyPage> {
    // The home page and /v1/daily share a few seconds' worth of each day page (single-flight).
    return this.cache.get(JSON.stringify(['day', dateOrNull ?? null, filters.topic ?? null, filters.q ?? null, limit, offset]), () =>
      this.loadDay(dateOrNull, filters, limit, offset),
    );
  }

  private async loadDay(
    dateOrNull: string | undefined,
    filters: DailyFilters,
    limit: number,
    offset: number,
  ): Promise<DailyPage> {
    const date = dateOrNull ?? (await this.latestDay());
    if (!date)
      return {
        date: null,
        previousDate: null,
        nextDate: null,
        total: 0,
        offset,
        nextOffset: null,
        items: [],
      };
    const params = new SqlParams();
    const day = params.add(date, 'date');
    const conds: string[] = [`d.day = ${day}`];
    if (filters.topic?.length)
      conds.push(
        `EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug = ANY(${params.add(filters.topic, 'text[]')}))`,
      );
    if (filters.q)
      conds.push(
        `EXISTS (SELECT 1 FROM paper_search s WHERE s.paper_id = d.paper_id AND s.search @@ websearch_to_tsquery('english', ${params.add(filters.q)}))`,
      );
    const where = conds.join(' AND ');
    const countParams = params.values.slice();
    const [neighbours, rows, count] = await Promise.all([
      this.neighbours(date),
      this.ds.query(
        `SELECT ${CARD_PAPER_COLUMNS}, d.upvotes AS day_upvotes, d.sighted_at
           FROM paper_days d JOIN papers p ON p.id = d.paper_id
          WHERE ${where}
          ORDER BY d.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id
          LIMIT ${params.add(limit, 'int')} OFFSET ${params.add(offset, 'int')}`,
        params.values,
      ) as Promise<(CardPaperRow & { day_upvotes: number | null })[]>,
      this.ds.query(`SELECT count(*)::int AS n FROM paper_days d WHERE ${where}`, countParams) as Promise<{ n: number }[]>,
    ]);
    const total = count[0]?.n ?? 0;
    const cards = await loadCards(this.ds, rows);
    const items = cards.map((c, i) => ({
      ...c,
      upvotes: rows[i].day_upvotes ?? c.upvotes,
      rank: offset + i + 1,
    }));
    const nextOffset = offset + rows.length < total ? offset + rows.length : null;
    return { date, ...neighbours, total, offset, nextOffset, items };
  }
}
