import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import {
  InvalidJobPayloadError,
  JOB_QUEUE,
  handlerProblems,
  isJobName,
  isPaperJob,
  parseJob,
  type HandlerRegistration,
  type JobName,
  type JobOf,
  type PaperRef,
  type QueueName,
} from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import type { QueueSet } from '@paperwire/queue';
import type { Logger } from '@paperwire/telemetry';
import { Metrics } from './metrics';
import { CONFIG, LOGGER, QUEUE_SET } from './tokens';

/** `token` is the worker's lock token, needed by handlers that move their own job (e.g. `job.moveToDelayed`). */
export type JobHandlers = { [N in JobName]?: (data: JobOf<N>, job: Job, token?: string) => Promise<unknown> };

/** Thrown by services for input that can never succeed: the job goes straight to the failed set. */
export class PermanentError extends UnrecoverableError {
  /** `detail`: what is behind the message (a library's own wording), for the job's log line only. */
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * A failure its handler has logged already (e.g. the notifier's summary of an endpoint's failed attempts): a retry
 * of it is logged at debug, not warned about a second time; its final failure is still a warning.
 */
export interface ReportedFailure {
  readonly reported: true;
}

export function isReportedFailure(err: unknown): err is ReportedFailure {
  return typeof err === 'object' && err !== null && (err as { reported?: unknown }).reported === true;
}

/** This run is the job's last attempt: a failure now is final (dead-lettered, or marked failed). */
export function isLastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** The handlers registered in this process, one entry per stage worker. */
const registrations: HandlerRegistration[] = [];

/**
 * Registers a worker's handlers, and refuses (throws) when a job of its queue has no handler here or
 * has two in this process, or when it handles a job of another queue: start-up fails with the reason.
 */
export function registerHandlers(reg: HandlerRegistration): void {
  const problems = handlerProblems([...registrations.filter((r) => r.queue === reg.queue), reg], [reg.queue]);
  if (problems.length > 0) throw new Error(`job handlers do not match the pipeline table: ${problems.join('; ')}`);
  registrations.push(reg);
}

/**
 * Postgres refused the data itself (SQLSTATE class 22 "data exception" or 23 "integrity constraint
 * violation"): running the same batch again fails the same way, and one paper is usually the cause.
 */
export function isDataError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : e?.driverError?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** The queue of each stage worker class, as its @StageProcessor names it. */
const QUEUE_OF_WORKER = new WeakMap<object, QueueName>();

/**
 * The `@Processor` of a stage worker: its queue, a 30 s lock unless `options` says otherwise, and any
 * other BullMQ worker options. The one place a worker names its queue: StageWorker reads it from here,
 * and its handlers are checked against the pipeline table's jobs of that queue at start-up.
 */
export function StageProcessor(
  queue: QueueName,
  options: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'settings'> = {},
): ClassDecorator {
  const processor = Processor(queue, { lockDuration: 30_000, ...options });
  return (target) => {
    QUEUE_OF_WORKER.set(target, queue);
    processor(target);
  };
}

/**
 * Base of every stage processor: validates the payload, dispatches by job name, and writes one log
 * line and metrics per job. Invalid payloads are unrecoverable (no retries).
 *
 * A batch of papers fails as a whole (one transaction), so one bad paper would take its healthy
 * batch-mates to the dead-letter set with it. When a batch fails with a data error, or on its last
 * attempt whatever the error, it is split into one job per paper instead: the healthy papers go on
 * at once and only the bad one exhausts its retries and rests in the failed set with its reason.
 */
export abstract class StageWorker extends WorkerHost implements OnApplicationBootstrap {
  @Inject(LOGGER) protected readonly log!: Logger;
  @Inject(Metrics) protected readonly metrics!: Metrics;
  @Inject(QUEUE_SET) private readonly queueSet!: QueueSet;
  @Inject(CONFIG) private readonly config!: Pick<CommonEnv, 'CONCURRENCY'>;

  /** The queue named by the class's @StageProcessor. */
  protected get queueName(): QueueName {
    const queue = QUEUE_OF_WORKER.get(this.constructor);
    if (!queue) throw new Error(`${this.constructor.name} has no @StageProcessor(queue)`);
    return queue;
  }
  /** Jobs run at once when the env sets no CONCURRENCY. */
  protected readonly defaultConcurrency: number = 2;
  protected abstract handlers(): JobHandlers;

