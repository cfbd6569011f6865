import { Inject, Injectable } from '@nestjs/common';
import { FEED_FORMATS, type CanonicalPaper, type FeedFormat, type PaperRef } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { recomputeTrending, type CapturePosition } from '@paperwire/db';
import { FeedError, contentHash, paperKey, parseDocument } from '@paperwire/feeds';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, Metrics, PermanentError, QUEUE_SET } from '@paperwire/service-kit';
import { PaperRepository, type IncomingPaper } from './paper.repository';

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

@Injectable()
export class ParserService {
  constructor(
    private readonly repo: PaperRepository,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: CommonEnv,
    private readonly metrics: Metrics,
  ) {}

  async handleParseDocument(
    rawDocumentId: string,
  ): Promise<{ papers: number; enqueued: number; errors: number }> {
    const doc = await this.repo.loadRawDocument(rawDocumentId);
    if (!doc) throw new PermanentError(`raw document ${rawDocumentId} does not exist`);
    if (doc.status === 'failed')
      throw new PermanentError(`raw document ${rawDocumentId} failed before and is kept as failed`);

    let result;
    try {
      result = parseDocument({
        body: doc.body,
        contentType: doc.content_type ?? undefined,
        format: isFormat(doc.format_hint) ? doc.format_hint : undefined,
        fileName: doc.url ?? undefined,
      });
    } catch (err) {
      // A malformed or unknown document can never parse: record why and dead-letter the job.
      const message =
        err instanceof FeedError
          ? `${err.code}: ${err.message}`
          : `parser crashed: ${(err as Error).message}`;
      await this.repo.markFailed(doc.id, message);
      throw new PermanentError(message);
    }

    const items = dedupe(result.papers);
    const refs = await this.repo.transaction(async (em) => {
      const { changed, inserted } = await this.repo.upsertPapers(em, items, doc.source_id !== null);
      const rows = await this.repo.papersByKey(
        em,
        items.map((i) => i.key),
      );
      const idByKey = new Map(rows.map((r) => [r.paper_key, r.id]));
      const withIds = items.flatMap((i) => {
        const paperId = idByKey.get(i.key);
        return paperId ? [{ ...i, paperId }] : [];
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
          result.format === 'daily-papers-text' ? capturePositions(doc.source_id, doc.fetched_at, withIds) : [],
        );
        // Community signals of known papers changed: refresh their trending score (no
        // re-classification). New papers were written with the score of their one sighting.
        await recomputeTrending(em, withIds.filter((i) => !inserted.has(i.key)).map((i) => i.paperId));
      }
      // Papers still waiting for the classifier are enqueued again: a crash after the commit and
      // before the enqueue must not strand them (ids are deterministic, so this is usually a no-op).
      const pending = rows
        .filter((r) => r.stage === 'parsed')
        .map((r) => ({ paperId: r.id, contentHash: r.content_hash }));
      const seen = new Set(changed.map((r) => r.paperId));
      return [...changed, ...pending.filter((r) => !seen.has(r.paperId))];
    });

    // The next stage is enqueued only after the write committed; the document is marked parsed last.
    const enqueued = await this.queues.addPaperBatches(
      'classify-papers',
      sortRefs(refs),
      this.config.BATCH_SIZE,
    );
    await this.repo.markParsed(doc.id, result.format, items.length, result.errors);
    if (doc.source_id) await this.repo.recordSourceItems(doc.source_id, items.length, newestItem(items));
    this.metrics.papers.inc({ stage: 'parsed' }, refs.length);
    return { papers: items.length, enqueued, errors: result.errors.length };
  }
}

/**
 * A text capture has no upvotes; its own order ranks its papers within their day: the fetch time
 * (captures of one day concatenate in the order they were fetched), then the position in the file.
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
