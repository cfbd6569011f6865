import type { Job } from 'bullmq';
import { z } from 'zod';
import { ALL_QUEUES, isQueueName, type QueueName } from '@paperwire/contracts';
import { deliveryStatuses, isUuid, type Db } from '@paperwire/db';
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

/** The newest failed jobs, of one queue or of all, newest first (failures of deliveries delivered since cleared first). */
export async function listFailedJobs(db: Db, queues: QueueSet, query: { queue?: string; limit?: number | string }): Promise<FailedJob[]> {
  const { queue, limit } = validate(failedJobsQuerySchema, query, 'query');
  if (!queue || queue === 'deliver') await clearDeliveredFailures(db, queues);
  return newestFailedJobs(queues, queue ? [queue] : FAILED_JOB_QUEUES, limit);
}

/** The deliveries a `deliver` job sends (one, or a batch of one subscription's). */
function deliveriesOf(job: Job): string[] {
  const data = job.data as { deliveryId?: unknown; deliveryIds?: unknown } | undefined;
  const ids = Array.isArray(data?.deliveryIds) ? data.deliveryIds : [data?.deliveryId];
  return ids.filter((id): id is string => typeof id === 'string' && isUuid(id));
}

/** A failed `deliver` job whose deliveries were all delivered since (a redelivery, a resume's re-send): nothing is left failing. */
const deliveredSince = (ids: string[], status: Map<string, string>): boolean =>
  ids.length > 0 && ids.every((id) => status.get(id) === 'delivered' || status.get(id) === 'skipped') && ids.some((id) => status.get(id) === 'delivered');

/** Failed deliver jobs looked at per clearing: the newest, where a redelivery's superseded failure is. */
export const DELIVERED_FAILURES_SCAN = 100;

/**
 * Removes from the failed set the newest `deliver` jobs whose deliveries were delivered since (a 302, then a
 * successful `subscriptions redeliver`): the failure is over, and `failed list`, the queue's failed count in
 * `stats` and /ops' recent failures stop showing it. One read of the failed set's head and one primary-key
 * lookup of its deliveries; returns how many were removed.
 */
export async function clearDeliveredFailures(db: Db, queues: QueueSet, scan = DELIVERED_FAILURES_SCAN): Promise<number> {
  const jobs = (await queues.get('deliver').getFailed(0, scan - 1)).filter((j) => j && j.id);
  const ids = jobs.map((j) => [j, deliveriesOf(j)] as const);
  const status = await deliveryStatuses(db, [...new Set(ids.flatMap(([, d]) => d))]);
  const done = ids.filter(([, d]) => deliveredSince(d, status)).map(([j]) => j);
  // a job retried or removed meanwhile is no longer in the failed set: nothing to remove
  await Promise.all(done.map((j) => j.remove().catch(() => undefined)));
  return done.length;
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

/** Retries one failed job; a job that is not failed is a conflict, as is a delivery delivered since (the failure is cleared). */
export async function retryFailedJob(db: Db, queues: QueueSet, queue: string, jobId: string): Promise<{ queue: string; jobId: string; state: string }> {
  const job = await queues.get(knownQueue(queue)).getJob(jobId);
  if (!job) throw new ActionError('not-found', 'no such job');
  const state = await job.getState();
  if (state !== 'failed') throw new ActionError('conflict', `job is ${state}, not failed`);
  if (queue === 'deliver') {
    const deliveries = deliveriesOf(job);
    if (deliveredSince(deliveries, await deliveryStatuses(db, deliveries))) {
      await job.remove().catch(() => undefined);
      throw new ActionError('conflict', `already delivered: ${deliveries.length === 1 ? 'its delivery was' : 'its deliveries were'} delivered since this job failed (a redelivery); nothing to retry, and the failure is cleared`);
    }
  }
  await job.retry('failed');
  return { queue, jobId, state: await job.getState() };
}

/** Retries every failed job of a queue (but deliveries delivered since: their failures are cleared); returns how many. */
export async function retryAllFailedJobs(db: Db, queues: QueueSet, queue: string): Promise<{ queue: string; retried: number }> {
  if (knownQueue(queue) === 'deliver') await clearDeliveredFailures(db, queues, Number.MAX_SAFE_INTEGER);
  const failed = await queues.get(knownQueue(queue)).getFailed(0, -1);
  for (const job of failed) await job.retry('failed');
  return { queue, retried: failed.length };
}