  /** Jobs this worker runs at once: the env's CONCURRENCY, else the worker's default. */
  protected concurrency(): number {
    return this.config.CONCURRENCY ?? this.defaultConcurrency;
  }

  onApplicationBootstrap(): void {
    registerHandlers(this.registration());
    this.worker.concurrency = this.concurrency();
    this.worker.on('error', (err) =>
      this.log.error({ queue: this.queueName, err: err.message }, 'worker error'),
    );
  }

  /** The jobs this worker handles, for the start-up check (and the test that runs it over every service). */
  registration(): HandlerRegistration {
    return { owner: this.constructor.name, queue: this.queueName, jobs: Object.keys(this.handlers()) };
  }

  /** The papers of a failed batch worth splitting: a data error, or the last attempt of anything but a deliberate stop. */
  private splittable(job: Job, data: unknown, err: unknown): PaperRef[] | null {
    if (!isPaperJob(job.name) || err instanceof DelayedError || err instanceof UnrecoverableError)
      return null;
    const papers = (data as { papers: PaperRef[] }).papers;
    const lastAttempt = isLastAttempt(job);
    return papers.length > 1 && (lastAttempt || isDataError(err)) ? papers : null;
  }

  /**
   * One job per paper of a failed batch, on the same queue with the default options. The ids are
   * deterministic (a redelivered split adds nothing twice) and differ from a regular one-paper
   * batch's, so neither shadows the other.
   */
  private async split(job: Job, papers: PaperRef[], cause: Error): Promise<{ split: number; cause: string }> {
    if (!isPaperJob(job.name)) throw new Error(`${job.name} is not a batch of papers`);
    await this.queueSet.enqueuePapers(job.name, papers, 1, { variant: 'split' });
    return { split: papers.length, cause: cause.message };
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const started = performance.now();
    const base = { queue: this.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    try {
      if (!isJobName(job.name)) throw new PermanentError(`no handler for job name "${job.name}"`);
      const handler = this.handlers()[job.name] as
        ((d: unknown, j: Job, t?: string) => Promise<unknown>) | undefined;
      if (!handler && JOB_QUEUE[job.name] !== this.queueName) {
        // A job queued by an earlier release on the queue that carried it then (index-search moved from
        // parse to search): handed to the queue the pipeline table names now, under its usual job id.
        const movedTo = JOB_QUEUE[job.name];
        await this.queueSet.enqueue(job.name, parseJob(job.name, job.data));
        this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome: 'moved' });
        this.log.info({ ...base, outcome: 'moved', movedTo }, 'job');
        return { movedTo };
      }
      if (!handler) throw new PermanentError(`queue ${this.queueName} has no handler for job "${job.name}"`);
      const data = parseJob(job.name, job.data);
      let result: unknown;
      try {
        result = await handler(data, job, token);
      } catch (err) {
        const papers = this.splittable(job, data, err);
        if (!papers) throw err;
        const split = await this.split(job, papers, err as Error);
        this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome: 'split' });
        this.log.warn(
          {
            ...base,
            ms: Math.round(performance.now() - started),
            outcome: 'split',
            papers: papers.length,
            err: split.cause,
          },
          'job',
        );
        return split;
      }
      const ms = performance.now() - started;
      this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome: 'completed' });
      this.metrics.jobDuration.observe({ queue: this.queueName, job: job.name }, ms / 1000);
      this.log.info({ ...base, ms: Math.round(ms), outcome: 'completed', result }, 'job');
      return result;
    } catch (err) {
      const ms = performance.now() - started;
      // The handler moved its own job to the delayed set (e.g. backpressure): not a failure.
      if (err instanceof DelayedError) {
        this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome: 'delayed' });
        this.log.debug({ ...base, ms: Math.round(ms), outcome: 'delayed' }, 'job');
        throw err;
      }
      const permanent = err instanceof UnrecoverableError || err instanceof InvalidJobPayloadError;
      const lastAttempt = isLastAttempt(job);
      const outcome = permanent || lastAttempt ? 'failed' : 'retry';
      this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome });
      this.metrics.jobDuration.observe({ queue: this.queueName, job: job.name }, ms / 1000);
      const detail = err instanceof PermanentError && err.detail ? { detail: err.detail } : {};
      const line = { ...base, ms: Math.round(ms), outcome, err: (err as Error).message, ...detail };
      if (outcome === 'retry' && isReportedFailure(err)) this.log.debug(line, 'job');
      else this.log.warn(line, 'job');
      if (err instanceof InvalidJobPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }
}
