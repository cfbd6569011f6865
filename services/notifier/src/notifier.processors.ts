import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import type { NotifierEnv } from '@paperwire/config';
import { CONFIG, StageWorker, isLastAttempt, type JobHandlers } from '@paperwire/service-kit';
import { MatchService } from './match.service';
import { BackfillService } from './backfill.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';
import { digestRunOf } from './digest-run';
import { webhookBackoffStrategy } from './webhook-backoff';

@Processor(QUEUES.notify, { lockDuration: 30_000 })
export class NotifyProcessor extends StageWorker {
  protected readonly queueName = QUEUES.notify;
  protected readonly concurrency: number;

  constructor(
    private readonly matcher: MatchService,
    private readonly backfill: BackfillService,
    @Inject(CONFIG) config: NotifierEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 2;
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
@Processor(QUEUES.deliver, {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  settings: { backoffStrategy: webhookBackoffStrategy },
})
export class DeliverProcessor extends StageWorker {
  protected readonly queueName = QUEUES.deliver;
  protected readonly concurrency: number;

  constructor(
    private readonly deliveries: DeliveryService,
    private readonly digests: DigestService,
    @Inject(CONFIG) config: NotifierEnv,
  ) {
    super();
    this.concurrency = Math.max(8, (config.CONCURRENCY ?? 2) * 8);
  }

  protected handlers(): JobHandlers {
    return {
      deliver: (data, job) =>
        this.deliveries.handleDeliver('deliveryIds' in data ? data.deliveryIds : [data.deliveryId], job),
      'send-digest': (data, job) =>
        this.digests.handleSendDigest(data.subscriptionId, digestRunOf(job), isLastAttempt(job)),
      'send-confirmation': (data, job) =>
        this.digests.handleSendConfirmation(data.subscriptionId, isLastAttempt(job)),
    };
  }
}
