import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TextColumn } from './columns';
import { PaperEntity } from './paper.entity';

/**
 * The full-text document of a paper, in its own narrow table. Off the `papers` row, the tsvector no
 * longer widens every stage update, and the GIN index is touched only when the text changes. It is
 * computed off the parser's transaction by the low-priority `index-search` job (refreshPaperSearch),
 * from the content hash stored with it, so a replay is a no-op; the sweeper re-enqueues papers whose
 * vector is missing or stale (staleSearchPapers), and walks the table for vectors of an older document or of a
 * changed author list (outdatedSearchPapers).
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

  /** papers.content_hash of the title and abstract the vector was computed from */
  @TextColumn() contentHash: string;

  /** searchKeyOf the paper when the vector was computed (document version, authors' names); null: before 1796000000000 */
  @TextColumn({ nullable: true }) searchKey: string | null;
}
