import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CommonEnv } from '@paperwire/config';
import { QUEUES } from '@paperwire/contracts';
import { indexQueuedFetches, type QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, PeriodicCheck, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SourceRepository } from './source.repository';
import { pageJobId, pageVariant } from './source-request';

/**
 * Source polls run as BullMQ job schedulers: however many fetcher replicas run, each due source is
 * fetched once. Re-synced every RECONCILE_EVERY_SECONDS by one replica (a lease in Redis), so
 * sources added, changed or disabled from the CLI or API are picked up without a restart, and
 * schedules and backfill pages a Redis lost come back.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly periodic: PeriodicCheck;

  constructor(
    private readonly sources: SourceRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: CommonEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.periodic = new PeriodicCheck(log, 'source schedule sync failed', () => this.syncOnce());
  }

  async onApplicationBootstrap(): Promise<void> {
    // fetches queued before their sources' indexes were kept (the stats' next fetch reads them there)
    await indexQueuedFetches(this.queues);
    await this.syncSourceSchedules();
    await this.resumeBackfills(true);
    this.periodic.start(this.config.RECONCILE_EVERY_SECONDS * 1000);
  }

  onModuleDestroy(): void {
    this.periodic.stop();
  }

  /**
   * The periodic re-sync: source schedules, and backfills whose page job is gone. One replica per
   * period takes it (a lease that expires just before the next period); true if this one did.
   */
  resync(): Promise<boolean> {
    return this.periodic.run();
  }

  private async syncOnce(): Promise<boolean> {
    const periodMs = this.config.RECONCILE_EVERY_SECONDS * 1000;
    const lease = await this.redis.set(`${this.config.QUEUE_PREFIX}:fetcher:source-sync`, '1', 'PX', Math.max(1, periodMs - 250), 'NX');
    if (lease !== 'OK') return false;
    await this.syncSourceSchedules();
    await this.resumeBackfills(false);
    return true;
  }

  /**
   * Backfills whose checkpoint points at a page get a job for that page. At startup a page whose job
   * is active (most likely stalled by a crashed replica: its lock holds it for a while) or finished
   * gets a fresh job, so a killed backfill resumes from its checkpoint at once; the stale job becomes
   * a no-op when it is finally redelivered. Otherwise (periodic re-sync) missing jobs are added, and pages
   * whose job completed without advancing the checkpoint (skipped while the source was disabled).
   */
  async resumeBackfills(startup: boolean): Promise<string[]> {
    const fetch = this.queues.get(QUEUES.fetch);
    const inProgress = await this.sources.inProgress();
    if (inProgress.length === 0) return [];
    // Sources with a fetch queued or running (at startup, running ones are likely stalled: ignored).
    const pendingStates = startup
      ? (['waiting', 'delayed', 'prioritized'] as const)
      : (['waiting', 'delayed', 'prioritized', 'active'] as const);
    const pending = new Set(
      (await fetch.getJobs([...pendingStates], 0, 5_000)).map(
        (j) => (j?.data as { sourceId?: string } | undefined)?.sourceId,
      ),
    );
    const added: string[] = [];
    for (const s of inProgress) {
      if (pending.has(s.id)) continue;
      const jobId = pageJobId(s.id, s.checkpoint ?? {});
      const existing = await fetch.getJob(jobId);
      const state = existing ? await existing.getState() : 'missing';
      // A failed page waits for an operator (`sources poll` or a retry from the dead-letter set).
      if (state === 'failed' && !startup) continue;
      // A page job that completed while its page is still the checkpoint did not advance it (the
      // source was disabled then): a fresh id lets the backfill go on.
      const page = pageVariant(s.checkpoint ?? {});
      const id = await this.queues.enqueue(
        'fetch-source',
        { sourceId: s.id, reason: state === 'missing' ? 'backfill' : 'startup' },
        { variant: state === 'missing' ? page : `${page}-${startup ? 's' : 'r'}${Date.now()}` },
      );
      added.push(id);
    }
    if (added.length > 0) this.log.info({ jobs: added }, 'resumed backfills from their checkpoints');
    return added;
  }

  async syncSourceSchedules(): Promise<{ scheduled: number; removed: number }> {
    const fetch = this.queues.get('fetch');
    const wanted = await this.sources.scheduled();
    const ids = new Set(wanted.map((s) => `source-${s.id}`));
    for (const s of wanted) {
      await fetch.upsertJobScheduler(
        `source-${s.id}`,
        { every: (s.every_seconds ?? 3600) * 1000 },
        { name: 'fetch-source', data: { sourceId: s.id, reason: 'schedule' } },
      );
    }
    let removed = 0;
    for (const existing of await fetch.getJobSchedulers(0, -1)) {
      if (existing.key.startsWith('source-') && !ids.has(existing.key)) {
        await fetch.removeJobScheduler(existing.key);
        removed += 1;
      }
    }
    if (removed > 0) this.log.info({ removed }, 'removed schedules of disabled or deleted sources');
    return { scheduled: wanted.length, removed };
  }
}
