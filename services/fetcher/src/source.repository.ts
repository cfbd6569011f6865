import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  getSource,
  recordSourceDocumentFailed,
  recordSourceKnownDocument,
  recordSourceFailure,
  recordSourceSuccess,
  scheduledSources,
  sourcesInProgress,
  storeRawDocument,
  type FetchSuccess,
  type SourceRow,
} from '@paperwire/db';
import { DATA_SOURCE } from '@paperwire/service-kit';

export type { SourceRow } from '@paperwire/db';

/** The fetcher's reads and writes (SQL in libs/db). */
@Injectable()
export class SourceRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  get(id: string): Promise<SourceRow | null> {
    return getSource(this.ds, id);
  }

  scheduled(): Promise<SourceRow[]> {
    return scheduledSources(this.ds);
  }

  /** Enabled sources with a backfill in progress (a checkpoint pointing at the next page). */
  inProgress(): Promise<SourceRow[]> {
    return sourcesInProgress(this.ds);
  }

  /** Stores the payload once per content hash; returns its id and whether it still needs parsing. */
  storeRawDocument(doc: Parameters<typeof storeRawDocument>[1]): ReturnType<typeof storeRawDocument> {
    return storeRawDocument(this.ds, doc);
  }

  recordSuccess(id: string, r: FetchSuccess): Promise<void> {
    return recordSourceSuccess(this.ds, id, r);
  }

  /** A failed attempt; `pollFailed` when it was the poll's last (recordSourceFailure). */
  recordFailure(id: string, status: number | null, error: string, pollFailed: boolean): Promise<void> {
    return recordSourceFailure(this.ds, id, status, error, pollFailed);
  }

  /** The fetched bytes are a document of the source that parsed before: its items and skipped entries count again. */
  recordKnownDocument(id: string, documentId: string): Promise<void> {
    return recordSourceKnownDocument(this.ds, id, documentId);
  }

  /** The fetched bytes are a document that failed to parse before: the source fails with its reason. */
  recordDocumentFailed(id: string, error: string): Promise<void> {
    return recordSourceDocumentFailed(this.ds, id, error);
  }
}
