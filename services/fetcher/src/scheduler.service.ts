import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { CommonEnv } from '@paperwire/config';
import { MAINTENANCE_QUEUE, type QueueSet } from '@paperwire/queue';
import { CONFIG, LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SourceRepository } from './source.repository';

/**
 * Source polls and the reconciler run as BullMQ job schedulers: however many fetcher replicas run,
 * each due source is fetched once. Re-synced by every reconcile run, so sources added, changed or
 * disabled from the CLI or API are picked up without a restart.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap {
  constructor(
    private readonly sources: SourceRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues
      .get(MAINTENANCE_QUEUE)
      .upsertJobScheduler('reconcile', { every: this.config.RECONCILE_EVERY_SECONDS * 1000 }, { name: 'reconcile', data: {} });
    await this.syncSourceSchedules();
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
