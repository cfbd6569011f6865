import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  activeDigestSubscriptions,
  digestLeftOutCount,
  digestSubscription,
  keyedDelivery,
  markDeliveryError,
  markDeliveryRetryAt,
  markKeyedDeliveryAttempt,
  markKeyedDeliveryDone,
  papersInOtherDigests,
  papersNotifiedInWindow,
  paperSignals,
  type PaperSignals,
  topicNames,
  type DigestSubscriptionRow,
  type KeyedDelivery,
} from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';

export type { DigestSubscriptionRow, KeyedDelivery };

/** What digests and confirmations read and write (the SQL lives in libs/db). */
@Injectable()
export class DigestRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  subscription(id: string): Promise<DigestSubscriptionRow | null> {
    return digestSubscription(this.ds, id);
  }

  digestSubscriptions(): Promise<DigestSubscriptionRow[]> {
    return activeDigestSubscriptions(this.ds);
  }

  /** Ids of papers that finished the pipeline in [start, end), newest or most trending first. */
  papersInWindow(start: Date, end: Date, sort: 'recent' | 'trending', limit: number): Promise<string[]> {
    return papersNotifiedInWindow(this.ds, start, end, sort, limit);
  }

  papersInOtherDigests(subscriptionId: string, exceptKey: string, since: Date): Promise<string[]> {
    return papersInOtherDigests(this.ds, subscriptionId, exceptKey, since);
  }

  keyedDelivery(
    subscriptionId: string,
    key: string,
    detail: Record<string, unknown>,
    status: 'pending' | 'skipped' = 'pending',
    leftOut: readonly string[] = [],
  ): Promise<KeyedDelivery> {
    return keyedDelivery(this.ds, subscriptionId, key, detail, status, leftOut);
  }

  /** How many papers a digest left out (its kept list); null for a digest made before the list was kept. */
  leftOutCount(id: string): Promise<number | null> {
    return digestLeftOutCount(this.ds, id);
  }

  markAttempt(id: string): Promise<void> {
    return markKeyedDeliveryAttempt(this.ds, id);
  }

  /** `status`: the HTTP status of the webhook send that delivered it (null for a mail) */
  markDone(id: string, subscriptionId: string, lastDigestAt: Date | null, status: number | null = null): Promise<void> {
    return markKeyedDeliveryDone(this.ds, id, subscriptionId, lastDigestAt, status);
  }

  markError(id: string, error: string, final: boolean): Promise<void> {
    return markDeliveryError(this.ds, id, error, final);
  }

  /** the retry of a failed keyed delivery runs in `delayMs` */
  markRetryAt(id: string, delayMs: number): Promise<void> {
    return markDeliveryRetryAt(this.ds, id, delayMs);
  }

  /** the papers' upvotes, comments and GitHub stars, as the pages show them */
  signals(ids: readonly string[]): Promise<Map<string, PaperSignals>> {
    return paperSignals(this.ds, ids);
  }

  topicNames(): Promise<Record<string, string>> {
    return topicNames(this.ds);
  }
}
