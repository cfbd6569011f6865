import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';

// Queue names are kebab-case without ':' (BullMQ forbids ':' in queue names and job ids). Every
// queue a process produces to or consumes is one of these; the pipeline table says which job
// travels on which.
export const QUEUE_NAMES = ['fetch', 'parse', 'search', 'classify', 'extract', 'notify', 'deliver', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
export const QUEUES = Object.fromEntries(QUEUE_NAMES.map((q) => [q, q])) as { readonly [Q in QueueName]: Q };
export const ALL_QUEUES: readonly QueueName[] = QUEUE_NAMES;
export const isQueueName = (name: string): name is QueueName => (QUEUE_NAMES as readonly string[]).includes(name);

/** Default options for every job: bounded retries with exponential backoff and jitter, bounded retention. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 10_000 },
  // Failed jobs are the dead-letter set: keep them for a week so operators can read and retry them.
  removeOnFail: { age: 7 * 24 * 3600, count: 100_000 },
};

/** Deliveries retry for hours (webhook endpoints go down for a while). */
export const DELIVER_JOB_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  attempts: 15,
  backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
};

export function defaultJobOptionsFor(queue: QueueName): JobsOptions {
  return queue === QUEUES.deliver ? DELIVER_JOB_OPTIONS : DEFAULT_JOB_OPTIONS;
}

export interface PaperRef {
  paperId: string;
  contentHash: string;
}

function digest(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/**
 * Deterministic job id for a batch of papers on a queue (or of a job, `prefix`): the same papers at the
 * same content hashes always give the same id, so a re-enqueue while the earlier job exists is a no-op.
 */
export function batchJobId(prefix: string, refs: readonly PaperRef[]): string {
  if (refs.length === 1) return `${prefix}-${refs[0].paperId}-${refs[0].contentHash.slice(0, 16)}`;
  const keys = refs.map((r) => `${r.paperId}.${r.contentHash}`).sort();
  return `${prefix}-b${refs.length}-${digest(keys)}`;
}

/**
 * The number of papers a job id built by `batchJobId` names (with or without a variant suffix): `n` for
 * `<prefix>-b<n>-…`, else 1. Lets a queue's pending papers be counted from its job ids alone, without
 * reading any payload.
 */
export function papersInBatchJobId(prefix: string, jobId: string): number {
  if (!jobId.startsWith(`${prefix}-`)) return 0;
  const m = /^b(\d+)-[0-9a-f]{32}(?:-|$)/.exec(jobId.slice(prefix.length + 1));
  return m ? Number(m[1]) : 1;
}

/** The id of a batch of deliveries: the same deliveries always get the same id. */
export function deliveryBatchJobId(ids: readonly string[]): string {
  return `deliver-b${ids.length}-${digest([...ids].sort())}`;
}

/** Splits a list into batches of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
