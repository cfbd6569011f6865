import { Queue, QueueEvents, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  ALL_QUEUES,
  SEARCH_JOB_PREFIX,
  JOB_QUEUE,
  chunk,
  defaultJobOptionsFor,
  jobIdOf,
  nextJobOf,
  papersInBatchJobId,
  type EnqueueOptions,
  type JobName,
  type JobOf,
  type PaperJobName,
  type PaperRef,
  type PaperStage,
  type QueueName,
} from '@paperwire/contracts';

export { defaultJobOptionsFor };

/**
 * Producers for every queue, sharing one connection. Jobs are added only through `enqueue*`, which
 * take the queue and the job id from the pipeline table.
 */
export class QueueSet {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly telemetry?: QueueOptions['telemetry'],
  ) {}

  get(name: QueueName): Queue {
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
    return ALL_QUEUES.map((n) => this.get(n));
  }

  /** Adds one job on its queue with the queue's default options and the table's job id; returns the id. */
  async enqueue<N extends JobName>(name: N, data: JobOf<N>, opts: EnqueueOptions = {}): Promise<string> {
    const [id] = await this.enqueueBulk(name, [data], opts);
    return id;
  }

  /** Adds jobs of one name in one round trip; a job whose id exists already is not added again. */
  async enqueueBulk<N extends JobName>(name: N, items: readonly JobOf<N>[], opts: EnqueueOptions = {}): Promise<string[]> {
    if (items.length === 0) return [];
    const { variant, ...rest } = opts;
    const jobs = items.map((data) => ({ name, data, opts: { ...rest, jobId: jobIdOf(name, data, variant) } }));
    await this.get(JOB_QUEUE[name]).addBulk(jobs);
    return jobs.map((j) => j.opts.jobId);
  }

  /** Enqueues papers for a job in batches of at most `batchSize` (one queue hop for many papers); returns the number of jobs. */
  async enqueuePapers(name: PaperJobName, refs: readonly PaperRef[], batchSize: number, opts: EnqueueOptions = {}): Promise<number> {
    const ids = await this.enqueueBulk(
      name,
      chunk(refs, batchSize).map((papers) => ({ papers })),
      opts,
    );
    return ids.length;
  }

  /** Hands papers that reached `stage` to the job that takes them on, per the pipeline table; returns the number of jobs. */
  async enqueueNext(stage: PaperStage, refs: readonly PaperRef[], batchSize: number, opts: EnqueueOptions = {}): Promise<number> {
    const job = nextJobOf(stage);
    if (!job) throw new Error(`no job takes papers on from stage "${stage}"`);
    return this.enqueuePapers(job, refs, batchSize, opts);
  }

  /**
   * Waits up to `ms` for a job to finish, by BullMQ's `waitUntilFinished` on a QueueEvents of its own (its own
   * connection, closed after): `completed` with the job's return value, `failed` with its failure when it failed for
   * good, null when the time ran out first or there is no such job. A failed attempt waiting for its retry has not
   * finished; with `untilRetry` the wait ends there too: `retrying`, with the failure and when the retry runs (the
   * job already waiting for one when the wait begins answers so at once). No polling: one read of the job, the
   * events stream, a read of the job or its state when the wait ends otherwise.
   */
  async waitForJob(name: QueueName, jobId: string, ms: number, opts: { untilRetry?: boolean } = {}): Promise<JobOutcome | null> {
    if (!(ms > 0)) return null;
    const queue = this.get(name);
    const job = await queue.getJob(jobId);
    if (!job) return null;
    // (a connection of its own, made from the shared one's options: it blocks on the events stream, so it must not
    // give up a command after a few retries as the CLI's connection does)
    const events = new QueueEvents(name, { connection: { ...this.connection.options, maxRetriesPerRequest: null }, prefix: this.prefix });
    // (errors surface as a wait that times out)
    events.on('error', () => undefined);
    try {
      const finished = job.waitUntilFinished(events, ms).then((returnvalue: unknown): JobOutcome => ({ state: 'completed', returnvalue }));
      if (!opts.untilRetry) return await finished;
      const retrying = new Promise<JobOutcome>((resolve) => {
        const check = (at?: number) =>
          void this.retryOutcome(queue, jobId, at).then((o) => o && resolve(o), () => undefined);
        // the retry's due time is the event's `delay` (epoch ms)
        events.on('delayed', ({ jobId: id, delay }) => id === jobId && check(Number(delay)));
        void events.waitUntilReady().then(() => check(), () => undefined);
      });
      return await Promise.race([finished, retrying]);
    } catch (err) {
      // BullMQ rejects a timed-out wait as it rejects a failure: the job's state tells them apart
      return (await queue.getJobState(jobId)) === 'failed' ? { state: 'failed', reason: (err as Error).message } : null;
    } finally {
      await events.close();
    }
  }

  /** A job waiting for its retry after a failed attempt: the failure and when the retry runs; else null. */
  private async retryOutcome(queue: Queue, jobId: string, at?: number): Promise<JobOutcome | null> {
    const job = await queue.getJob(jobId);
    if (!job || job.attemptsMade === 0 || !job.failedReason || (await job.getState()) !== 'delayed') return null;
    let due = at;
    if (due === undefined || !Number.isFinite(due)) {
      // the delayed set's score is the due time × 0x1000, plus a counter
      const score = await ((await queue.client) as unknown as Redis).zscore(queue.keys.delayed, jobId);
      due = score === null ? undefined : Math.floor(Number(score) / 0x1000);
    }
    return { state: 'retrying', reason: job.failedReason, nextAttemptAt: due ?? null };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** How a job finished (`QueueSet.waitForJob`). */
export type JobOutcome =
  | { state: 'completed'; returnvalue: unknown }
  | { state: 'failed'; reason: string }
  /** a failed attempt waits for its retry (`waitForJob` with `untilRetry`): when it runs, epoch ms (null: unknown) */
  | { state: 'retrying'; reason: string; nextAttemptAt: number | null };

export interface QueueDepth {
  queue: QueueName;
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
    ALL_QUEUES.map(async (name) => {
      const c = await set.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused');
      return {
        queue: name,
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

/** What the full-text index still has to catch up on (the search-lag gauges, the ops page). */
export interface SearchLag {
  /** age of the oldest pending index-search job (when its papers were parsed, or swept), 0 when none */
  oldestSeconds: number;
  /** papers named by pending index-search jobs (a paper in two jobs counts twice) */
  papers: number;
  /** pending index-search jobs */
  jobs: number;
}

/** Job states in which an index-search job's papers still wait for their vectors (failed ones are in the failed set). */
const PENDING_STATES = ['wait', 'paused', 'prioritized', 'delayed', 'active'] as const;
const TIMESTAMP_READS = 1000;

/**
 * How far the full-text vectors are behind, read from the index-search queue alone: the job ids of
 * its pending jobs (a job id says how many papers it names, `papersInBatchJobId`) and each job's
 * `timestamp` (when it was added: right after the parser's commit, or a swept paper's time). Costs
 * one range read and one HGET per pending job, each naming up to 500 papers: what it returns, never
 * a scan of papers or paper_search (during the 2.5M backfill on the old design, 1.42M papers were
 * ~2,900 jobs).
 */
export async function searchLag(set: QueueSet, now = Date.now()): Promise<SearchLag> {
  const queue = set.get(JOB_QUEUE['index-search']);
  const papersOf = (id: string) => papersInBatchJobId(SEARCH_JOB_PREFIX, id);
  const ids = (await queue.getRanges([...PENDING_STATES], 0, -1)).filter((id) => papersOf(id) > 0);
  let oldest = now;
  const client = (await queue.client) as unknown as Redis;
  for (const part of chunk(ids, TIMESTAMP_READS)) {
    const pipe = client.pipeline();
    for (const id of part) pipe.hget(queue.toKey(id), 'timestamp');
    for (const [, ts] of (await pipe.exec()) ?? []) {
      const t = Number(ts);
      if (Number.isFinite(t) && t > 0 && t < oldest) oldest = t;
    }
  }
  return {
    oldestSeconds: Math.max(0, (now - oldest) / 1000),
    papers: ids.reduce((n, id) => n + papersOf(id), 0),
    jobs: ids.length,
  };
}

/** Fetches per source read at most (delayed retries, waiting manual polls): the fetch queue holds a few per source. */
const FETCHES_READ = 1000;
/** The source a fetch job is for, by its id: `fetch-<source id>[-variant]` (jobIdOf) or a schedule's `repeat:source-<id>:<due>`. */
const FETCH_JOB_SOURCE = /^(?:fetch-|repeat:source-)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[-:]|$)/;

/**
 * When each source is next fetched: the sooner of its schedule's next run (the fetcher's job scheduler
 * `source-<id>`) and a fetch already queued for it (a retry waiting out its backoff, a manual poll). A source
 * with neither (polled on demand only, or disabled) is missing from the map. Epoch milliseconds.
 * Reads ids and scores only (the job ids name their source; a job whose id does not has its data read): four
 * round trips and a few commands whatever the number of queued fetches, not a job hash per fetch (1,571 commands,
 * ~45 ms with 1,000 queued; 3,039 and ~94 ms with 10,000).
 */
export async function sourceNextFetches(set: QueueSet): Promise<Map<string, number>> {
  const queue = set.get(JOB_QUEUE['fetch-source']);
  const client = (await queue.client) as unknown as Redis;
  const next = new Map<string, number>();
  const sooner = (id: string | undefined, at: number | undefined) => {
    if (!id || at === undefined || !Number.isFinite(at)) return;
    const seen = next.get(id);
    if (seen === undefined || at < seen) next.set(id, at);
  };
  // the schedules: the scheduler set's score is its next run
  const schedules = await client.zrange(queue.keys.repeat, 0, -1, 'WITHSCORES');
  for (let i = 0; i < schedules.length; i += 2)
    if (schedules[i].startsWith('source-')) sooner(schedules[i].slice('source-'.length), Number(schedules[i + 1]));
  // queued now: fetched as soon as a worker is free
  const now = Date.now();
  const queued: [string, number][] = (await queue.getRanges(['waiting', 'paused', 'prioritized'], 0, FETCHES_READ - 1)).map((id) => [id, now]);
  // delayed (a retry's backoff, a scheduler's next run): the delayed set's score is the due time × 0x1000, plus a counter
  const delayed = await client.zrange(queue.keys.delayed, 0, FETCHES_READ - 1, 'WITHSCORES');
  for (let i = 0; i < delayed.length; i += 2) queued.push([delayed[i], Math.floor(Number(delayed[i + 1]) / 0x1000)]);
  const unnamed: [string, number][] = [];
  for (const [id, at] of queued) {
    const source = FETCH_JOB_SOURCE.exec(id)?.[1];
    if (source) sooner(source, at);
    else unnamed.push([id, at]);
  }
  if (unnamed.length > 0) {
    const pipe = client.pipeline();
    for (const [id] of unnamed) pipe.hget(queue.toKey(id), 'data');
    const data = (await pipe.exec()) ?? [];
    unnamed.forEach(([, at], i) => {
      const raw = data[i]?.[1];
      let sourceId: unknown;
      try {
        sourceId = typeof raw === 'string' ? (JSON.parse(raw) as { sourceId?: unknown } | null)?.sourceId : undefined;
      } catch {
        sourceId = undefined;
      }
      if (typeof sourceId === 'string') sooner(sourceId, at);
    });
  }
  return next;
}
