import { Inject, Injectable } from '@nestjs/common';
import type { PaperRef } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, QUEUE_SET } from '@paperwire/service-kit';
import { deliverJobOptions, type NotifierConfig } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache } from './subscription-cache';

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
    const matches = papers.flatMap((paper) =>
      subs.flatMap((s) => {
        const r = s.match(paper);
        return r.matched ? [{ subscriptionId: s.row.id, paperId: paper.id, reasons: r.reasons }] : [];
      }),
    );
    // Deliveries left pending by an earlier run (crash before this enqueue) are enqueued again;
    // the job id is the delivery id, so a delivery already queued is not queued twice.
    const { moved, pending } = await this.repo.recordMatches(
      matches,
      work.todo.map((p) => ({ paperId: p.id, contentHash: p.contentHash })),
      [...work.todo.map((p) => p.id), ...work.done.map((r) => r.paperId)],
    );
    if (pending.length > 0) {
      const opts = deliverJobOptions(this.config);
      await this.queues.get('deliver').addBulk(
        pending.map((id) => ({
          name: 'deliver',
          data: { deliveryId: id },
          opts: { ...opts, jobId: `deliver-${id}` },
        })),
      );
    }
    this.metrics.papers.inc({ stage: 'notified' }, moved.length);
    return {
      notified: moved.length,
      matches: matches.length,
      enqueued: pending.length,
      skipped: work.skipped,
    };
  }
}
