import { classifierForStoredTopics } from '@paperwire/classification';
import { loadTopics, resetPapersToStage } from '@paperwire/db';
import { EXTRACTOR_VERSION } from '@paperwire/metrics';
import type { QueueSet } from '@paperwire/queue';
import { ActionError } from './errors';
import type { Db } from '@paperwire/db';

export interface ReprocessOptions {
  /** only papers published (else created) since this date */
  since?: string;
  /** every paper, whatever version made its current result */
  all?: boolean;
  batchSize: number;
}

export interface Reprocessed {
  version: string;
  papers: number;
  jobs: number;
}

type ReprocessTarget = 'parsed' | 'classified';

const RESET = {
  // reclassify: classify, extract and notify run again
  parsed: { column: 'classifier_version', from: ['classified', 'extracted', 'notified'] },
  // reextract: extract and notify run again
  classified: { column: 'extractor_version', from: ['extracted', 'notified'] },
} as const;

/**
 * Sends papers back through a stage after a model or taxonomy change. Only papers whose stored
 * version differs from `version` are touched unless `all` is set. Runs through the queues like any
 * other work (deliveries stay unique per subscription and paper), in chunks so a back catalogue of
 * millions never holds one huge transaction.
 */
async function resetStage(db: Db, queues: QueueSet, to: ReprocessTarget, version: string, opts: ReprocessOptions): Promise<Reprocessed> {
  if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) throw new ActionError('invalid', `since ${opts.since}: not a date`, [{ field: 'since', message: 'not a date' }]);
  const startedAt = new Date().toISOString();
  let papers = 0;
  let jobs = 0;
  let after: string | null = null;
  do {
    const step = await resetPapersToStage(db, { to, ...RESET[to], version, since: opts.since ?? null, all: Boolean(opts.all), startedAt, after });
    after = step.next;
    const rows = step.moved;
    if (rows.length === 0) continue;
    papers += rows.length;
    jobs += await queues.enqueueNext(
      to,
      rows.map((r) => ({ paperId: r.id, contentHash: r.content_hash })),
      opts.batchSize,
    );
  } while (after !== null);
  return { version, papers, jobs };
}

/** The version the classifier has now: the shipped model over the enabled topics. */
export async function currentClassifierVersion(db: Db): Promise<string> {
  return classifierForStoredTopics(await loadTopics(db)).version;
}

/** Papers classified by another model or taxonomy version go back to `parsed`: classify, extract and notify run again. */
export async function reclassifyPapers(db: Db, queues: QueueSet, opts: ReprocessOptions): Promise<Reprocessed> {
  return resetStage(db, queues, 'parsed', await currentClassifierVersion(db), opts);
}

/** Papers extracted by another extractor version go back to `classified`: extract and notify run again. */
export async function reextractPapers(db: Db, queues: QueueSet, opts: ReprocessOptions): Promise<Reprocessed> {
  return resetStage(db, queues, 'classified', EXTRACTOR_VERSION, opts);
}
