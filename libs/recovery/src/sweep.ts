import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  PIPELINE,
  QUEUES,
  STAGES_WITH_NEXT,
  chunk,
  jobIdOf,
  nextJobOf,
  type PaperRef,
} from '@paperwire/contracts';
import { compactFirstDayCounts, compactRawDocumentCounts, compactTopicDayCounts, dropExpiredPreviousSecrets, outdatedSearchPapers, pruneTopicDays, refreshSearchWords, refreshTopicCounts, searchScanEnd, staleSearchPapers, strandedDeliveries, strandedDocuments, stuckPapers, topicCountsFreshSeconds } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';

/** Job states in which a queue still holds its job's papers, document or delivery (failed = dead-lettered). */
const HELD_STATES = ['waiting', 'prioritized', 'paused', 'delayed', 'active', 'failed'] as const;
/** jobs read per page: an index-search job names up to 500 papers, so a page stays ~10 MB */
const PAGE = 200;
/** rows looked at per kind and sweep */
const LIMIT = 5_000;
/** how far back a sweeper that just started looks for content changes without their full-text vector */
const SEARCH_LOOKBACK_SECONDS = 7 * 24 * 3600;
/** paper versions checked per sweep for a missing vector (two primary-key look-ups each) */
const SEARCH_SCAN = 20_000;
/** papers per re-enqueued index-search job */
const SEARCH_BATCH = 500;
/** vectors of paper_search looked at per sweep for a stale search key (an older document, a changed author list) */
const SEARCH_WALK = 10_000;
/** where a walk of paper_search starts (before every paper id) */
const WALK_START = '00000000-0000-0000-0000-000000000000';
/**
 * After a whole walk of paper_search that re-enqueued nothing, the walk rests this long before it starts again: a
 * walk of 2.5M vectors is 250 sweeps (~4 h at a sweep a minute, 87 ms of Postgres each), and once every vector is
 * current it would find nothing, forever. What the walk is for still gets found: a release that changes the document
 * restarts the sweeper (a new walk at once), and a lost author-change job is found within a rest and a walk.
 */
export const WALK_REST_MS = 60 * 60_000;

const refsOf =
  (key: 'papers' | 'refs') =>
  (data: unknown): string[] =>
    ((data as Record<string, PaperRef[] | undefined> | undefined)?.[key] ?? []).map((p) => p.paperId);
const paperIdsOf = refsOf('papers');
const searchIdsOf = refsOf('refs');
const idOf =
  (key: 'rawDocumentId' | 'deliveryId') =>
  (data: unknown): string[] => {
    const id = (data as Record<string, unknown> | undefined)?.[key];
    return typeof id === 'string' ? [id] : [];
  };
const rawDocumentIdOf = idOf('rawDocumentId');
const deliveryIdOf = idOf('deliveryId');

/**
 * Which of `candidates` (papers, raw documents, deliveries that look stranded) are named by a job the queue still
 * holds: queued, running, retrying or dead-lettered, whatever its job id. Those are not stranded. Re-adding them
 * would run a retrying job twice, and would resurrect a dead-lettered one every period, so work that exhausted its
 * retries would never rest in the failed set (an operator retries it with `paperwire failed retry`). Read only when
 * some work looks stuck; its time grows with the queue (one page per PAGE jobs), its memory does not: only the
 * candidates found are kept. (It kept every held id before: during the 2.5M backfill the parse queue held
 * index-search jobs for ~1.4M papers and the sweeper peaked at 264 MB.)
 */
async function heldAmong(
  queue: Queue,
  idsOf: (data: unknown) => string[],
  candidates: readonly string[],
): Promise<Set<string>> {
  const wanted = new Set(candidates);
  const held = new Set<string>();
  // getJobs pages each state separately (start/end apply per state).
  for (const state of HELD_STATES) {
    for (let start = 0; ; start += PAGE) {
      const jobs = await queue.getJobs(state, start, start + PAGE - 1);
      for (const job of jobs) for (const id of idsOf(job?.data)) if (wanted.has(id)) held.add(id);
      if (jobs.length < PAGE) break;
    }
  }
  return held;
}

