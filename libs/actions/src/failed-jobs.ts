import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ALL_QUEUES, DELIVER_JOB_OPTIONS, JOB_QUEUE, isQueueName, type QueueName } from '@paperwire/contracts';
import { deliveryStatuses, getSource, isUuid, type Db } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { ActionError } from './errors';
import { invalidField, limitSchema, queryEnum, validate } from './validate';

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

export const failedJobsQuerySchema = z.object({ queue: queryEnum(FAILED_JOB_QUEUES as [QueueName, ...QueueName[]]).optional(), limit: limitSchema });

const toFailedJob = (queue: string, j: Job): FailedJob => ({
  queue,
  id: String(j.id),
  name: j.name,
  failedReason: j.failedReason ?? '',
  attemptsMade: j.attemptsMade,
  failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
  data: j.data,
});

/**
 * The newest failed jobs, of one queue or of all, newest first. A read only: a failure superseded by its
 * delivery's later success (a redelivery; the notifier removes it as it delivers, the sweeper any left over) is
 * left out, not removed.
 */
export async function listFailedJobs(db: Db, queues: QueueSet, query: { queue?: string; limit?: number | string }): Promise<FailedJob[]> {
  const { queue, limit } = validate(failedJobsQuerySchema, query, 'query');
  const superseded = !queue || queue === 'deliver' ? await supersededDeliverFailures(db, queues) : new Set<string>();
  return newestFailedJobs(queues, queue ? [queue] : FAILED_JOB_QUEUES, limit, superseded);
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

/** Failed deliver jobs looked at per lookup of superseded failures: the newest, where a redelivery's superseded failure is. */
export const DELIVERED_FAILURES_SCAN = 100;

/** Of failed `deliver` jobs, those whose deliveries were all delivered since: one primary-key lookup of their deliveries. */
async function superseded(db: Db, jobs: readonly Job[]): Promise<Job[]> {
  const ids = jobs.map((j) => [j, deliveriesOf(j)] as const);
  const status = await deliveryStatuses(db, [...new Set(ids.flatMap(([, d]) => d))]);
  return ids.filter(([, d]) => deliveredSince(d, status)).map(([j]) => j);
}

/** `scan` failed `deliver` jobs, newest first, the `from` newest skipped. */
const newestFailedDeliverJobs = async (queues: QueueSet, scan: number, from = 0): Promise<Job[]> =>
  (await queues.get('deliver').getFailed(from, from + scan - 1)).filter((j) => j && j.id);

/**
 * The ids of the newest `scan` failed `deliver` jobs whose deliveries were delivered since (a 302, then a
 * successful `subscriptions redeliver`): no failure is left, and the failure views (`failed list`, the failed
 * counts of `stats`, /ops and /v1/stats/pipeline) leave them out. Reads only: one read of the failed set's head
 * and one primary-key lookup of its deliveries.
 */
export async function supersededDeliverFailures(db: Db, queues: QueueSet, scan = DELIVERED_FAILURES_SCAN): Promise<Set<string>> {
  return new Set((await superseded(db, await newestFailedDeliverJobs(queues, scan))).map((j) => String(j.id)));
}

/**
 * Per queue, how many failed jobs the failure views leave out (the superseded `deliver` failures): what the failed
 * gauge (`paperwire_queue_depth{state="failed"}`, CoreOptions.failedLeftOut) leaves out too, to agree with them.
 */
export async function failedLeftOut(db: Db, queues: QueueSet): Promise<{ deliver: number }> {
  return { deliver: (await supersededDeliverFailures(db, queues)).size };
}

/** Queue depths whose `deliver` failed count leaves out the superseded failures (`supersededDeliverFailures`). */
export function withoutSuperseded<T extends { queue: string; failed: number }>(depths: T[], superseded: ReadonlySet<string>): T[] {
  return depths.map((d) => (d.queue === 'deliver' && superseded.size > 0 ? { ...d, failed: Math.max(0, d.failed - superseded.size) } : d));
}

/** How long a delivery's index of failed jobs lives after its last entry: as long as a failed job is kept (removeOnFail's age), and a day. */
const keptFailed = DELIVER_JOB_OPTIONS.removeOnFail;
const FAILURES_INDEX_TTL_SECONDS = (typeof keptFailed === 'object' && 'age' in keptFailed ? keptFailed.age : 7 * 24 * 3600) + 24 * 3600;

/** A delivery's index of the `deliver` jobs that failed for good with it: a set of job ids, beside the queue's keys. */
const failuresKey = (deliver: Queue, deliveryId: string) => deliver.toKey(`failures-of:${deliveryId}`);

const redisOf = async (deliver: Queue): Promise<Redis> => (await deliver.client) as unknown as Redis;

/**
 * The notifier's side of a `deliver` job failing for good (called before it throws, so the job is indexed before it
 * is in the failed set): the job's id goes in the index of each of its deliveries, which `clearFailuresOfDelivered`
 * reads when one of them is delivered. One round trip. A failure that is not indexed (the process died first, a
 * job stalled too often, one from before the index) is found by the views' scan and cleared by the sweeper's.
 */
export async function indexDeliverFailure(queues: QueueSet, jobId: string, deliveryIds: readonly string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  const deliver = queues.get('deliver');
  const pipe = (await redisOf(deliver)).pipeline();
  for (const id of deliveryIds) pipe.sadd(failuresKey(deliver, id), jobId).expire(failuresKey(deliver, id), FAILURES_INDEX_TTL_SECONDS);
  await pipe.exec();
}

/** Takes job ids out of deliveries' indexes ([delivery id, job id] pairs): one pipelined round trip. */
async function unindex(deliver: Queue, entries: readonly (readonly [string, string])[]): Promise<void> {
  if (entries.length === 0) return;
  const pipe = (await redisOf(deliver)).pipeline();
  for (const [deliveryId, jobId] of entries) pipe.srem(failuresKey(deliver, deliveryId), jobId);
  await pipe.exec();
}

/** Removes failed `deliver` jobs, and their entries in their deliveries' indexes; returns how many. */
const removeAll = async (queues: QueueSet, jobs: readonly Job[]): Promise<number> => {
  // a job retried or removed meanwhile is no longer in the failed set: nothing to remove
  await Promise.all([
    ...jobs.map((j) => j.remove().catch(() => undefined)),
    unindex(queues.get('deliver'), jobs.flatMap((j) => deliveriesOf(j).map((d) => [d, String(j.id)] as const))).catch(() => undefined),
  ]);
  return jobs.length;
};

/**
 * Removes from the failed set those of `scan` failed `deliver` jobs (newest first, the `from` newest skipped)
 * whose deliveries were delivered since: the sweeper's pass for leftovers (failures from before the notifier
 * removed them as it delivers, one whose removal failed), and `failed retry-all`'s. Returns how many were removed.
 */
export async function clearDeliveredFailures(db: Db, queues: QueueSet, scan = DELIVERED_FAILURES_SCAN, from = 0): Promise<number> {
  return removeAll(queues, await superseded(db, await newestFailedDeliverJobs(queues, scan, from)));
}

/**
 * The writer's side: `deliveryIds` were just delivered; removes the failed `deliver` jobs of theirs that nothing
 * failing is left in, found through the deliveries' indexes (`indexDeliverFailure`): never a read of the failed
 * set. A delivery that never failed for good costs one command of one round trip (its index is empty); one that did,
 * three more round trips (its failed jobs and their states, their deliveries' statuses in Postgres, the removal),
 * however many failed jobs there are. Index entries of jobs no longer failed (retried, removed) are dropped. Returns
 * how many jobs were removed.
 */
export async function clearFailuresOfDelivered(db: Db, queues: QueueSet, deliveryIds: readonly string[]): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const deliver = queues.get('deliver');
  const pipe = (await redisOf(deliver)).pipeline();
  for (const id of deliveryIds) pipe.smembers(failuresKey(deliver, id));
  const indexed = ((await pipe.exec()) ?? []).flatMap(([, ids], i) => (Array.isArray(ids) ? ids.map((jobId) => [deliveryIds[i]!, String(jobId)] as const) : []));
  if (indexed.length === 0) return 0;
  const jobIds = [...new Set(indexed.map(([, jobId]) => jobId))];
  const found = await Promise.all(
    jobIds.map(async (id) => {
      const [state, job] = await Promise.all([deliver.getJobState(id), deliver.getJob(id)]);
      return state === 'failed' && job?.id ? job : undefined;
    }),
  );
  const failed = found.filter((j): j is Job => j !== undefined);
  const stillFailed = new Set(failed.map((j) => String(j.id)));
  await unindex(deliver, indexed.filter(([, jobId]) => !stillFailed.has(jobId)));
  return removeAll(queues, await superseded(db, failed));
}

