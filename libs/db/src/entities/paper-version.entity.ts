import { Entity, Unique } from 'typeorm';
import { DefaultNowColumn, IntegerColumn, TextColumn, UuidColumn } from './columns';
import { PaperRowEntity } from './paper-row';

/** Every distinct title/abstract a paper has had (arXiv versions, corrected HF entries). */
@Entity({ name: 'paper_versions' })
@Unique('uq_paper_versions_paper_hash', ['paperId', 'contentHash'])
export class PaperVersionEntity extends PaperRowEntity {
  @IntegerColumn({ nullable: true }) version: number | null;
  @TextColumn() contentHash: string;
  @TextColumn() title: string;
  @TextColumn() abstract: string;
  @UuidColumn({ nullable: true }) rawDocumentId: string | null;
  @DefaultNowColumn() seenAt: Date;
}
