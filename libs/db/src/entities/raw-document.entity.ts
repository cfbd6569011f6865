import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

export type RawDocumentStatus = 'fetched' | 'parsed' | 'failed';

/** A fetched payload, stored once per content hash. */
@Entity({ name: 'raw_documents' })
@Index('idx_raw_documents_status', ['status', 'fetchedAt'])
export class RawDocumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId: string | null;

  @ManyToOne(() => SourceEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity | null;

  /** sha256 of the bytes */
  @Column({ name: 'content_hash', type: 'text', unique: true })
  contentHash: string;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType: string | null;

  /** format hint given by the source or the operator; the parser still checks the content */
  @Column({ name: 'format_hint', type: 'text', nullable: true })
  formatHint: string | null;

  /** detected format, set by the parser */
  @Column({ type: 'text', nullable: true })
  format: string | null;

  @Column({ type: 'bytea' })
  body: Buffer;

  @Column({ name: 'byte_size', type: 'integer' })
  byteSize: number;

  @Column({ type: 'text', default: 'fetched' })
  status: RawDocumentStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'paper_count', type: 'integer', nullable: true })
  paperCount: number | null;

  /** per-entry parse errors (bad entries are skipped, the rest of the document is kept) */
  @Column({ name: 'entry_errors', type: 'jsonb', default: () => "'[]'" })
  entryErrors: { index?: number; id?: string; message: string }[];

  @Column({ name: 'fetched_at', type: 'timestamptz', default: () => 'now()' })
  fetchedAt: Date;

  @Column({ name: 'parsed_at', type: 'timestamptz', nullable: true })
  parsedAt: Date | null;
}
