import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { NEXT_QUEUE_FOR_STAGE, batchJobId, type PaperRef, type QueueName } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { recomputeTrending, strandedDeliveries, strandedDocuments, stuckPapers } from '@paperwire/db';
import { MAINTENANCE_QUEUE, type QueueSet } from '@paperwire/queue';
import { CONFIG, DATA_SOURCE, LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { SchedulerService } from './scheduler.service';
import { SourceRepository } from './source.repository';

const JOB_FOR_QUEUE = {
  classify: 'classify-papers',
  extract: 'extract-claims',
  notify: 'match-subscriptions',
} as const;
const LIMIT = 5_000;
const TRENDING_EVERY_MS = 10 * 60_000;
/** Job states in which a queue still holds its job's papers or document (failed = dead-lettered). */
const HELD_STATES = ['waiting', 'prioritized', 'paused', 'delayed', 'active', 'failed'] as const;
const PAGE = 1_000;

const paperIdsOf = (data: unknown): string[] =>
  ((data as { papers?: PaperRef[] } | undefined)?.papers ?? []).map((p) => p.paperId);
const idOf =
  (key: 'rawDocumentId' | 'deliveryId') =>
  (data: unknown): string[] => {
    const id = (data as Record<string, unknown> | undefined)?.[key];
    return typeof id === 'string' ? [id] : [];
  };
const rawDocumentIdOf = idOf('rawDocumentId');
const deliveryIdOf = idOf('deliveryId');

/**
 * The ids (papers, raw documents) named by the jobs a queue still holds: queued, running, retrying
 * or dead-lettered. They are not stranded. Re-adding them would run a retrying batch twice, and would
 * resurrect a dead-lettered one every period, so work that exhausted its retries would never rest
 * in the failed set (an operator retries it with `paperwire failed retry`). Read only when some work
 * looks stuck; its cost grows with the failed set (one page per 1,000 dead-lettered jobs).
 */
async function heldIds(queue: Queue, idsOf: (data: unknown) => string[]): Promise<Set<string>> {
  const held = new Set<string>();
  // getJobs pages each state separately (start/end apply per state).
  for (const state of HELD_STATES) {
    for (let start = 0; ; start += PAGE) {
      const jobs = await queue.getJobs(state, start, start + PAGE - 1);
      for (const job of jobs) for (const id of idsOf(job?.data)) held.add(id);
      if (jobs.length < PAGE) break;
    }
  }
  return held;
}

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
      if (await this.queues.get(MAINTENANCE_QUEUE).getJobScheduler('reconcile')) return false;
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

  /**
   * Deliveries no job holds, whatever its id: the delivery's own (`deliver-<id>`), or a resume's
   * re-send (`deliver-<id>-resume-<ts>`), retrying for hours. A second job would send one delivery
   * twice at once. The own id is looked up first; the queue is read only when some are missing there.
   */
  private async strandedDeliveries(after: number): Promise<string[]> {
    const candidates = await strandedDeliveries(this.ds, after, LIMIT);
    if (candidates.length === 0) return [];
    const deliver = this.queues.get('deliver');
    const missing: string[] = [];
    for (const id of candidates) if (!(await deliver.getJob(`deliver-${id}`))) missing.push(id);
    if (missing.length === 0) return [];
    const held = await heldIds(deliver, deliveryIdOf);
    return missing.filter((id) => !held.has(id));
  }

  async handleReconcile(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const after = this.config.RECONCILE_AFTER_SECONDS;
    const bucket = Math.floor(Date.now() / (after * 1000));
    for (const stage of ['parsed', 'classified', 'extracted'] as const) {
      const queueName = NEXT_QUEUE_FOR_STAGE[stage] as keyof typeof JOB_FOR_QUEUE;
      const queue = this.queues.get(queueName);
      const backlog = (await queue.getWaitingCount()) + (await queue.getDelayedCount());
      if (backlog > this.config.BATCH_SIZE) continue;
      const stuck = await stuckPapers(this.ds, stage, after, LIMIT);
      if (stuck.length === 0) continue;
      const held = await heldIds(queue, paperIdsOf);
      const refs = stuck.filter((r) => !held.has(r.paperId));
      if (refs.length === 0) continue;
      out[stage] = refs.length;
      const batches: PaperRef[][] = [];
      for (let i = 0; i < refs.length; i += this.config.BATCH_SIZE)
        batches.push(refs.slice(i, i + this.config.BATCH_SIZE));
      // A fresh id per reconcile period: the original job may be completed or gone.
      await queue.addBulk(
        batches.map((papers) => ({
          name: JOB_FOR_QUEUE[queueName],
          data: { papers },
          opts: { jobId: `${batchJobId(queueName as QueueName, papers)}-r${bucket}` },
        })),
      );
    }
    const fetched = await strandedDocuments(this.ds, after, LIMIT);
    const heldDocs = fetched.length > 0 ? await heldIds(this.queues.get('parse'), rawDocumentIdOf) : new Set();
    const docs = fetched.filter((id) => !heldDocs.has(id));
    if (docs.length > 0) {
      out.rawDocuments = docs.length;
      await this.queues.get('parse').addBulk(
        docs.map((id) => ({
          name: 'parse-document',
          data: { rawDocumentId: id },
          opts: { jobId: `parse-${id}-r${bucket}` },
        })),
      );
    }
    const deliveries = await this.strandedDeliveries(after);
    if (deliveries.length > 0) {
      out.deliveries = deliveries.length;
      await this.queues.get('deliver').addBulk(
        deliveries.map((id) => ({ name: 'deliver', data: { deliveryId: id }, opts: { jobId: `deliver-${id}` } })),
      );
    }
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
