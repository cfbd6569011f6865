import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PaperEntity } from './paper.entity';

/**
 * The full-text document of a paper, in its own narrow table: kept by triggers on `papers` when the
 * title or abstract change (see the paper-search-table migration). Off the `papers` row, the
 * tsvector no longer widens every stage update, and the GIN index is touched only when the text
 * changes, never by a stage update that could not stay HOT.
 */
@Entity({ name: 'paper_search' })
export class PaperSearchEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid' })
  paperId: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id' })
  paper?: PaperEntity;

  // TypeORM cannot declare GIN indexes: the migration creates it.
  @Index('idx_paper_search', { synchronize: false })
  @Column({ type: 'tsvector' })
  search: string;
}
