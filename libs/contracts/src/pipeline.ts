import type { JobsOptions } from 'bullmq';
import { JOB_SCHEMAS, type JobName, type JobOf } from './jobs';
import { batchJobId, deliveryBatchJobId, type PaperRef, type QueueName } from './queues';

/** The paper stages recorded in paper_stages.stage, in pipeline order (derived from the table below). */
export type PaperStage = 'parsed' | 'classified' | 'extracted' | 'notified';

export interface JobSpec<N extends JobName> {
  /** the queue the job travels on; the process that consumes it has its handler */
  readonly queue: QueueName;
  /**
   * For a batch of papers: the stage the job takes them from and the stage it moves them to. The
   * papers' order through the stages is the order of these jobs.
   */
  readonly papers?: { readonly from: PaperStage; readonly to: PaperStage };
  /** the stage a job of the first step leaves its papers at (the parser's) */
  readonly produces?: PaperStage;
  /** the job a successful run enqueues */
  readonly next?: JobName;
  /**
   * The job id of a payload: the same work always gets the same id, so adding it again while the
   * earlier job exists is a no-op. Never contains ':'.
   */
  readonly id: (data: JobOf<N>) => string;
}

/** The prefix of index-search job ids (`batchJobId`): the search-lag gauge counts papers from them. */
export const SEARCH_JOB_PREFIX = 'search';

const papersJobId =
  (queue: QueueName) =>
  (data: { papers: PaperRef[] }): string =>
    batchJobId(queue, data.papers);

/**
 * The pipeline, one row per job: its queue, the stages a batch of papers moves between, the job it
 * hands over to, and how its job id is built. Stage order, the next job of a stage, the queue of a
 * job and every job id are read from here, by the stage workers, the sweeper, the api and the CLI.
 */
export const PIPELINE: { readonly [N in JobName]: JobSpec<N> } = {
  'fetch-source': { queue: 'fetch', next: 'parse-document', id: (d) => `fetch-${d.sourceId}` },
  'parse-document': {
    queue: 'parse',
    produces: 'parsed',
    next: 'classify-papers',
    id: (d) => `parse-${d.rawDocumentId}`,
  },
  'classify-papers': {
    queue: 'classify',
    papers: { from: 'parsed', to: 'classified' },
    next: 'extract-claims',
    id: papersJobId('classify'),
  },
  'extract-claims': {
    queue: 'extract',
    papers: { from: 'classified', to: 'extracted' },
    next: 'match-subscriptions',
    id: papersJobId('extract'),
  },
  'match-subscriptions': {
    queue: 'notify',
    papers: { from: 'extracted', to: 'notified' },
    next: 'deliver',
    id: papersJobId('notify'),
  },
  // Full-text vectors, off the parser's transaction (issue #19), one statement per batch, on a queue of
  // their own: the parser process runs one worker for it (concurrency 1) next to its parse workers, so a
  // parse backlog never holds the vectors up (a low priority on the parse queue did: BullMQ priorities
  // are strict, and during the 2.5M backfill 1.42M papers waited 16 minutes for theirs). The id carries
  // the content hashes, so a changed abstract is a new job while the previous one is still kept.
  'index-search': {
    queue: 'search',
    id: (d) => batchJobId(SEARCH_JOB_PREFIX, d.refs),
  },
  // One backfill per pause: resuming twice (or the API and the CLI both) queues it once while kept.
  'backfill-subscription': {
    queue: 'notify',
    next: 'deliver',
    id: (d) => `backfill-${d.subscriptionId}-${Date.parse(d.since)}`,
  },
  // The delivery id: at most one job per delivery (a resume's re-send or a sweep uses a variant); a
  // batch of one subscription's deliveries is named by its ids (a delivery is claimed before it is sent,
  // so one queued in a batch and alone is still sent once).
  'deliver': {
    queue: 'deliver',
    id: (d) => ('deliveryId' in d ? `deliver-${d.deliveryId}` : deliveryBatchJobId(d.deliveryIds)),
  },
  'send-digest': { queue: 'deliver', id: (d) => `digest-${d.subscriptionId}` },
  'send-confirmation': { queue: 'deliver', id: (d) => `confirm-${d.subscriptionId}` },
  'reconcile': { queue: 'maintenance', id: () => 'reconcile' },
};

export const JOB_NAMES = Object.keys(JOB_SCHEMAS) as JobName[];

/** The queue each job travels on. */
export const JOB_QUEUE = Object.fromEntries(JOB_NAMES.map((n) => [n, PIPELINE[n].queue])) as {
  readonly [N in JobName]: QueueName;
};

