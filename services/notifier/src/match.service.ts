import { Inject, Injectable } from '@nestjs/common';
import { SUBSCRIPTION_BACKFILL, chunk, type PaperRef } from '@paperwire/contracts';
import { mergeNeeds } from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, QUEUE_SET } from '@paperwire/service-kit';
import { deliverJobOptions, type NotifierConfig } from './notifier-config';
import { DELIVERY_BATCH_MAX } from './delivery.service';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache, matchPapers } from './subscription-cache';

/**
 * Queues the deliver jobs of recorded deliveries: one job per batch of one subscription's deliveries
 * (a group), at most DELIVERY_BATCH_MAX each. A delivery is claimed before it is sent, so one queued
 * twice (a rerun, the sweeper) is still sent once.
 */
export async function enqueueDeliveries(
  queues: QueueSet,
  config: NotifierConfig,
  groups: string[][],
  /** distinguishes a deliberate re-send (after a resume) from the finished job of the same delivery */
  variant?: string,
): Promise<void> {
  const batches = groups.flatMap((ids) => chunk(ids, DELIVERY_BATCH_MAX));
  await queues.enqueueBulk(
    'deliver',
    batches.map((ids) => (ids.length === 1 ? { deliveryId: ids[0] } : { deliveryIds: ids })),
    { ...deliverJobOptions(config), variant },
  );
}

@Injectable()
export class MatchService {
  constructor(
    private readonly repo: NotifierRepository,
    private readonly subscriptions: SubscriptionCache,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * Matches the papers against the instant subscriptions and records what to deliver.
   *
   * What a subscriber gets is new papers. A paper's first pass through here (a new paper, or new content) is matched
   * as it is. A paper sent through again by `paperwire reclassify` / `reextract` (`--all` too: the whole back
   * catalogue) is not new because its topics or claims were recomputed: it goes to a subscription only if it never
   * went to it (deliveries are unique per subscription and paper), it first reached `notified` after the subscription
   * was created, and no earlier than the backfill window (SUBSCRIPTION_BACKFILL.maxAgeMs, 7 days: what a resume would
   * still send) — then a recomputation that newly makes it match is news to that subscriber. Papers first notified
   * before the window are not even loaded (recordMatchedDeliveries enforces the whole rule).
   */
  async handleMatchSubscriptions(
    refs: PaperRef[],
  ): Promise<{ notified: number; matches: number; enqueued: number; skipped: number }> {
    const work = await this.repo.loadWork(refs);
    const subs = await this.subscriptions.instant();
    const renotifyFrom = new Date(Date.now() - SUBSCRIPTION_BACKFILL.maxAgeMs);
    const candidates = work.todo.filter((p) => p.firstNotifiedAt === null || p.firstNotifiedAt >= renotifyFrom);
    // With no instant subscription nothing can match: the papers need not be loaded at all. Otherwise
    // only what the subscriptions' filters read is (deliver jobs load a matched paper's payload).
    const papers =
      subs.length > 0 && candidates.length > 0
        ? await this.repo.matchablePapers(
            candidates.map((p) => p.id),
            mergeNeeds(subs.map((s) => s.needs)),
          )
        : [];
    const matches = matchPapers(papers, subs);
    // Deliveries left pending by an earlier run (crash before this enqueue) are enqueued again; the
    // same batch gets the same job id, and a delivery queued twice is still claimed once.
    const { moved, pending, bySubscription } = await this.repo.recordMatches(
      matches,
      work.todo.map((p) => ({ paperId: p.id, contentHash: p.contentHash })),
      [...work.todo.map((p) => p.id), ...work.done.map((r) => r.paperId)],
      renotifyFrom,
    );
    await enqueueDeliveries(this.queues, this.config, bySubscription);
    this.metrics.papers.inc({ stage: 'notified' }, moved.length);
    return {
      notified: moved.length,
      matches: matches.length,
      enqueued: pending.length,
      skipped: work.skipped,
    };
  }
}
