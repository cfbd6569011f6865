import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SOURCE_KINDS = [
  'hf-daily-papers',
  'arxiv-api',
  'arxiv-rss',
  'arxiv-oai',
  'hf-papers-html',
  'daily-papers-text',
  'file',
  'upload',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A feed PaperWire polls, with its schedule, politeness settings, checkpoint and health. */
@Entity({ name: 'sources' })
export class SourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  kind: SourceKind;

  /** http(s) URL, or a file path for `file` sources */
  @Column({ type: 'text', nullable: true })
  url: string | null;

  /** kind-specific parameters (categories, OAI metadataPrefix/set/from/until, HF date, format hint…) */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: Record<string, unknown>;

  /** poll interval in seconds; null = only on demand */
  @Column({ name: 'every_seconds', type: 'integer', nullable: true })
  everySeconds: number | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** lets a source reach private/loopback addresses (local replay, tests); off by default */
  @Column({ name: 'allow_private', type: 'boolean', default: false })
  allowPrivate: boolean;

  /** minimum gap between two requests to this source's host, across all fetcher replicas */
  @Column({ name: 'min_interval_ms', type: 'integer', default: 1000 })
  minIntervalMs: number;

  /** paging position of a running backfill (e.g. OAI resumptionToken), written after every page */
  @Column({ type: 'jsonb', nullable: true })
  checkpoint: Record<string, unknown> | null;

  /**
   * OAI-PMH: the day (repository clock, YYYY-MM-DD) the last complete harvest started; the next
   * harvest asks `from` that day, so a daily schedule fetches only what changed.
   */
  @Column({ name: 'harvested_until', type: 'text', nullable: true })
  harvestedUntil: string | null;

  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'text', nullable: true })
  lastModified: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ name: 'newest_item_at', type: 'timestamptz', nullable: true })
  newestItemAt: Date | null;

  @Column({ name: 'last_item_count', type: 'integer', nullable: true })
  lastItemCount: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
