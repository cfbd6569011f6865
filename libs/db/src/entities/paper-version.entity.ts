import { Column, Entity, Unique } from 'typeorm';
import { PaperRowEntity } from './paper-row';

/** Every distinct title/abstract a paper has had (arXiv versions, corrected HF entries). */
@Entity({ name: 'paper_versions' })
@Unique('uq_paper_versions_paper_hash', ['paperId', 'contentHash'])
export class PaperVersionEntity extends PaperRowEntity {
  @Column({ type: 'integer', nullable: true })
  version: number | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  abstract: string;

  @Column({ name: 'raw_document_id', type: 'uuid', nullable: true })
  rawDocumentId: string | null;

  @Column({ name: 'seen_at', type: 'timestamptz', default: () => 'now()' })
  seenAt: Date;
}
