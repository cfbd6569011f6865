import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@paperwire/service-kit';
import { SqlParams } from '../common/sql-builder';
import { CaptureOrderCache } from './capture-order';
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
  private readonly captures: CaptureOrderCache;

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {
    this.captures = new CaptureOrderCache(ds);
  }

  /** The latest day that has papers, or null on an empty catalogue. */
  async latestDay(): Promise<string | null> {
    const rows: { d: string | null }[] = await this.ds.query(
      `SELECT max(${SIGHTING_DAY})::text AS d FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id`,
    );
    return rows[0]?.d ?? null;
  }

  async neighbours(date: string): Promise<{ previousDate: string | null; nextDate: string | null }> {
    const rows: { prev: string | null; next: string | null }[] = await this.ds.query(
      `SELECT max(d) FILTER (WHERE d < $1::date)::text AS prev, min(d) FILTER (WHERE d > $1::date)::text AS next
         FROM (SELECT ${SIGHTING_DAY} AS d FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id) days`,
      [date],
    );
    return { previousDate: rows[0]?.prev ?? null, nextDate: rows[0]?.next ?? null };
  }

  /**
   * A day's papers ranked like the Daily Papers page: upvotes (max over the day's sightings) first,
   * then a text capture's own order, then recency of the sighting, then id (a total order, so paging
   * by offset is stable).
   */
  async day(
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
    const [{ previousDate, nextDate }, positions] = await Promise.all([
      this.neighbours(date),
      this.capturePositions(date),
    ]);
    const params = new SqlParams();
    const day = params.add(date, 'date');
    const query = filters.q
      ? `CROSS JOIN websearch_to_tsquery('english', ${params.add(filters.q)}) AS query`
      : '';
    const conds: string[] = [];
    if (filters.topic?.length)
      conds.push(
        `EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = p.id AND pt.topic_slug = ANY(${params.add(filters.topic, 'text[]')}))`,
      );
    if (filters.q) conds.push('EXISTS (SELECT 1 FROM paper_search s WHERE s.paper_id = p.id AND s.search @@ query)');
    const pos = params.add(JSON.stringify(positions), 'jsonb');
    const rows: (CardPaperRow & { day_upvotes: number | null; total: string })[] = await this.ds.query(
      `WITH day AS (
         SELECT ps.paper_id, max(ps.upvotes) AS day_upvotes, max(${SIGHTING_DAY_AT}) AS sighted_at
           FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id
          WHERE ${SIGHTING_DAY} = ${day}
          GROUP BY ps.paper_id
       )
       SELECT ${CARD_PAPER_COLUMNS}, d.day_upvotes, d.sighted_at, count(*) OVER () AS total
         FROM day d JOIN papers p ON p.id = d.paper_id ${query}
         LEFT JOIN jsonb_to_recordset(${pos}) AS pos(paper_key text, position int) ON pos.paper_key = p.paper_key
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY d.day_upvotes DESC NULLS LAST, pos.position ASC NULLS LAST, d.sighted_at DESC, p.published_at DESC NULLS LAST, p.id
        LIMIT ${params.add(limit, 'int')} OFFSET ${params.add(offset, 'int')}`,
      params.values,
    );
    const total = rows[0] ? Number(rows[0].total) : offset > 0 ? await this.countDay(date, filters) : 0;
    const cards = await loadCards(this.ds, rows);
    const items = cards.map((c, i) => ({
      ...c,
      upvotes: rows[i].day_upvotes ?? c.upvotes,
      rank: offset + i + 1,
    }));
    const nextOffset = offset + rows.length < total ? offset + rows.length : null;
    return { date, previousDate, nextDate, total, offset, nextOffset, items };
  }

  private async countDay(date: string, filters: DailyFilters): Promise<number> {
    const page = await this.day(date, filters, 1, 0);
    return page.total;
  }

  /** Positions of the day's text-capture papers (see capture-order.ts). */
  private async capturePositions(date: string): Promise<{ paper_key: string; position: number }[]> {
    const docs: { id: string }[] = await this.ds.query(
      `SELECT d.id FROM raw_documents d
        WHERE d.format = 'daily-papers-text'
          AND EXISTS (SELECT 1 FROM paper_sources ps JOIN papers p ON p.id = ps.paper_id
                       WHERE ps.raw_document_id = d.id AND ${SIGHTING_DAY} = $1::date)
        ORDER BY d.fetched_at, d.id`,
      [date],
    );
    return docs.length === 0 ? [] : this.captures.positions(docs.map((d) => d.id));
  }
}
