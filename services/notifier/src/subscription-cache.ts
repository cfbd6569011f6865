import { Injectable } from '@nestjs/common';
import { metricKey } from '@paperwire/metrics';
import { compileFilter, subscriptionFilterSchema, type MatchablePaper } from '@paperwire/notifications';
import { NotifierRepository, type SubscriptionRow } from './notifier.repository';

export interface CompiledSubscription {
  row: SubscriptionRow;
  match: (paper: MatchablePaper) => { matched: boolean; reasons: string[] };
}

/** Active instant subscriptions with their filters compiled once; refreshed every few seconds. */
@Injectable()
export class SubscriptionCache {
  private static readonly TTL_MS = 3_000;
  private cached: CompiledSubscription[] = [];
  private loadedAt = 0;
  private invalid = new Map<string, string>();

  constructor(private readonly repo: NotifierRepository) {}

  async instant(): Promise<CompiledSubscription[]> {
    if (Date.now() - this.loadedAt < SubscriptionCache.TTL_MS) return this.cached;
    const rows = await this.repo.activeInstantSubscriptions();
    const out: CompiledSubscription[] = [];
    this.invalid.clear();
    for (const row of rows) {
      const parsed = subscriptionFilterSchema.safeParse(row.filters ?? {});
      if (!parsed.success) {
        // Filters are validated at every edge; a bad row (edited by hand) must not match everything.
        this.invalid.set(row.id, parsed.error.message);
        continue;
      }
      out.push({ row, match: compileFilter(parsed.data, { metricKey }) });
    }
    this.cached = out;
    this.loadedAt = Date.now();
    return out;
  }

  invalidFilters(): Map<string, string> {
    return this.invalid;
  }
}
