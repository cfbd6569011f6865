import { z } from 'zod';

const uuid = z.string().uuid();
const paperRef = z.object({ paperId: uuid, contentHash: z.string().regex(/^[0-9a-f]{64}$/) });
const paperBatch = z.object({ papers: z.array(paperRef).min(1).max(1000) });

// One schema per job name; the queue a job travels on is fixed by its name.
export const JOB_SCHEMAS = {
  'fetch-source': z.object({
    sourceId: uuid,
    /** set by backfills: where to resume (page cursor); normally read from the source's checkpoint */
    reason: z.enum(['schedule', 'manual', 'backfill', 'startup']).default('schedule'),
  }),
  'parse-document': z.object({ rawDocumentId: uuid }),
  'classify-papers': paperBatch,
  'extract-claims': paperBatch,
  'match-subscriptions': paperBatch,
  /** papers whose title or abstract changed: compute their full-text vectors (no stage; not a `papers` batch) */
  'index-search': z.object({ refs: z.array(paperRef).min(1).max(1000) }),
  /** a resumed instant subscription: match the papers notified while it was paused (`since`) */
  'backfill-subscription': z.object({ subscriptionId: uuid, since: z.string().datetime({ offset: true }) }),
  /** one delivery (retries, the sweeper, a resume), or a batch of one subscription's (live matching) */
  'deliver': z.union([z.object({ deliveryId: uuid }), z.object({ deliveryIds: z.array(uuid).min(1).max(100) })]),
  'send-digest': z.object({ subscriptionId: uuid }),
  'send-confirmation': z.object({ subscriptionId: uuid }),
  'reconcile': z.object({}).passthrough(),
} as const;

export type JobName = keyof typeof JOB_SCHEMAS;
export type JobOf<N extends JobName> = z.infer<(typeof JOB_SCHEMAS)[N]>;

/**
 * How far a resumed subscription's backfill reaches: papers notified since it was paused, at most
 * `maxAgeMs` back and `maxPapers` of them, oldest first (a subscription paused for weeks gets the
 * last week, not a flood). `overlapMs` reaches a little before the pause: a match transaction that
 * began before the pause committed (so the paper's notified_at precedes it) but inserted after it
 * recorded nothing; deliveries are unique per subscription and paper, so the overlap never sends twice.
 */
export const SUBSCRIPTION_BACKFILL = {
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxPapers: 10_000,
  overlapMs: 60_000,
} as const;

/** The first notified_at a backfill of a subscription paused at `pausedAt` looks at, as of `now`. */
export function backfillStart(pausedAt: Date, now: Date): Date {
  return new Date(
    Math.max(
      pausedAt.getTime() - SUBSCRIPTION_BACKFILL.overlapMs,
      now.getTime() - SUBSCRIPTION_BACKFILL.maxAgeMs,
    ),
  );
}

export class InvalidJobPayloadError extends Error {
  constructor(
    readonly jobName: string,
    readonly issues: string,
  ) {
    super(`invalid payload for job ${jobName}: ${issues}`);
    this.name = 'InvalidJobPayloadError';
  }
}

/** Validates a job's data at the consumer. Throws InvalidJobPayloadError (never worth retrying). */
export function parseJob<N extends JobName>(name: N, data: unknown): JobOf<N> {
  const schema = JOB_SCHEMAS[name] as z.ZodTypeAny;
  const res = schema.safeParse(data);
  if (!res.success) {
    throw new InvalidJobPayloadError(
      name,
      res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  return res.data as JobOf<N>;
}

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_SCHEMAS, name);
}
