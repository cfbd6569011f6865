import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { jobIdOf } from '@paperwire/contracts';
import { cronFor, isValidTimeZone } from '@paperwire/notifications';
import type { QueueSet } from '@paperwire/queue';
import { LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { DigestRepository } from './digest.repository';
import { scheduleOptions } from './digest-run';

const SYNC_EVERY_MS = 30_000;

/**
 * Each daily or weekly subscription gets a BullMQ job scheduler firing `send-digest` at its hour in
 * its time zone; schedulers of paused or deleted subscriptions are removed. Every notifier replica
 * may run this: upserting a scheduler is idempotent.
 */
@Injectable()
export class DigestSchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly digests: DigestRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync().catch((err: Error) =>
      this.log.warn({ err: err.message }, 'digest schedule sync failed'),
    );
    this.timer = setInterval(() => {
      this.sync().catch((err: Error) => this.log.warn({ err: err.message }, 'digest schedule sync failed'));
    }, SYNC_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sync(): Promise<number> {
    const deliver = this.queues.get('deliver');
    const subs = await this.digests.digestSubscriptions();
    const wanted = new Set<string>();
    for (const s of subs) {
      if (!s.schedule || !isValidTimeZone(s.schedule.timeZone) || s.mode === 'instant') continue;
      const key = jobIdOf('send-digest', { subscriptionId: s.id });
      let repeat: { pattern: string; tz: string };
      try {
        repeat = cronFor(s.mode, scheduleOptions(s.schedule));
      } catch (err) {
        // One hand-edited schedule must not stop every other digest.
        this.log.warn({ subscriptionId: s.id, err: (err as Error).message }, 'invalid digest schedule');
        continue;
      }
      wanted.add(key);
      await deliver.upsertJobScheduler(key, repeat, { name: 'send-digest', data: { subscriptionId: s.id } });
    }
    for (const existing of await deliver.getJobSchedulers(0, -1)) {
      if (existing.key.startsWith('digest-') && !wanted.has(existing.key))
        await deliver.removeJobScheduler(existing.key);
    }
    return wanted.size;
  }
}