export interface SweepOptions {
  /** work untouched for this long counts as stranded */
  afterSeconds: number;
  /** papers per re-enqueued batch; a stage queue with a larger backlog is left alone */
  batchSize: number;
  /** topic rows from which GET /v1/topics reads the topic_counts rollup (default EXACT_TOPIC_COUNT_BELOW) */
  topicCountsFrom?: number;
  /**
   * seconds between sweeps (RECONCILE_EVERY_SECONDS): the topic counts a sweep writes stay trusted for
   * topicCountsFreshSeconds of it, max(300 s, 3 periods) (unset: 300 s)
   */
  everySeconds?: number;
}

/** What a sweep did: papers per stage, raw documents and deliveries re-enqueued, expired secrets dropped (absent when none). */
export type SweepResult = Record<string, number>;

/**
 * Finds work stranded by a crash between a commit and an enqueue, or by a Redis loss, and enqueues
 * it again through the pipeline table: papers sitting in a stage, fetched documents never parsed,
 * deliveries still to send. A stage's queue that is backlogged is left alone: its papers are
 * waiting, not lost.
 */
export async function sweepStranded(ds: DataSource, queues: QueueSet, opts: SweepOptions): Promise<SweepResult> {
  const out: SweepResult = {};
  // A fresh id per sweep period: the original job may be completed or gone.
  const variant = `r${Math.floor(Date.now() / (opts.afterSeconds * 1000))}`;
  for (const stage of STAGES_WITH_NEXT) {
    const job = nextJobOf(stage)!;
    const queue = queues.get(PIPELINE[job].queue);
    const backlog = (await queue.getWaitingCount()) + (await queue.getDelayedCount());
    if (backlog > opts.batchSize) continue;
    const stuck = await stuckPapers(ds, stage as Exclude<typeof stage, 'notified'>, opts.afterSeconds, LIMIT);
    if (stuck.length === 0) continue;
    const held = await heldAmong(
      queue,
      paperIdsOf,
      stuck.map((r) => r.paperId),
    );
    const refs = stuck.filter((r) => !held.has(r.paperId));
    if (refs.length === 0) continue;
    out[stage] = refs.length;
    await queues.enqueuePapers(job, refs, opts.batchSize, { variant });
  }
  const fetched = await strandedDocuments(ds, opts.afterSeconds, LIMIT);
  const heldDocs = fetched.length > 0 ? await heldAmong(queues.get(QUEUES.parse), rawDocumentIdOf, fetched) : new Set();
  const docs = fetched.filter((id) => !heldDocs.has(id));
  if (docs.length > 0) {
    out.rawDocuments = docs.length;
    await queues.enqueueBulk(
      'parse-document',
      docs.map((rawDocumentId) => ({ rawDocumentId })),
      { variant },
    );
  }
  const deliveries = await unheldDeliveries(ds, queues, opts.afterSeconds);
  if (deliveries.length > 0) {
    out.deliveries = deliveries.length;
    await queues.enqueueBulk(
      'deliver',
      deliveries.map((deliveryId) => ({ deliveryId })),
    );
  }
  return out;
}

/**
 * Papers whose content changed without the full-text vector of it (their index-search job was lost)
 * and that no index-search job holds, re-enqueued. The paper versions seen since the previous sweep
 * are checked (at most SEARCH_SCAN per sweep, oldest first, by the seen_at index), never the
 * catalogue; `after` is where the previous sweep stopped. Returns the papers re-enqueued and where
 * this sweep stopped. A re-enqueued job that is lost again is found after the sweeper's next start.
 */