/** The jobs a queue carries (its consumer must handle every one of them). */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((n) => PIPELINE[n].queue === queue);
}

/** Jobs whose payload is a batch of papers moving from one stage to the next. */
export type PaperJobName = { [N in JobName]: JobOf<N> extends { papers: PaperRef[] } ? N : never }[JobName];
export const PAPER_JOBS = JOB_NAMES.filter((n) => PIPELINE[n].papers) as PaperJobName[];
export const isPaperJob = (name: string): name is PaperJobName => (PAPER_JOBS as string[]).includes(name);

function stagesInOrder(): PaperStage[] {
  const first = JOB_NAMES.map((n) => PIPELINE[n].produces).find((s) => s !== undefined);
  if (!first) throw new Error('pipeline: no job produces the first paper stage');
  const stages = [first];
  for (;;) {
    const job = PAPER_JOBS.find((n) => PIPELINE[n].papers?.from === stages[stages.length - 1]);
    if (!job) return stages;
    stages.push(PIPELINE[job].papers!.to);
  }
}

/** The paper stages recorded in paper_stages.stage, in pipeline order. */
export const PAPER_STAGES: readonly PaperStage[] = stagesInOrder();

/** The job that takes papers out of `stage` (none for the last stage). */
export function nextJobOf(stage: PaperStage): PaperJobName | undefined {
  return PAPER_JOBS.find((n) => PIPELINE[n].papers?.from === stage);
}

/** The job that moves papers into `stage` (the parser's for the first). */
export function jobReaching(stage: PaperStage): JobName {
  const job = JOB_NAMES.find((n) => PIPELINE[n].produces === stage || PIPELINE[n].papers?.to === stage);
  if (!job) throw new Error(`pipeline: no job reaches stage "${stage}"`);
  return job;
}

/** The stages whose papers a later job takes on: the ones a paper can be stranded in. */
export const STAGES_WITH_NEXT: readonly PaperStage[] = PAPER_STAGES.filter((s) => nextJobOf(s) !== undefined);

/**
 * Job options for an enqueue. `variant` names a deliberate second job for the same work (a page of a
 * source, a sweep period, a resume's re-send, a manual run): the job id becomes `<id>-<variant>`.
 */
export interface EnqueueOptions extends Omit<JobsOptions, 'jobId' | 'repeat'> {
  variant?: string;
}

/** The job id of a payload, per the table (with the variant, when one is given). */
export function jobIdOf<N extends JobName>(name: N, data: JobOf<N>, variant?: string): string {
  const base = PIPELINE[name].id(data);
  return variant ? `${base}-${variant}` : base;
}

/** A variant no other enqueue shares (a manual run, a re-sent confirmation): `<tag><time><random>`. */
export function uniqueVariant(tag: string, now = Date.now()): string {
  return `${tag}${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** One backfill per pause (the id a resume's `backfill-subscription` job gets). */
export function backfillJobId(subscriptionId: string, pausedAt: Date): string {
  return jobIdOf('backfill-subscription', { subscriptionId, since: pausedAt.toISOString() });
}

/** The jobs one consumer (a processor of one queue) handles. */
export interface HandlerRegistration {
  owner: string;
  queue: QueueName;
  jobs: readonly string[];
}

/**
 * What is wrong with a set of handler registrations against the table: a job of a consumed queue
 * with no handler or with two, a handler for a job the table does not have, or for a job of another
 * queue. `queues` are the queues whose every job must be handled (default: those registered).
 */
export function handlerProblems(
  regs: readonly HandlerRegistration[],
  queues: readonly QueueName[] = [...new Set(regs.map((r) => r.queue))],
): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string[]>();
  for (const reg of regs) {
    for (const job of reg.jobs) {
      if (!(JOB_NAMES as string[]).includes(job)) problems.push(`${reg.owner} handles "${job}", which is not in the pipeline table`);
      else if (JOB_QUEUE[job as JobName] !== reg.queue)
        problems.push(`${reg.owner} (queue ${reg.queue}) handles "${job}", a job of queue ${JOB_QUEUE[job as JobName]}`);
      owners.set(job, [...(owners.get(job) ?? []), reg.owner]);
    }
  }
  for (const queue of queues) {
    for (const job of jobsOfQueue(queue)) {
      const by = owners.get(job) ?? [];
      if (by.length === 0) problems.push(`job "${job}" (queue ${queue}) has no handler`);
      if (by.length > 1) problems.push(`job "${job}" (queue ${queue}) has ${by.length} handlers: ${by.join(', ')}`);
    }
  }
  return problems;
}
