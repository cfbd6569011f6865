import { Queue, type JobsOptions, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  ALL_QUEUES,
  DEFAULT_JOB_OPTIONS,
  DELIVER_JOB_OPTIONS,
  JOB_QUEUE,
  QUEUES,
  batchJobId,
  chunk,
  type JobName,
  type JobOf,
  type PaperRef,
  type QueueName,
} from '@paperwire/contracts';

export const MAINTENANCE_QUEUE = 'maintenance';

export function defaultJobOptionsFor(queue: string): JobsOptions {
  return queue === QUEUES.deliver ? DELIVER_JOB_OPTIONS : DEFAULT_JOB_OPTIONS;
}

/** Producers for every queue, sharing one connection. */
export class QueueSet {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly telemetry?: QueueOptions['telemetry'],
  ) {}

  get(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        telemetry: this.telemetry,
        defaultJobOptions: defaultJobOptionsFor(name),
      });
      // Errors surface on the calls that fail; without a listener an 'error' event would crash.
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  all(): Queue[] {
    return [...ALL_QUEUES, MAINTENANCE_QUEUE].map((n) => this.get(n));
  }

  /** Adds one job with the default options for its queue; jobId makes re-adds no-ops. */
  async add<N extends JobName>(name: N, data: JobOf<N>, opts: JobsOptions = {}): Promise<void> {
    await this.get(JOB_QUEUE[name]).add(name, data, opts);
  }

  /**
   * Enqueues papers for a stage in batches with deterministic ids (one queue hop for many papers).
   * Returns the number of jobs added.
   */
  async addPaperBatches(
    name: 'classify-papers' | 'extract-claims' | 'match-subscriptions',
    refs: PaperRef[],
    batchSize: number,
  ): Promise<number> {
    if (refs.length === 0) return 0;
    const queue = this.get(JOB_QUEUE[name]);
    const batches = chunk(refs, batchSize);
    await queue.addBulk(
      batches.map((papers) => ({
        name,
        data: { papers },
        opts: { jobId: batchJobId(queue.name as QueueName, papers) },
      })),
    );
    return batches.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

export interface QueueDepth {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  prioritized: number;
  paused: number;
}

export async function queueDepths(set: QueueSet): Promise<QueueDepth[]> {
  return Promise.all(
    set.all().map(async (q) => {
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused');
      return {
        queue: q.name,
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        prioritized: c.prioritized ?? 0,
        paused: c.paused ?? 0,
      };
    }),
  );
}