export async function sweepSearch(
  ds: DataSource,
  queues: QueueSet,
  afterSeconds: number,
  after: string,
): Promise<{ requeued: number; through: string }> {
  const through = await searchScanEnd(ds, after, afterSeconds, SEARCH_SCAN);
  if (!through) return { requeued: 0, through: after };
  const stale = await staleSearchPapers(ds, after, through, LIMIT);
  // The jobs are dated by the newest content change they cover, not by this sweep: the search-lag gauge
  // (the age of the oldest pending job) then shows how long these papers have been unsearchable, at least.
  const requeued = await requeueSearch(queues, stale, { variant: `r${Date.parse(through)}`, timestamp: Date.parse(through) });
  return { requeued, through };
}

/** Papers whose vector is to compute, re-enqueued as index-search jobs unless a job holds them; returns how many. */
async function requeueSearch(queues: QueueSet, stale: PaperRef[], opts: { variant: string; timestamp?: number }): Promise<number> {
  const held =
    stale.length > 0
      ? await heldAmong(
          queues.get(PIPELINE['index-search'].queue),
          searchIdsOf,
          stale.map((r) => r.paperId),
        )
      : new Set();
  const refs = stale.filter((r) => !held.has(r.paperId));
  await queues.enqueueBulk(
    'index-search',
    chunk(refs, SEARCH_BATCH).map((batch) => ({ refs: batch })),
    opts,
  );
  return refs.length;
}

/**
 * One window of the walk of paper_search (outdatedSearchPapers): the vectors after `after` (a paper id) whose search
 * key is not their paper's, re-enqueued as index-search jobs unless a job holds them. SEARCH_WALK vectors per sweep,
 * by the primary key, whatever the catalogue's size; the walk starts again from the first paper id when it reaches
 * the end. While the search queue has more than one window of work waiting, the walk waits where it is: after a
 * release that changes the document, every vector is stale, and they go through the queue one window at a time,
 * behind the vectors of new papers. Returns the papers re-enqueued, where the next window starts and whether this
 * window ended a walk (`walked`: it reached the last vector).
 */
export async function sweepOutdatedSearch(
  ds: DataSource,
  queues: QueueSet,
  after: string,
): Promise<{ requeued: number; next: string; walked: boolean }> {
  const waiting = await queues.get(PIPELINE['index-search'].queue).getWaitingCount();
  if (waiting * SEARCH_BATCH > SEARCH_WALK) return { requeued: 0, next: after, walked: false };
  const { refs: outdated, through } = await outdatedSearchPapers(ds, after, SEARCH_WALK);
  const requeued = await requeueSearch(queues, outdated, { variant: `w${Date.now()}` });
  return { requeued, next: through ?? WALK_START, walked: through === null };
}

/**
 * Deliveries to send that no job holds, whatever its id: the delivery's own (`deliver-<id>`), or a
 * resume's re-send (`deliver-<id>-resume-<ts>`), retrying for hours. A second job would send one
 * delivery twice at once. The own id is looked up first; the queue is read only when some are
 * missing there.
 */
async function unheldDeliveries(ds: DataSource, queues: QueueSet, afterSeconds: number): Promise<string[]> {
  const candidates = await strandedDeliveries(ds, afterSeconds, LIMIT);
  if (candidates.length === 0) return [];
  const deliver = queues.get(QUEUES.deliver);
  const missing: string[] = [];
  for (const deliveryId of candidates)
    if (!(await deliver.getJob(jobIdOf('deliver', { deliveryId })))) missing.push(deliveryId);
  if (missing.length === 0) return [];
  const held = await heldAmong(deliver, deliveryIdOf, missing);
  return missing.filter((id) => !held.has(id));
}

/** Under a minute, so that sweeps a minute apart (RECONCILE_EVERY_SECONDS' default) refresh at each one. */
const TOPIC_COUNTS_EVERY_MS = 50_000;

