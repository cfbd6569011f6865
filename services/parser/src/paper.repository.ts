import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { CanonicalPaper } from '@paperwire/contracts';
import {
  adoptStrongerKeys,
  loadRawDocument,
  loadRawDocumentMeta,
  markRawDocumentFailed,
  markRawDocumentParsed,
  noteRawDocumentFormat,
  papersByKey,
  readRawDocumentSlice,
  recordPaperVersions,
  recordSourceItems,
  recordSourceDocumentFailed,
  documentFailure,
  type SkippedEntry,
  refreshPaperSearch,
  refreshReadModel,
  upsertPapers,
  upsertSightings,
  type CapturePosition,
  type IncomingPaper,
  type PaperKeyRow,
  type RawDocumentMeta,
  type RawDocumentRow,
  type UpsertedPapers,
} from '@paperwire/db';
import { paperKey } from '@paperwire/feeds';
import { DATA_SOURCE } from '@paperwire/service-kit';

export { type IncomingPaper, type RawDocumentMeta, type RawDocumentRow } from '@paperwire/db';

/** The parser's reads and writes (SQL in libs/db): one statement per table per document. */
@Injectable()
export class PaperRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  loadRawDocument(id: string): Promise<RawDocumentRow | null> {
    return loadRawDocument(this.ds, id);
  }

  loadRawDocumentMeta(id: string): Promise<RawDocumentMeta | null> {
    return loadRawDocumentMeta(this.ds, id);
  }

  /** `length` bytes of the body from byte `offset` (0-based). */
  readBodySlice(id: string, offset: number, length: number): Promise<Buffer> {
    return readRawDocumentSlice(this.ds, id, offset, length);
  }

  /**
   * The body in slices of `sliceBytes`, read one at a time: the document is never one Buffer (nor one hex
   * string in the driver) in this process.
   */
  async *bodySlices(id: string, size: number, sliceBytes: number): AsyncGenerator<Buffer> {
    for (let at = 0; at < size; at += sliceBytes) yield await this.readBodySlice(id, at, Math.min(sliceBytes, size - at));
  }

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** Re-keys papers known under a weaker key first (`adoptStrongerKeys`), then upserts (`upsertPapers`). */
  async upsertPapers(em: EntityManager, items: IncomingPaper[]): Promise<UpsertedPapers> {
    await this.adoptStrongerKeys(em, items);
    return upsertPapers(em, items);
  }

  /** The weaker keys each incoming paper may be stored under (title, then DOI for an arXiv key). */
  adoptStrongerKeys(em: EntityManager, items: IncomingPaper[]): Promise<number> {
    return adoptStrongerKeys(
      em,
      items.flatMap(({ key, paper: p }) => {
        if (key.startsWith('title:')) return [];
        const weaker = [paperKey({ externalIds: {}, title: p.title })];
        if (key.startsWith('arxiv:') && p.externalIds.doi)
          weaker.unshift(paperKey({ externalIds: { doi: p.externalIds.doi }, title: p.title }));
        return [{ paper_key: key, arxiv_id: p.externalIds.arxiv ?? null, doi: p.externalIds.doi ?? null, weaker }];
      }),
    );
  }

  recordSourceItems(
    sourceId: string,
    itemCount: number,
    newestItemAt: string | null,
    skipped: { count: number; sample: SkippedEntry[] },
  ): Promise<void> {
    return recordSourceItems(this.ds, sourceId, itemCount, newestItemAt, skipped);
  }

  papersByKey(em: EntityManager, keys: string[]): Promise<PaperKeyRow[]> {
    return papersByKey(em, keys);
  }

  recordVersions(
    em: EntityManager,
    rawDocumentId: string,
    items: { paperId: string; paper: CanonicalPaper; hash: string; stored?: boolean }[],
  ): Promise<void> {
    return recordPaperVersions(em, rawDocumentId, items);
  }

  /**
   * One sighting per (paper, source), and the listings' read model of these papers refreshed
   * (`refreshReadModel`, set-based, in the caller's transaction). `captures`: a text capture's order of its papers.
   */
  async recordSightings(
    em: EntityManager,
    rawDocumentId: string,
    sourceId: string,
    sourceKind: string,
    items: { paperId: string; paper: CanonicalPaper }[],
    captures: CapturePosition[] = [],
    /** the format the document is read in (its sightings' public origin: noteRawDocumentFormat), when known */
    format?: string,
  ): Promise<void> {
    if (format) await noteRawDocumentFormat(em, rawDocumentId, format);
    await upsertSightings(em, rawDocumentId, sourceId, sourceKind, items);
    await refreshReadModel(
      em,
      items.map((i) => i.paperId),
      captures,
    );
  }

  /** The full-text vectors of these papers, where their content or author list changed since (one statement). */
  refreshSearch(paperIds: string[]): Promise<number> {
    return refreshPaperSearch(this.ds, paperIds);
  }

  markParsed(id: string, format: string, paperCount: number, entryErrors: unknown[]): Promise<void> {
    return markRawDocumentParsed(this.ds, id, format, paperCount, entryErrors);
  }

  /** The document failed to parse; its source (if any) fails with the reason until a document parses. */
  async markFailed(id: string, sourceId: string | null, error: string): Promise<void> {
    await markRawDocumentFailed(this.ds, id, error);
    if (sourceId) await recordSourceDocumentFailed(this.ds, sourceId, documentFailure(id, error));
  }
}
