import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { recomputeTrending } from '@paperwire/db';
import { sweepStranded } from '@paperwire/recovery';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, DATA_SOURCE, LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

const TRENDING_EVERY_MS = 10 * 60_000;

/**
 * Finds work stranded by a crash between a commit and an enqueue, or by a Redis loss, and enqueues
 * it again. A stage's queue that is backlogged is left alone: its papers are waiting, not lost.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private trendingAt = 0;
  private watchdog?: NodeJS.Timeout;
  private checking = false;
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly scheduler: SchedulerService,
    private readonly sources: SourceRepository,
  ) {}

  /**
   * The reconciler runs from a job scheduler kept in Redis: a Redis that comes back empty (restarted
   * without persistence, flushed, failed over to a stale replica) loses it together with the jobs it
   * should recover, and nothing would run it again before a restart. A timer in the process checks.
   */
  onApplicationBootstrap(): void {
    this.watchdog = setInterval(
      () => void this.ensureScheduled(),
      this.config.RECONCILE_EVERY_SECONDS * 1000,
    );
    this.watchdog.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.watchdog);
  }

  /** Registers the schedules again (reconcile, source polls, backfills) when Redis lost them; true if it did. */
  async ensureScheduled(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      if (await this.queues.get(QUEUES.maintenance).getJobScheduler('reconcile')) return false;
      this.log.warn(
        'the reconcile schedule is missing from Redis (data lost?): registering the schedules again',
      );
      await this.scheduler.onApplicationBootstrap();
      return true;
    } catch (err) {
      // Redis unreachable: the next tick checks again.
      this.log.debug({ err: (err as Error).message }, 'reconcile schedule check failed');
      return false;
    } finally {
      this.checking = false;
    }
  }

  async handleReconcile(): Promise<Record<string, number>> {
    const out = await sweepStranded(this.ds, this.queues, {
      afterSeconds: this.config.RECONCILE_AFTER_SECONDS,
      batchSize: this.config.BATCH_SIZE,
    });
    // Time decay of the trending score (papers seen in the last month), every few minutes: the decay
    // is slow, and each pass rewrites every recent paper's row.
    if (Date.now() - this.trendingAt > TRENDING_EVERY_MS) {
      this.trendingAt = Date.now();
      out.trending = await recomputeTrending(this.ds);
    }
    await this.scheduler.syncSourceSchedules();
    const resumed = await this.scheduler.resumeBackfills(false);
    if (resumed.length > 0) out.backfills = resumed.length;
    if (Object.keys(out).length > 0) this.log.info({ requeued: out }, 'reconciler re-enqueued stranded work');
    return out;
  }
}