/**
 * The newest `limit` failed jobs of `names` together, newest first (the queues are trusted, `limit` ≥ 1), but
 * the `deliver` jobs of `skipDeliver` (superseded failures: see `supersededDeliverFailures`).
 */
export async function newestFailedJobs(queues: QueueSet, names: readonly QueueName[], limit: number, skipDeliver: ReadonlySet<string> = new Set()): Promise<FailedJob[]> {
  const lists = await Promise.all(
    names.map(async (name) => {
      const skip = name === 'deliver' ? skipDeliver : new Set<string>();
      const jobs = (await queues.get(name).getFailed(0, limit + skip.size - 1)).filter((j) => j && j.id && !skip.has(String(j.id)));
      return jobs.map((j) => toFailedJob(name, j));
    }),
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

/** The source a `fetch-source` job fetches, or null (another job of the fetch queue). */
function sourceOf(job: Job): string | null {
  const id = (job.data as { sourceId?: unknown } | undefined)?.sourceId;
  return typeof id === 'string' && isUuid(id) ? id : null;
}

/** Whether a fetch job's source was removed since: a retry would fail again at once ("source … does not exist"). */
async function sourceGone(db: Db, job: Job): Promise<boolean> {
  const id = sourceOf(job);
  return id !== null && (await getSource(db, id)) === null;
}

/**
 * Removes the failed and delayed (retrying) fetch jobs of a source that is removed: they would only fail again, and
 * stay listed as failures of nothing. Returns how many. (A job that is running finishes, failing on its own.)
 */
export async function clearFetchJobsOfSource(queues: QueueSet, sourceId: string): Promise<number> {
  const jobs = await queues.get(JOB_QUEUE['fetch-source']).getJobs(['failed', 'delayed']);
  const mine = jobs.filter((j) => j && sourceOf(j) === sourceId);
  for (const j of mine) await j.remove().catch(() => undefined);
  return mine.length;
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
      await removeAll(queues, [job]);
      throw new ActionError('conflict', `already delivered: ${deliveries.length === 1 ? 'its delivery was' : 'its deliveries were'} delivered since this job failed (a redelivery); nothing to retry, and the failure is cleared`);
    }
  }
  if (queue === JOB_QUEUE['fetch-source'] && (await sourceGone(db, job))) {
    await job.remove().catch(() => undefined);
    throw new ActionError('conflict', `its source was removed since this job failed (${sourceOf(job)}): nothing to fetch, so nothing to retry; the failure is cleared`);
  }
  await job.retry('failed');
  return { queue, jobId, state: await job.getState() };
}

/** Retries every failed job of a queue (but deliveries delivered since: their failures are cleared); returns how many. */
export async function retryAllFailedJobs(db: Db, queues: QueueSet, queue: string): Promise<{ queue: string; retried: number }> {
  if (knownQueue(queue) === 'deliver') await clearDeliveredFailures(db, queues, Number.MAX_SAFE_INTEGER);
  const failed = await queues.get(knownQueue(queue)).getFailed(0, -1);
  let retried = 0;
  for (const job of failed) {
    // a fetch of a source removed since would fail again at once: its failure is cleared instead
    if (queue === JOB_QUEUE['fetch-source'] && (await sourceGone(db, job))) {
      await job.remove().catch(() => undefined);
      continue;
    }
    await job.retry('failed');
    retried++;
  }
  return { queue, retried };
}
