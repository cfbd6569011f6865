import { Inject, Injectable } from '@nestjs/common';
import {
  FEED_FORMATS,
  type CanonicalPaper,
  type EntryError,
  type FeedFormat,
  type PaperRef,
} from '@paperwire/contracts';
import { chunk } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { SKIPPED_SAMPLE_SIZE, type CapturePosition } from '@paperwire/db';
import {
  DEFAULT_MAX_BYTES,
  DocumentStream,
  FeedError,
  contentHash,
  paperKey,
  parseDocument,
  planStream,
  type StreamPlan,
  type StreamedBatch,
} from '@paperwire/feeds';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, PermanentError, QUEUE_SET } from '@paperwire/service-kit';
import { PaperRepository, type IncomingPaper, type RawDocumentMeta } from './paper.repository';

const isFormat = (s: string | null): s is FeedFormat =>
  s !== null && (FEED_FORMATS as readonly string[]).includes(s);

/** Keeps the highest version when a document lists the same paper twice. */
function dedupe(papers: CanonicalPaper[]): IncomingPaper[] {
  const byKey = new Map<string, IncomingPaper>();
  for (const paper of papers) {
    const key = paperKey(paper);
    const prev = byKey.get(key);
    if (!prev || (paper.version ?? 0) > (prev.paper.version ?? 0)) {
      byKey.set(key, { key, hash: contentHash(paper.title, paper.abstract), paper });
    }
  }
  return [...byKey.values()];
}

/** Documents larger than this are read from their row in slices and parsed in chunks (when the format allows). */
export const STREAM_MIN_BYTES = 1024 * 1024;
/**
 * Bytes per read of a streamed document's body (the driver holds a slice twice, as hex text and as bytes).
 * Measured with tools/bench/parser-memory on 50 MB of JSON Lines: 256 KB slices and chunks of 2 × BATCH_SIZE
 * papers peaked at 245 MB RSS; 2 MB slices and 10 × BATCH_SIZE at 292 MB, with the same papers/s within noise.
 */
export const BODY_SLICE_BYTES = 256 * 1024;
/** Bytes of a document looked at to decide whether it can be streamed. */
const HEAD_BYTES = 64 * 1024;
/** Papers per index-search job: one statement, ~1 ms of Postgres CPU per paper. */
export const SEARCH_BATCH = 500;
/** Entry errors kept for a streamed document (the count of the rest is noted). */
const MAX_STORED_ENTRY_ERRORS = 10_000;

export interface ParseOutcome {
  papers: number;
  enqueued: number;
  errors: number;
  /** set when the document was read in slices and written in chunks */
  chunks?: number;
}

@Injectable()
export class ParserService {
  constructor(
    private readonly repo: PaperRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    private readonly metrics: Metrics,
  ) {}

  /** Entries per chunk of a streamed document: one transaction and one enqueue per chunk. */
  get chunkPapers(): number {
    return this.config.BATCH_SIZE * 2;
  }

  async handleParseDocument(rawDocumentId: string): Promise<ParseOutcome> {
    const meta = await this.repo.loadRawDocumentMeta(rawDocumentId);
    if (!meta) throw new PermanentError(`raw document ${rawDocumentId} does not exist`);
    if (meta.status === 'failed')
      throw new PermanentError(`raw document ${rawDocumentId} failed before and is kept as failed`);
    if (meta.size > DEFAULT_MAX_BYTES)
      // Refused without reading it: the same answer parseDocument gives, at no memory cost.
      return this.failDocument(
        meta,
        new FeedError('too-large', `document of ${meta.size} bytes is over the ${DEFAULT_MAX_BYTES} byte limit`),
      );
    if (meta.size > STREAM_MIN_BYTES) {
      const head = await this.repo.readBodySlice(meta.id, 0, HEAD_BYTES);
      const plan = planStream(head, {
        contentType: meta.content_type ?? undefined,
        format: isFormat(meta.format_hint) ? meta.format_hint : undefined,
      });
      if (plan) return this.parseStreamed(meta, plan);
    }
    return this.parseWhole(rawDocumentId);
  }

