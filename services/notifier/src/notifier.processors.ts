import { OnWorkerEvent } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, isLastAttempt, type JobHandlers } from '@paperwire/service-kit';
import { MatchService } from './match.service';
import { BackfillService } from './backfill.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';
import { digestRunOf } from './digest-run';
import { webhookBackoffStrategy } from './webhook-backoff';

@StageProcessor(QUEUES.notify)
export class NotifyProcessor extends StageWorker {
  constructor(
    private readonly matcher: MatchService,
    private readonly backfill: BackfillService,
  ) {
    super();
  }

  protected handlers(): JobHandlers {
    return {
      'match-subscriptions': (data) => this.matcher.handleMatchSubscriptions(data.papers),
      'backfill-subscription': (data) =>
        this.backfill.handleBackfillSubscription(data.subscriptionId, data.since),
    };
  }
}

/**
 * A deliver job carries one subscription's deliveries (a batch from live matching, or one delivery
 * on its own for retries), so a slow endpoint holds back nothing but its own deliveries. Locks
 * are renewed every 7.5 s while an attempt runs, so a short lock only matters when a notifier dies:
 * its in-flight deliveries are back in the queue within ~20 s (lock + stalled check) and are retried
 * with the same webhook-id.
 */
@StageProcessor(QUEUES.deliver, {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  settings: { backoffStrategy: webhookBackoffStrategy },
})
export class DeliverProcessor extends StageWorker {
  constructor(
    private readonly deliveries: DeliveryService,
    private readonly digests: DigestService,
  ) {
    super();
  }

  // Deliveries mostly wait on webhook endpoints: eight per unit of CONCURRENCY, and at least eight.
  protected override concurrency(): number {
    return Math.max(8, super.concurrency() * 8);
  }

  /** A digest or confirmation left pending for its job's retry: the delivery log shows when that runs. */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): Promise<void> {
    return this.digests.recordRetry(job, err);
  }

  protected handlers(): JobHandlers {
    return {
      deliver: (data, job) =>
        this.deliveries.handleDeliver('deliveryIds' in data ? data.deliveryIds : [data.deliveryId], job),
      'send-digest': (data, job) =>
        this.digests.runDigest(data.subscriptionId, digestRunOf(job), isLastAttempt(job)),
      'send-confirmation': (data, job) =>
        this.digests.handleSendConfirmation(data.subscriptionId, isLastAttempt(job)),
    };
  }
}
