import { Entity, Index, Unique } from 'typeorm';
import type { ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import {
  BooleanColumn,
  DefaultNowColumn,
  DoubleColumn,
  IntegerColumn,
  JsonbColumn,
  TextColumn,
} from './columns';
import { PaperRowEntity } from './paper-row';

/** One quantitative claim of an abstract (DESIGN §6). */
@Entity({ name: 'paper_claims' })
@Unique('uq_paper_claims_span', ['paperId', 'start', 'end'])
@Index('idx_paper_claims_search', ['kind', 'unit', 'value'])
// claim search by metric: (lower(metric), paper_id), created by the read-model migration
@Index('idx_paper_claims_metric', { synchronize: false })
export class PaperClaimEntity extends PaperRowEntity {
  @IntegerColumn() start: number;
  /** exclusive */
  @IntegerColumn() end: number;
  @TextColumn() text: string;
  @DoubleColumn() value: number;
  @DoubleColumn({ nullable: true }) low: number | null;
  @TextColumn() unit: ClaimUnit;
  @TextColumn({ nullable: true }) unitText: string | null;
  @TextColumn() category: ClaimCategory;
  @TextColumn() kind: ClaimKind;
  @TextColumn({ nullable: true }) metric: string | null;
  @BooleanColumn({ nullable: true }) improvement: boolean | null;
  @JsonbColumn({ nullable: true }) baseline: { value: number; text: string } | null;
  @TextColumn({ nullable: true }) comparedTo: string | null;
  @TextColumn({ nullable: true }) dataset: string | null;
  @TextColumn({ nullable: true }) qualifier: string | null;
  @BooleanColumn({ default: false }) isHeadline: boolean;
  @TextColumn() extractorVersion: string;
  @TextColumn() contentHash: string;
  @DefaultNowColumn() extractedAt: Date;
}
