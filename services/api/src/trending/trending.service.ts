import { Injectable } from '@nestjs/common';
import { trendingCardRows } from '@paperwire/db';
import { CachedReader } from '../common/cached-reader';
import { TRENDING_WINDOWS, type TrendingWindow } from '../daily/daily-query';
import { loadCards, type PaperCardDto } from '../daily/paper-card';

export interface TrendingPage {
  window: TrendingWindow;
  items: (PaperCardDto & { rank: number })[];
}

/**
 * Papers that first appeared within the window and have a signal, by the read model's trend_key
 * (libs/db read-model.ts): ln(signal) + ln2/48·hours_since_epoch(t0), so the order is the order of
 * signal·2^(−age/48h) at any moment and no decay job is needed. Served by idx_paper_read_trend: the
 * newest papers have the largest keys, so the scan stops after about a page.
 */
@Injectable()
export class TrendingService extends CachedReader {
  trending(window: TrendingWindow, topic: string[] | undefined, limit: number, now?: Date): Promise<TrendingPage> {
    if (now) return this.load(window, topic, limit, now);
    return this.cache.get(JSON.stringify([window, topic ?? null, limit]), () => this.load(window, topic, limit, new Date()));
  }

  private async load(window: TrendingWindow, topic: string[] | undefined, limit: number, now: Date): Promise<TrendingPage> {
    const rows = await trendingCardRows(this.ds, { now, hours: TRENDING_WINDOWS[window], topic, limit });
    const cards = await loadCards(this.ds, rows, now);
    return {
      window,
      items: cards.map((c, i) => ({ ...c, rank: i + 1 })),
    };
  }
}
