import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import type { NotifierEnv } from '@paperwire/config';
import { CONFIG, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { MatchService } from './match.service';
import { DeliveryService } from './delivery.service';
import { DigestService } from './digest.service';

@Processor(QUEUES.notify, { lockDuration: 60_000 })
export class NotifyProcessor extends StageWorker {
  protected readonly queueName = QUEUES.notify;
  protected readonly concurrency: number;

  constructor(
    private readonly matcher: MatchService,
    @Inject(CONFIG) config: NotifierEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 2;
  }

  protected handlers(): JobHandlers {
    return { 'match-subscriptions': (data) => this.matcher.handleMatchSubscriptions(data.papers) };
  }
}

/** Deliveries are their own jobs so a slow endpoint holds back nothing but its own deliveries. */
@Processor(QUEUES.deliver, { lockDuration: 60_000 })
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
      deliver: (data, job) => this.deliveries.handleDeliver(data.deliveryId, job.attemptsMade + 1, job.opts.attempts ?? 1),
      // A scheduler's job carries when it was due; a late run still gets its own period.
      'send-digest': (data, job) => this.digests.handleSendDigest(data.subscriptionId, new Date(job.opts.timestamp ?? job.timestamp)),
      'send-confirmation': (data) => this.digests.handleSendConfirmation(data.subscriptionId),
    };
  }
}
