import { Entity, Index, Unique } from 'typeorm';
import { DefaultNowColumn, IntegerColumn, TextColumn, UuidColumn } from './columns';
import { PaperRowEntity } from './paper-row';

/**
 * Every distinct title/abstract a paper has had (arXiv versions, corrected HF entries). The seen_at
 * index is the sweeper's way to the recently changed papers (a missing full-text vector).
 */
@Entity({ name: 'paper_versions' })
@Index('idx_paper_versions_seen_at', ['seenAt'])
@Unique('uq_paper_versions_paper_hash', ['paperId', 'contentHash'])
export class PaperVersionEntity extends PaperRowEntity {
  @IntegerColumn({ nullable: true }) version: number | null;
  @TextColumn() contentHash: string;
  @TextColumn() title: string;
  @TextColumn() abstract: string;
  @UuidColumn({ nullable: true }) rawDocumentId: string | null;
  @DefaultNowColumn() seenAt: Date;
}