  private async parseWhole(rawDocumentId: string): Promise<ParseOutcome> {
    const doc = await this.repo.loadRawDocument(rawDocumentId);
    if (!doc) throw new PermanentError(`raw document ${rawDocumentId} does not exist`);

    let result;
    try {
      result = parseDocument({
        body: doc.body,
        contentType: doc.content_type ?? undefined,
        format: isFormat(doc.format_hint) ? doc.format_hint : undefined,
        fileName: doc.url ?? undefined,
        fetchedAt: doc.fetched_at,
      });
    } catch (err) {
      return this.failDocument(doc, err);
    }

    const items = dedupe(result.papers);
    const { refs, changed, authorsChanged } = await this.writePapers(doc, items, result.format);
    // The next stage is enqueued only after the write committed; the document is marked parsed last.
    const enqueued = await this.queues.enqueueNext('parsed', sortRefs(refs), this.config.BATCH_SIZE);
    await this.enqueueSearch(changed, authorsChanged);
    await this.repo.markParsed(doc.id, result.format, items.length, result.errors);
    if (doc.source_id)
      await this.repo.recordSourceItems(doc.source_id, items.length, newestItem(items), {
        count: result.errors.length,
        sample: result.errors.slice(0, SKIPPED_SAMPLE_SIZE),
      });
    this.metrics.papers.inc({ stage: 'parsed' }, refs.length);
    return { papers: items.length, enqueued, errors: result.errors.length };
  }

  /**
   * A large JSON Lines, JSON array or OAI-PMH document: the body is read from its row in slices and the papers
   * are written and enqueued chunk by chunk, so memory follows the chunk, not the document. Each chunk is
   * its own transaction followed by its enqueue, exactly like a small document: a crash mid-document leaves
   * the document 'fetched' and its job retried, which re-reads every chunk; chunks already written change
   * nothing (same content hash) and their papers still waiting for the classifier are enqueued again under
   * the same job ids. Chunks are cut by entry count in document order, so a retry cuts the same chunks.
   */
  private async parseStreamed(doc: RawDocumentMeta, plan: StreamPlan): Promise<ParseOutcome> {
    const stream = new DocumentStream(plan, this.chunkPapers);
    const keys = new Set<string>();
    const errors: EntryError[] = [];
    let errorCount = 0;
    let newest: string | null = null;
    let enqueued = 0;
    let chunks = 0;
    const batches = stream.batches(this.repo.bodySlices(doc.id, doc.size, BODY_SLICE_BYTES));
    for (;;) {
      let next: IteratorResult<StreamedBatch>;
      try {
        next = await batches.next();
      } catch (err) {
        // A whole-document problem found part way (a truncated array or page): what came before it is
        // written (each chunk valid on its own); the document is failed with the reason, not retried.
        if (err instanceof FeedError) return this.failDocument(doc, err);
        throw err;
      }
      if (next.done) break;
      const { papers, errors: entryErrors } = next.value;
      errorCount += entryErrors.length;
      for (const e of entryErrors) if (errors.length < MAX_STORED_ENTRY_ERRORS) errors.push(e);
      const items = dedupe(papers);
      if (items.length === 0) continue;
      const { refs, changed, authorsChanged } = await this.writePapers(doc, items, stream.format ?? plan.format ?? 'jsonl');
      enqueued += await this.queues.enqueueNext('parsed', sortRefs(refs), this.config.BATCH_SIZE);
      await this.enqueueSearch(changed, authorsChanged);
      this.metrics.papers.inc({ stage: 'parsed' }, refs.length);
      for (const i of items) keys.add(i.key);
      const chunkNewest = newestItem(items);
      if (chunkNewest && (!newest || chunkNewest > newest)) newest = chunkNewest;
      chunks++;
    }
    const notes: EntryError[] = stream.warnings.map((message) => ({ message }));
    if (errorCount > errors.length)
      notes.push({ message: `document: ${errorCount - errors.length} more entry errors not stored` });
    await this.repo.markParsed(doc.id, stream.format ?? plan.format ?? 'jsonl', keys.size, [...notes, ...errors]);
    if (doc.source_id)
      await this.repo.recordSourceItems(doc.source_id, keys.size, newest, {
        count: errorCount,
        sample: errors.slice(0, SKIPPED_SAMPLE_SIZE),
      });
    return { papers: keys.size, enqueued, errors: errorCount + stream.warnings.length, chunks };
  }

  /** A malformed or unknown document can never parse: record why and dead-letter the job. */
  private async failDocument(doc: { id: string; source_id: string | null }, err: unknown): Promise<never> {
    const message =
      err instanceof FeedError ? `${err.code}: ${err.message}` : `parser crashed: ${(err as Error).message}`;
    await this.repo.markFailed(doc.id, doc.source_id, message);
    throw new PermanentError(message, err instanceof FeedError ? err.detail : undefined);
  }

