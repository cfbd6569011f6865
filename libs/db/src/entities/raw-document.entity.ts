import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import {
  DefaultNowColumn,
  IntegerColumn,
  JsonbColumn,
  TextColumn,
  TimestampColumn,
  UuidColumn,
} from './columns';
import { SourceEntity } from './source.entity';

export type RawDocumentStatus = 'fetched' | 'parsed' | 'failed';

/** A fetched payload, stored once per source and content hash. */
@Entity({ name: 'raw_documents' })
@Unique('uq_raw_documents_source_hash', ['sourceId', 'contentHash'])
@Index('idx_raw_documents_status', ['status', 'fetchedAt'])
// the newest failed documents (stats, /ops): a partial index in parsed_at DESC order (migration 1796210000000)
@Index('idx_raw_documents_failed', { synchronize: false })
export class RawDocumentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @UuidColumn({ nullable: true }) sourceId: string | null;

  @ManyToOne(() => SourceEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity | null;

  /** sha256 of the bytes */
  @TextColumn() contentHash: string;
  @TextColumn({ nullable: true }) url: string | null;
  @TextColumn({ nullable: true }) contentType: string | null;
  /** format hint given by the source or the operator; the parser still checks the content */
  @TextColumn({ nullable: true }) formatHint: string | null;
  /** detected format, set by the parser */
  @TextColumn({ nullable: true }) format: string | null;
  @Column({ type: 'bytea' }) body: Buffer;
  @IntegerColumn() byteSize: number;
  @TextColumn({ default: 'fetched' }) status: RawDocumentStatus;
  @TextColumn({ nullable: true }) error: string | null;
  @IntegerColumn({ nullable: true }) paperCount: number | null;
  /** per-entry parse errors (bad entries are skipped, the rest of the document is kept) */
  @JsonbColumn({ default: () => "'[]'" }) entryErrors: { index?: number; line?: number; id?: string; message: string }[];
  @DefaultNowColumn() fetchedAt: Date;
  @TimestampColumn({ nullable: true }) parsedAt: Date | null;
}
