import { Entity } from 'typeorm';
import { FEED_KINDS } from '@paperwire/contracts';
import { BooleanColumn, IntegerColumn, JsonbColumn, TextColumn, TimestampColumn } from './columns';
import { UuidTimestampedEntity } from './timestamped';

/** A polled feed, a local file, or an uploaded document. */
export const SOURCE_KINDS = [...FEED_KINDS, 'file', 'upload'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A feed PaperWire polls, with its schedule, politeness settings, checkpoint and health. */
@Entity({ name: 'sources' })
export class SourceEntity extends UuidTimestampedEntity {
  @TextColumn({ unique: true }) name: string;
  @TextColumn() kind: SourceKind;
  /** http(s) URL, or a file path for `file` sources */
  @TextColumn({ nullable: true }) url: string | null;
  /** kind-specific parameters (categories, OAI metadataPrefix/set/from/until, HF date, format hint…) */
  @JsonbColumn({ default: () => "'{}'" }) params: Record<string, unknown>;
  /** poll interval in seconds; null = only on demand */
  @IntegerColumn({ nullable: true }) everySeconds: number | null;
  @BooleanColumn({ default: true }) enabled: boolean;
  /** lets a source reach private/loopback addresses (local replay, tests); off by default */
  @BooleanColumn({ default: false }) allowPrivate: boolean;
  /** minimum gap between two requests to this source's host, across all fetcher replicas */
  @IntegerColumn({ default: 1000 }) minIntervalMs: number;
  /** paging position of a running backfill (e.g. OAI resumptionToken), written after every page */
  @JsonbColumn({ nullable: true }) checkpoint: Record<string, unknown> | null;
  /**
   * OAI-PMH: the day (repository clock, YYYY-MM-DD) the last complete harvest started; the next
   * harvest asks `from` that day, so a daily schedule fetches only what changed.
   */
  @TextColumn({ nullable: true }) harvestedUntil: string | null;
  @TextColumn({ nullable: true }) etag: string | null;
  @TextColumn({ nullable: true }) lastModified: string | null;
  @TimestampColumn({ nullable: true }) lastAttemptAt: Date | null;
  @TimestampColumn({ nullable: true }) lastSuccessAt: Date | null;
  @IntegerColumn({ nullable: true }) lastStatus: number | null;
  @TextColumn({ nullable: true }) lastError: string | null;
  /** where last_error (and the failure streak) came from: 'fetch', or 'parse' (the latest document could not be parsed) */
  @TextColumn({ nullable: true }) lastErrorFrom: 'fetch' | 'parse' | null;
  /** the parse failure of the document the source serves: null once one parsed or a fetch brought another (a 304 keeps it) */
  @TextColumn({ nullable: true }) servedDocumentError: string | null;
  /** failed fetch attempts in a row, retries included */
  @IntegerColumn({ default: 0 }) consecutiveFailures: number;
  /** polls in a row that failed for good (their job gave up: retries spent, or a permanent error) */
  @IntegerColumn({ default: 0 }) failedPolls: number;
  /** when the current run of failures began, its first failed attempt (null while the source works, or for a run older than this column) */
  @TimestampColumn({ nullable: true }) failingSince: Date | null;
  @TimestampColumn({ nullable: true }) newestItemAt: Date | null;
  @IntegerColumn({ nullable: true }) lastItemCount: number | null;
  /** entries the latest parsed document skipped (null before any document parsed) */
  @IntegerColumn({ nullable: true }) skippedEntries: number | null;
  /** the first few of them, with their reasons ({ index?, id?, message }) */
  @JsonbColumn({ nullable: true }) skippedSample: { index?: number; line?: number; id?: string; message: string }[] | null;
}