/**
 * The recovery sweep run by the sweeper every period: stranded work back on its queue, papers
 * without their full-text vector re-indexed (from where the previous sweep stopped), vectors of an older document or
 * of a changed author list re-indexed (a window of the walk of paper_search, sweepOutdatedSearch), webhook secrets
 * whose rotation's grace period ended dropped (`expiredSecrets`: they sign nothing after it, and are not
 * kept until the next rotation), topic-day facts a delete may have made false checked and dropped if false
 * (`pruneTopicDays`: the readers step over them meanwhile; `topicDaysDeleted`: the facts dropped), the delta rows of
 * per-(topic, day) paper counts folded into one row per (topic, day) (`compactTopicDayCounts`: a day's topic total
 * reads the rows written since; `topicDayCountsFolded`: the pairs folded), likewise the per-(topic, first day) counts a
 * week's or month's total sums (`compactFirstDayCounts`; `firstDayCountsFolded`) and the raw documents per status the stats read
 * (`compactRawDocumentCounts`; `rawDocumentCountsFolded`: the statuses folded), the words of the papers created since
 * the previous sweep counted for search suggestions (`refreshSearchWords`; `searchWordsPapers`: the papers read), and, on a large catalogue, the topic counts GET /v1/topics reads (topic_counts,
 * at each sweep at most every 50 s, trusted for max(300 s, 3 sweep periods); `topicCounts`: the topics written). Trending needs no pass: the read model's trend_key orders
 * by the decayed score at every moment (read-model.ts); the legacy per-paper score and its decay pass are gone.
 */
export class Sweeper {
  private topicCountsAt = 0;
  /** where the previous sweep's search check stopped (seen_at of the last paper version checked) */
  private searchAfter: string;
  /** where the walk of paper_search for stale search keys goes on (the last paper id looked at) */
  private walkAfter = WALK_START;
  /** vectors the current walk has re-enqueued so far */
  private walkFound = 0;
  /** no walk before this time (ms): the previous whole walk found every vector current (WALK_REST_MS) */
  private walkRestsUntil = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly queues: QueueSet,
    private readonly opts: SweepOptions,
    now = Date.now(),
  ) {
    this.searchAfter = new Date(now - SEARCH_LOOKBACK_SECONDS * 1000).toISOString();
  }

  async sweep(now = Date.now()): Promise<SweepResult> {
    const out = await sweepStranded(this.ds, this.queues, this.opts);
    const search = await sweepSearch(this.ds, this.queues, this.opts.afterSeconds, this.searchAfter);
    this.searchAfter = search.through;
    if (search.requeued > 0) out.search = search.requeued;
    if (now >= this.walkRestsUntil) {
      const walk = await sweepOutdatedSearch(this.ds, this.queues, this.walkAfter);
      this.walkAfter = walk.next;
      this.walkFound += walk.requeued;
      if (walk.requeued > 0) out.searchOutdated = walk.requeued;
      if (walk.walked) {
        if (this.walkFound === 0) this.walkRestsUntil = now + WALK_REST_MS;
        this.walkFound = 0;
      }
    }
    const expiredSecrets = await dropExpiredPreviousSecrets(this.ds, LIMIT);
    if (expiredSecrets > 0) out.expiredSecrets = expiredSecrets;
    const topicDays = await pruneTopicDays(this.ds, LIMIT);
    if (topicDays.deleted > 0) out.topicDaysDeleted = topicDays.deleted;
    const folded = await compactTopicDayCounts(this.ds, LIMIT);
    if (folded > 0) out.topicDayCountsFolded = folded;
    const firstFolded = await compactFirstDayCounts(this.ds, LIMIT);
    if (firstFolded > 0) out.firstDayCountsFolded = firstFolded;
    const statusesFolded = await compactRawDocumentCounts(this.ds, LIMIT);
    if (statusesFolded > 0) out.rawDocumentCountsFolded = statusesFolded;
    const wordsOf = await refreshSearchWords(this.ds);
    if (wordsOf > 0) out.searchWordsPapers = wordsOf;
    if (now - this.topicCountsAt >= TOPIC_COUNTS_EVERY_MS) {
      this.topicCountsAt = now;
      const topics = await refreshTopicCounts(this.ds, this.opts.topicCountsFrom, topicCountsFreshSeconds(this.opts.everySeconds));
      if (topics > 0) out.topicCounts = topics;
    }
    return out;
  }
}
