import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';

// Queue names are kebab-case without ':' (BullMQ forbids ':' in queue names and job ids).
export const QUEUES = {
  fetch: 'fetch',
  parse: 'parse',
  classify: 'classify',
  extract: 'extract',
  notify: 'notify',
  deliver: 'deliver',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

/** The paper stages recorded in papers.stage, in pipeline order. */
export const PAPER_STAGES = ['parsed', 'classified', 'extracted', 'notified'] as const;
export type PaperStage = (typeof PAPER_STAGES)[number];

/** Queue that consumes papers sitting in a given stage. */
export const NEXT_QUEUE_FOR_STAGE: Record<Exclude<PaperStage, 'notified'>, QueueName> = {
  parsed: QUEUES.classify,
  classified: QUEUES.extract,
  extracted: QUEUES.notify,
};

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

export interface PaperRef {
  paperId: string;
  contentHash: string;
}

function digest(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/**
 * Deterministic job id for a batch of papers at a stage: the same papers at the same content hashes
 * always give the same id, so a re-enqueue while the earlier job exists is a no-op.
 */
export function batchJobId(stage: QueueName, refs: readonly PaperRef[]): string {
  if (refs.length === 1) return `${stage}-${refs[0].paperId}-${refs[0].contentHash.slice(0, 16)}`;
  const keys = refs.map((r) => `${r.paperId}.${r.contentHash}`).sort();
  return `${stage}-b${refs.length}-${digest(keys)}`;
}

export function jobIdFor(stage: QueueName, entityId: string, contentHash?: string): string {
  return contentHash ? `${stage}-${entityId}-${contentHash.slice(0, 16)}` : `${stage}-${entityId}`;
}

/** Splits a list into batches of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