  /**
   * The papers whose title, abstract or author list this write changed get their full-text vectors from an
   * index-search job on the search queue (issue #19), which this process's search worker takes even
   * while documents wait. A job lost after the commit is found again by the sweeper (staleSearchPapers for a
   * content change, its walk of paper_search, outdatedSearchPapers, for an author change).
   */
  private async enqueueSearch(changed: PaperRef[], authorsChanged: PaperRef[]): Promise<void> {
    await this.queues.enqueueBulk(
      'index-search',
      chunk(sortRefs(changed), SEARCH_BATCH).map((refs) => ({ refs })),
    );
    // The same papers and content hashes as their previous job, which the queue may still keep (completed jobs are
    // kept an hour): a job id of its own, or the new author list would wait for the sweeper's walk.
    await this.queues.enqueueBulk(
      'index-search',
      chunk(sortRefs(authorsChanged), SEARCH_BATCH).map((refs) => ({ refs })),
      { variant: `authors${Date.now()}` },
    );
  }

  /** The index-search job: one statement computes the vectors of the batch whose content changed. */
  async handleIndexSearch(refs: PaperRef[]): Promise<{ indexed: number }> {
    return { indexed: await this.repo.refreshSearch(refs.map((r) => r.paperId)) };
  }

  /**
   * One transaction: papers, versions, sightings (and with them the read model's trend keys); returns the refs the classifier must see
   * and the papers whose content or author list changed (their vectors to compute).
   */
  private writePapers(
    doc: Pick<RawDocumentMeta, 'id' | 'source_id' | 'source_kind' | 'fetched_at'>,
    items: IncomingPaper[],
    format: FeedFormat,
  ): Promise<{ refs: PaperRef[]; changed: PaperRef[]; authorsChanged: PaperRef[] }> {
    return this.repo.transaction(async (em) => {
      const { changed, authorsChanged, written } = await this.repo.upsertPapers(em, items);
      const rows = await this.repo.papersByKey(
        em,
        items.map((i) => i.key),
      );
      const idByKey = new Map(rows.map((r) => [r.paper_key, r.id]));
      const withIds = items.flatMap((i) => {
        const paperId = idByKey.get(i.key);
        return paperId ? [{ ...i, paperId, stored: written.has(i.key) }] : [];
      });
      await this.repo.recordVersions(em, doc.id, withIds);
      if (doc.source_id) {
        // The listings' read model is refreshed with the sightings, in this transaction (new papers,
        // new sightings, changed upvotes / comments / dates); a text capture's order goes with it.
        await this.repo.recordSightings(
          em,
          doc.id,
          doc.source_id,
          doc.source_kind ?? 'upload',
          withIds,
          // a capture's order, and Hugging Face's API order of a day (the HF-compatible API serves it: sort 'source')
          format === 'daily-papers-text' || format === 'hf-daily-papers' ? capturePositions(doc.source_id, doc.fetched_at, withIds) : [],
          // the document's format before the refresh: trending counts public origins by it
          format,
        );
      }
      // Papers still waiting for the classifier are enqueued again: a crash after the commit and
      // before the enqueue must not strand them (ids are deterministic, so this is usually a no-op).
      const pending = rows
        .filter((r) => r.stage === 'parsed')
        .map((r) => ({ paperId: r.id, contentHash: r.content_hash }));
      const seen = new Set(changed.map((r) => r.paperId));
      return { refs: [...changed, ...pending.filter((r) => !seen.has(r.paperId))], changed, authorsChanged };
    });
  }
}

/**
 * A text capture has no upvotes; its own order ranks its papers within their day: the fetch time
 * (captures of one day concatenate in the order they were fetched), then the position in the file. Hugging Face's
 * API lists a day in its own order (neither upvotes nor any date it gives: its fixtures), kept the same way.
 */
export function capturePositions(sourceId: string, fetchedAt: Date, items: { paperId: string }[]): CapturePosition[] {
  const base = Math.floor(new Date(fetchedAt).getTime() / 1000) * 100_000;
  return items.map((i, k) => ({ paperId: i.paperId, sourceId, pos: base + k }));
}

/** The newest item of a document: when it was featured (HF), else when it was published. */
export function newestItem(items: IncomingPaper[]): string | null {
  let newest: number | null = null;
  for (const { paper } of items) {
    const t = Date.parse(paper.sighting.featuredAt ?? paper.publishedAt ?? '');
    if (!Number.isNaN(t) && (newest === null || t > newest)) newest = t;
  }
  return newest === null ? null : new Date(newest).toISOString();
}

function sortRefs(refs: PaperRef[]): PaperRef[] {
  return [...refs].sort((a, b) => (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : 0));
}
