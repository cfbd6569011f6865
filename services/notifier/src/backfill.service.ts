import { Inject, Injectable } from '@nestjs/common';
import { SUBSCRIPTION_BACKFILL, backfillStart, chunk } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { enqueueDeliveries } from './match.service';
import type { NotifierConfig } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { compileStoredSubscription, matchPapers } from './subscription-cache';

/**
 * Resuming an instant subscription delivers the papers it missed while paused: those that reached
 * `notified` since it was paused (within SUBSCRIPTION_BACKFILL's bounds), matched exactly as live
 * matching does. Digest subscriptions are never backfilled: their next digest covers its whole
 * period, whatever happened during it.
 */
@Injectable()
export class BackfillService {
  /** papers loaded and matched at a time */
  private static readonly BATCH = 500;

  constructor(
    private readonly repo: NotifierRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: NotifierConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Safe to run twice (a retry, a second resume): deliveries are unique per subscription and paper
   * and a deliver job's id is its delivery's. Each batch is recorded before its deliveries are
   * enqueued, and a rerun enqueues whatever an earlier run left pending.
   */
  async handleBackfillSubscription(
    subscriptionId: string,
    since: string,
  ): Promise<{ checked: number; matches: number; enqueued: number }> {
    const none = { checked: 0, matches: 0, enqueued: 0 };
    // Paused again, deleted, disabled or switched to a digest since the resume: nothing to catch up.
    const row = await this.repo.activeInstantSubscription(subscriptionId);
    if (!row) return none;
    const compiled = await compileStoredSubscription(this.repo, row);
    if ('invalid' in compiled) {
      this.log.warn({ subscriptionId, error: compiled.invalid }, 'backfill skipped: invalid filters');
      return none;
    }
    // Deliveries that were pending when the subscription was paused (the one that tripped an automatic
    // pause among them): their deliver jobs finished as "skipped" and are kept for an hour under the
    // delivery's own job id, so they go again under an id of this resume. Deliveries made since the
    // pause keep their own job (a second id would let two jobs send one delivery at once).
    const stranded = await this.repo.pendingDeliveriesOf(
      subscriptionId,
      new Date(since),
      SUBSCRIPTION_BACKFILL.maxPapers,
    );
    await enqueueDeliveries(
      this.queues,
      this.config,
      stranded.map((id) => [id]),
      `resume-${Date.parse(since)}`,
    );
    const ids = await this.repo.notifiedSince(
      backfillStart(new Date(since), new Date()),
      SUBSCRIPTION_BACKFILL.maxPapers,
    );
    let matches = 0;
    let enqueued = 0;
    for (const batch of chunk(ids, BackfillService.BATCH)) {
      const found = matchPapers(await this.repo.matchablePapers(batch, compiled.needs), [compiled]);
      const pending = await this.repo.recordBackfill(subscriptionId, found, batch);
      // One job per delivery, as the stranded ones: a backfill is rare, and each job's id names its delivery.
      await enqueueDeliveries(
        this.queues,
        this.config,
        pending.map((id) => [id]),
      );
      matches += found.length;
      enqueued += pending.length;
    }
    return { checked: ids.length, matches, enqueued: enqueued + stranded.length };
  }
}
