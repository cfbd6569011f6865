import { Column, Entity, Index, Unique } from 'typeorm';
import type { ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import { PaperRowEntity } from './paper-row';

/** One quantitative claim of an abstract (DESIGN §6). */
@Entity({ name: 'paper_claims' })
@Unique('uq_paper_claims_span', ['paperId', 'start', 'end'])
@Index('idx_paper_claims_search', ['kind', 'unit', 'value'])
// claim search by metric: (lower(metric), paper_id), created by the read-model migration
@Index('idx_paper_claims_metric', { synchronize: false })
export class PaperClaimEntity extends PaperRowEntity {
  @Column({ type: 'integer' })
  start: number;

  /** exclusive */
  @Column({ type: 'integer' })
  end: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'double precision', nullable: true })
  low: number | null;

  @Column({ type: 'text' })
  unit: ClaimUnit;

  @Column({ name: 'unit_text', type: 'text', nullable: true })
  unitText: string | null;

  @Column({ type: 'text' })
  category: ClaimCategory;

  @Column({ type: 'text' })
  kind: ClaimKind;

  @Column({ type: 'text', nullable: true })
  metric: string | null;

  @Column({ type: 'boolean', nullable: true })
  improvement: boolean | null;

  @Column({ type: 'jsonb', nullable: true })
  baseline: { value: number; text: string } | null;

  @Column({ name: 'compared_to', type: 'text', nullable: true })
  comparedTo: string | null;

  @Column({ type: 'text', nullable: true })
  dataset: string | null;

  @Column({ type: 'text', nullable: true })
  qualifier: string | null;

  @Column({ name: 'is_headline', type: 'boolean', default: false })
  isHeadline: boolean;

  @Column({ name: 'extractor_version', type: 'text' })
  extractorVersion: string;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  @Column({ name: 'extracted_at', type: 'timestamptz', default: () => 'now()' })
  extractedAt: Date;
}
