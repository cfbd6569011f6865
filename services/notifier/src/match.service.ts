import { Inject, Injectable } from '@nestjs/common';
import type { PaperRef } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, QUEUE_SET } from '@paperwire/service-kit';
import { deliverJobOptions, type NotifierConfig } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache, matchPapers } from './subscription-cache';

/** Queues the deliver jobs of recorded deliveries; the job id is the delivery id, so at most one each. */
export async function enqueueDeliveries(
  queues: QueueSet,
  config: NotifierConfig,
  ids: string[],
  /** distinguishes a deliberate re-send (after a resume) from the finished job of the same delivery */
  variant?: string,
): Promise<void> {
  await queues.enqueueBulk(
    'deliver',
    ids.map((deliveryId) => ({ deliveryId })),
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

  async handleMatchSubscriptions(
    refs: PaperRef[],
  ): Promise<{ notified: number; matches: number; enqueued: number; skipped: number }> {
    const work = await this.repo.loadWork(refs);
    const subs = await this.subscriptions.instant();
    // With no instant subscription nothing can match: the papers need not be loaded at all.
    const papers = subs.length > 0 ? await this.repo.matchablePapers(work.todo.map((p) => p.id)) : [];
    const matches = matchPapers(papers, subs);
    // Deliveries left pending by an earlier run (crash before this enqueue) are enqueued again;
    // the job id is the delivery id, so a delivery already queued is not queued twice.
    const { moved, pending } = await this.repo.recordMatches(
      matches,
      work.todo.map((p) => ({ paperId: p.id, contentHash: p.contentHash })),
      [...work.todo.map((p) => p.id), ...work.done.map((r) => r.paperId)],
    );
    await enqueueDeliveries(this.queues, this.config, pending);
    this.metrics.papers.inc({ stage: 'notified' }, moved.length);
    return {
      notified: moved.length,
      matches: matches.length,
      enqueued: pending.length,
      skipped: work.skipped,
    };
  }
}
