import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import {
  InvalidJobPayloadError,
  JOB_QUEUE,
  isJobName,
  parseJob,
  type JobName,
  type JobOf,
} from '@paperwire/contracts';
import type { Logger } from '@paperwire/telemetry';
import { Metrics } from './metrics';
import { LOGGER } from './tokens';

/** `token` is the worker's lock token, needed by handlers that move their own job (e.g. `job.moveToDelayed`). */
export type JobHandlers = { [N in JobName]?: (data: JobOf<N>, job: Job, token?: string) => Promise<unknown> };

/** Thrown by services for input that can never succeed: the job goes straight to the failed set. */
export class PermanentError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * Base of every stage processor: validates the payload, dispatches by job name, and writes one log
 * line and metrics per job. Invalid payloads are unrecoverable (no retries).
 */
export abstract class StageWorker extends WorkerHost implements OnApplicationBootstrap {
  @Inject(LOGGER) protected readonly log!: Logger;
  @Inject(Metrics) protected readonly metrics!: Metrics;

  protected abstract readonly queueName: string;
  protected abstract readonly concurrency: number;
  protected abstract handlers(): JobHandlers;

  onApplicationBootstrap(): void {
    const handlers = this.handlers();
    const expected = (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => JOB_QUEUE[n] === this.queueName);
    const missing = expected.filter((n) => !handlers[n]);
    const foreign = (Object.keys(handlers) as JobName[]).filter((n) => JOB_QUEUE[n] !== this.queueName);
    if (foreign.length > 0) throw new Error(`${this.queueName}: handlers for jobs of other queues: ${foreign.join(', ')}`);
    if (missing.length > 0) this.log.warn({ queue: this.queueName, missing }, 'jobs of this queue without a handler here');
    this.worker.concurrency = this.concurrency;
    this.worker.on('error', (err) => this.log.error({ queue: this.queueName, err: err.message }, 'worker error'));
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const started = performance.now();
    const base = { queue: this.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    try {
      if (!isJobName(job.name)) throw new PermanentError(`no handler for job name "${job.name}"`);
      const handler = this.handlers()[job.name] as ((d: unknown, j: Job, t?: string) => Promise<unknown>) | undefined;
      if (!handler) throw new PermanentError(`queue ${this.queueName} has no handler for job "${job.name}"`);
      const data = parseJob(job.name, job.data);
      const result = await handler(data, job, token);
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
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = permanent || lastAttempt ? 'failed' : 'retry';
      this.metrics.jobs.inc({ queue: this.queueName, job: job.name, outcome });
      this.metrics.jobDuration.observe({ queue: this.queueName, job: job.name }, ms / 1000);
      this.log.warn({ ...base, ms: Math.round(ms), outcome, err: (err as Error).message }, 'job');
      if (err instanceof InvalidJobPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }
}
