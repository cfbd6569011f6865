import { Injectable } from '@nestjs/common';
import { metricKey } from '@paperwire/metrics';
import {
  compileFilter,
  filterNeeds,
  subscriptionFilterSchema,
  type FilterNeeds,
  type MatchablePaper,
} from '@paperwire/notifications';
import { NotifierRepository, type SubscriptionRow } from './notifier.repository';

export interface CompiledSubscription {
  row: SubscriptionRow;
  match: (paper: MatchablePaper) => { matched: boolean; reasons: string[] };
  /** what `match` reads of a paper: all a paper needs loaded to be matched */
  needs: FilterNeeds;
}

export interface SubscriptionMatch {
  subscriptionId: string;
  paperId: string;
  reasons: string[];
}

/** Every (subscription, paper) pair that matches. */
export function matchPapers(papers: MatchablePaper[], subs: CompiledSubscription[]): SubscriptionMatch[] {
  return papers.flatMap((paper) =>
    subs.flatMap((s) => {
      const r = s.match(paper);
      return r.matched ? [{ subscriptionId: s.row.id, paperId: paper.id, reasons: r.reasons }] : [];
    }),
  );
}

/**
 * Compiles a subscription's stored filters, or says why they are invalid: filters are validated at
 * every edge, so a bad row (edited by hand) must not match everything. Live matching and the
 * backfill of a resumed subscription both match through here.
 */
export function compileSubscription(row: SubscriptionRow): CompiledSubscription | { invalid: string } {
  const parsed = subscriptionFilterSchema.safeParse(row.filters ?? {});
  if (!parsed.success) return { invalid: parsed.error.message };
  return { row, match: compileFilter(parsed.data, { metricKey }), needs: filterNeeds(parsed.data) };
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
      const compiled = compileSubscription(row);
      if ('invalid' in compiled) this.invalid.set(row.id, compiled.invalid);
      else out.push(compiled);
    }
    this.cached = out;
    this.loadedAt = Date.now();
    return out;
  }

  invalidFilters(): Map<string, string> {
    return this.invalid;
  }
}
