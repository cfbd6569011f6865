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
    const queue = this.get(JOB_QUEUE[name]);
    // a fetch is in its source's index before it is queued (sourceNextFetches finds it there)
    if (name === 'fetch-source') {
      const due = Date.now() + (rest.delay ?? 0);
      await indexFetches(queue, jobs.map((j) => [(j.data as JobOf<'fetch-source'>).sourceId, j.opts.jobId, due]));
    }
    await queue.addBulk(jobs);
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

/** A source's fetch jobs that may be queued, each scored at or before its due time (epoch ms): `sourceNextFetches` reads it. */
const sourceFetchesKey = (queue: Queue, sourceId: string) => queue.toKey(`source-fetches:${sourceId}`);

/** Puts fetch jobs in their sources' indexes, each at `due` or its sooner score already there ([source, job id, due]). */
async function indexFetches(queue: Queue, entries: readonly [sourceId: string, jobId: string, due: number][]): Promise<void> {
  if (entries.length === 0) return;
  const client = (await queue.client) as unknown as Redis;
  const pipe = client.pipeline();
  for (const [sourceId, jobId, due] of entries) pipe.zadd(sourceFetchesKey(queue, sourceId), 'LT', due, jobId);
  await pipe.exec();
}

/**
 * A fetch job starting its attempt (the fetcher calls it first): indexed at now, so a retry of it (later than now) is
 * found by `sourceNextFetches` whoever added the job (the schedule's jobs are not added through `enqueue`).
 */
export async function noteFetchAttempt(set: QueueSet, sourceId: string, jobId: string, now = Date.now()): Promise<void> {
  await indexFetches(set.get(JOB_QUEUE['fetch-source']), [[sourceId, jobId, now]]);
}

/** The source a fetch job is for, by its id: `fetch-<source id>[-variant]` (jobIdOf) or a schedule's `repeat:source-<id>:<due>`. */
const FETCH_JOB_SOURCE = /^(?:fetch-|repeat:source-)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[-:]|$)/;

/**
 * Indexes the fetch jobs queued now (their ids name their source), at 0 (at or before any due time): the fetcher runs
 * it at start-up, so fetches queued before the index was written (an upgrade) are found too. Reads every queued
 * fetch's id once; returns how many it indexed.
 */
export async function indexQueuedFetches(set: QueueSet): Promise<number> {
  const queue = set.get(JOB_QUEUE['fetch-source']);
  const ids = await queue.getRanges(['waiting', 'paused', 'prioritized', 'delayed'], 0, -1);
  const entries = ids.flatMap((id): [string, string, number][] => {
    const source = FETCH_JOB_SOURCE.exec(id)?.[1];
    return source ? [[source, id, 0]] : [];
  });
  for (const part of chunk(entries, 1000)) await indexFetches(queue, part);
  return entries.length;
}

/** Index entries read per source at a time (a source has a few queued fetches: one read answers most). */
const FETCHES_PAGE = 4;
/** An indexed job with no hash is pruned once its entry is this old (not a job being added right now). */
const MISSING_JOB_GRACE_MS = 60_000;

/**
 * sourceNextFetches' walk, in Redis (one command, its cost the entries it reads). KEYS: the fetch queue's repeat,
 * delayed and active keys; ARGV: now, page size, grace, the queue's key prefix, then the source ids. Returns
 * [source id, epoch ms, ...] for the sources with a next fetch.
 */
const NEXT_FETCHES_LUA = `
local now, pageSize, grace, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local out = {}
for a = 5, #ARGV do
  local id = ARGV[a]
  local best = redis.call('ZSCORE', KEYS[1], 'source-' .. id)
  if best then best = tonumber(best) end
  local index = prefix .. 'source-fetches:' .. id
  local offset = 0
  while not (best and best <= now) do
    local page = redis.call('ZRANGE', index, offset, offset + pageSize - 1, 'WITHSCORES')
    local removed, settled = 0, false
    for k = 1, #page, 2 do
      local jobId, score = page[k], tonumber(page[k + 1])
      if best and score >= best then settled = true break end
      local due = nil
      local delayed = redis.call('ZSCORE', KEYS[2], jobId)
      if delayed then
        due = math.floor(tonumber(delayed) / 4096)
      elseif redis.call('LPOS', KEYS[3], jobId) then
        due = now
      else
        local job = redis.call('HMGET', prefix .. jobId, 'timestamp', 'finishedOn')
        if job[2] or (not job[1] and score < now - grace) then
          redis.call('ZREM', index, jobId)
          removed = removed + 1
        elseif job[1] then
          due = now
        end
      end
      if due and (not best or due < best) then best = due end
    end
    if settled or #page < 2 * pageSize then break end
    offset = offset + pageSize - removed
  end
  if best then
    out[#out + 1] = id
    out[#out + 1] = best
  end
end
return out
`;

/**
 * When each of `sourceIds` is next fetched: the sooner of its schedule's next run (the fetcher's job scheduler
 * `source-<id>`, whose score is that run while its job waits) and a fetch queued for it (a retry waiting out its
 * backoff, a manual poll, a backfill page); a fetch waiting for a worker is due now. A source with neither (polled on
 * demand only, or disabled) is missing from the map; a fetch being attempted (active: a retry's attempt, or one that
 * waits for its host's turn) is due now, not missing. Epoch milliseconds; a time at or before now means due already
 * (of several such, the first found: the schedule's overdue run, else its first queued fetch due by now).
 *
 * Exact whatever the number of queued fetches, without reading them: each source's own index (`source-fetches:<id>`,
 * written by `enqueue` and by `noteFetchAttempt`) scores each of its jobs at or before its due time, so its entries
 * are read in score order until one scores at or after the soonest time found, or one is due by now. Each read
 * entry's job is looked up by id (its delayed score, whether it is active, whether it finished or is gone); finished
 * and gone jobs leave the index. One command (a script), its cost the entries it reads: a few per source.
 */
export async function sourceNextFetches(set: QueueSet, sourceIds: readonly string[], now = Date.now()): Promise<Map<string, number>> {
  const next = new Map<string, number>();
  const ids = [...new Set(sourceIds)];
  if (ids.length === 0) return next;
  const queue = set.get(JOB_QUEUE['fetch-source']);
  const client = (await queue.client) as unknown as Redis;
  const keys = [queue.keys.repeat, queue.keys.delayed, queue.keys.active];
  const reply = (await client.eval(NEXT_FETCHES_LUA, keys.length, ...keys, now, FETCHES_PAGE, MISSING_JOB_GRACE_MS, queue.toKey(''), ...ids)) as (string | number)[];
  for (let i = 0; i < reply.length; i += 2) next.set(String(reply[i]), Number(reply[i + 1]));
  return next;
}
