import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DELIVERED_FAILURES_SCAN, clearDeliveredFailures } from '@paperwire/actions';
import { PIPELINE, QUEUES, jobIdOf } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import type { QueueSet } from '@paperwire/queue';
import { Sweeper, type SweepResult } from '@paperwire/recovery';
import { CONFIG, DATA_SOURCE, LOGGER, PeriodicCheck, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';

/** The job scheduler that runs the sweep: one key, however many sweepers run. */
const SCHEDULE_KEY = jobIdOf('reconcile', {});

/**
 * Runs the recovery sweep every RECONCILE_EVERY_SECONDS from a BullMQ job scheduler (one run per
 * period however many sweepers run), and keeps that scheduler registered.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: Sweeper;
  private readonly watchdog: PeriodicCheck;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.watchdog = new PeriodicCheck(log, 'reconcile schedule check failed', () => this.scheduleIfLost());
    this.sweeper = new Sweeper(ds, queues, {
      afterSeconds: config.RECONCILE_AFTER_SECONDS,
      batchSize: config.BATCH_SIZE,
      // the topic counts rollup written at a sweep is trusted for max(300 s, 3 of these periods)
      everySeconds: config.RECONCILE_EVERY_SECONDS,
    });
  }

  /**
   * The schedule lives in Redis: a Redis that comes back empty (restarted without persistence,
   * flushed, failed over to a stale replica) loses it together with the jobs it should recover, and
   * nothing would run it again before a restart. A timer in the process checks.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    this.watchdog.start(this.config.RECONCILE_EVERY_SECONDS * 1000);
  }

  onModuleDestroy(): void {
    this.watchdog.stop();
  }

  private async schedule(): Promise<void> {
    await this.queues
      .get(PIPELINE.reconcile.queue)
      .upsertJobScheduler(
        SCHEDULE_KEY,
        { every: this.config.RECONCILE_EVERY_SECONDS * 1000 },
        { name: 'reconcile', data: {} },
      );
  }

  /** Registers the sweep's schedule again when Redis lost it; true if it did. */
  ensureScheduled(): Promise<boolean> {
    return this.watchdog.run();
  }

  private async scheduleIfLost(): Promise<boolean> {
    if (await this.queues.get(QUEUES.maintenance).getJobScheduler(SCHEDULE_KEY)) return false;
    this.log.warn('the reconcile schedule is missing from Redis (data lost?): registering it again');
    await this.schedule();
    return true;
  }

  async handleReconcile(): Promise<SweepResult> {
    const out = await this.sweeper.sweep();
    const superseded = await this.clearSupersededFailures();
    // topicCounts and searchWordsPapers are refreshes, not re-enqueued work
    const { expiredSecrets, topicCounts: _topicCounts, searchWordsPapers: _searchWordsPapers, ...requeued } = out;
    if (Object.keys(requeued).length > 0) this.log.info({ requeued }, 'sweeper re-enqueued stranded work');
    if (expiredSecrets)
      this.log.info(
        { subscriptions: expiredSecrets },
        'sweeper dropped webhook secrets whose grace period ended',
      );
    return superseded > 0 ? { ...out, supersededFailures: superseded } : out;
  }

  /** Where the next sweep's window of the failed deliver jobs starts (newest first). */
  private failedFrom = 0;

  /**
   * Failed deliver jobs whose deliveries were delivered since: the notifier removes them as it delivers; this
   * clears what is left (failures from before it did, one whose removal failed). One window of
   * DELIVERED_FAILURES_SCAN jobs per sweep, the next sweep the next window: a long failed set is walked over
   * sweeps, never at once.
   */
  private async clearSupersededFailures(): Promise<number> {
    try {
      const from = this.failedFrom;
      const removed = await clearDeliveredFailures(this.ds, this.queues, DELIVERED_FAILURES_SCAN, from);
      const next = from + DELIVERED_FAILURES_SCAN - removed;
      this.failedFrom = next < (await this.queues.get('deliver').getFailedCount()) ? next : 0;
      if (removed > 0)
        this.log.info(
          { removed },
          'sweeper removed failed deliver jobs whose deliveries were delivered since',
        );
      return removed;
    } catch (err) {
      this.log.warn({ err }, 'sweeper could not clear superseded deliver failures');
      return 0;
    }
  }
}
