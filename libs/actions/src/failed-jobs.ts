import type { Job } from 'bullmq';
import { z } from 'zod';
import { ALL_QUEUES, isQueueName, type QueueName } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { ActionError } from './errors';
import { invalidField, limitSchema, validate } from './validate';

/** Every queue that can hold failed jobs: the pipeline's, the maintenance queue among them. */
export const FAILED_JOB_QUEUES: readonly QueueName[] = ALL_QUEUES;

/** A failed job (the dead-letter set) as the API returns it and the CLI prints it. */
export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
  data: unknown;
}

export const failedJobsQuerySchema = z.object({ queue: z.enum(FAILED_JOB_QUEUES as [QueueName, ...QueueName[]]).optional(), limit: limitSchema });

const toFailedJob = (queue: string, j: Job): FailedJob => ({
  queue,
  id: String(j.id),
  name: j.name,
  failedReason: j.failedReason ?? '',
  attemptsMade: j.attemptsMade,
  failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
  data: j.data,
});

/** The newest failed jobs, of one queue or of all, newest first. */
export async function listFailedJobs(queues: QueueSet, query: { queue?: string; limit?: number | string }): Promise<FailedJob[]> {
  const { queue, limit } = validate(failedJobsQuerySchema, query, 'query');
  return newestFailedJobs(queues, queue ? [queue] : FAILED_JOB_QUEUES, limit);
}

/** The newest `limit` failed jobs of `names` together, newest first (the queues are trusted, `limit` ≥ 1). */
export async function newestFailedJobs(queues: QueueSet, names: readonly QueueName[], limit: number): Promise<FailedJob[]> {
  const lists = await Promise.all(
    names.map(async (name) => (await queues.get(name).getFailed(0, limit - 1)).filter((j) => j && j.id).map((j) => toFailedJob(name, j))),
  );
  return lists
    .flat()
    .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
    .slice(0, limit);
}

function knownQueue(queue: string): QueueName {
  if (!isQueueName(queue)) throw invalidField(`unknown queue ${JSON.stringify(queue.slice(0, 50))}`, 'queue', `one of ${FAILED_JOB_QUEUES.join(', ')}`);
  return queue;
}

/** Retries one failed job; a job that is not failed is a conflict. */
export async function retryFailedJob(queues: QueueSet, queue: string, jobId: string): Promise<{ queue: string; jobId: string; state: string }> {
  const job = await queues.get(knownQueue(queue)).getJob(jobId);
  if (!job) throw new ActionError('not-found', 'no such job');
  const state = await job.getState();
  if (state !== 'failed') throw new ActionError('conflict', `job is ${state}, not failed`);
  await job.retry('failed');
  return { queue, jobId, state: await job.getState() };
}

/** Retries every failed job of a queue; returns how many. */
export async function retryAllFailedJobs(queues: QueueSet, queue: string): Promise<{ queue: string; retried: number }> {
  const failed = await queues.get(knownQueue(queue)).getFailed(0, -1);
  for (const job of failed) await job.retry('failed');
  return { queue, retried: failed.length };
}
