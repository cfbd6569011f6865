import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SIGHTING_AT_SQL } from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';
import { TRENDING_WINDOWS, type TrendingWindow } from '../daily/daily-query';
import { CARD_PAPER_COLUMNS, loadCards, type CardPaperRow, type PaperCardDto } from '../daily/paper-card';

export interface TrendingPage {
  window: TrendingWindow;
  items: (PaperCardDto & { rank: number })[];
}

/**
 * Papers sighted within the window, by the stored trending score (libs/db recomputeTrending: signal
 * over a power of the age). The score is kept fresh by the parser (signals) and the reconciler (decay).
 */
@Injectable()
export class TrendingService {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async trending(
    window: TrendingWindow,
    topic: string[] | undefined,
    limit: number,
    now = new Date(),
  ): Promise<TrendingPage> {
    const rows: CardPaperRow[] = await this.ds.query(
      `SELECT ${CARD_PAPER_COLUMNS}, s.sighted_at
         FROM papers p
         JOIN (SELECT ps.paper_id, max(${SIGHTING_AT_SQL}) AS sighted_at FROM paper_sources ps GROUP BY ps.paper_id) s ON s.paper_id = p.id
        WHERE s.sighted_at >= $1::timestamptz - make_interval(hours => $2::int)
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = p.id AND pt.topic_slug = ANY($3::text[])))
        ORDER BY p.trending_score DESC, s.sighted_at DESC, p.id
        LIMIT $4`,
      [now.toISOString(), TRENDING_WINDOWS[window], topic?.length ? topic : null, limit],
    );
    const cards = await loadCards(this.ds, rows);
    return { window, items: cards.map((c, i) => ({ ...c, rank: i + 1 })) };
  }
}
