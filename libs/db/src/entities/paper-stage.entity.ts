import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DefaultNowColumn, TextColumn, TimestampColumn } from './columns';
import { PaperEntity, type PaperStageName } from './paper.entity';

/**
 * Where a paper is in the pipeline (issue #19): one narrow row per paper, so moving a paper through
 * the stages never rewrites the wide `papers` row. Created by a trigger when the paper is inserted,
 * and sent back to `parsed` by a trigger when its content hash changes (see the paper-stages
 * migration). Two partial indexes (migration paper-stages-read-indexes) serve the sweeper's stuck papers
 * and the notified-since / in-window reads; they select on notified_at only (set exactly while the paper
 * is at `notified`), so the moves to classified and extracted stay HOT: fillfactor 40 keeps room on the
 * page for them (three moves follow each insert within seconds).
 *
 * Lock order: a writer that changes both a paper's stage row and its `papers` row locks the stage
 * row first (`FOR UPDATE`, in paper-id order), then the papers row.
 */
@Entity({ name: 'paper_stages' })
@Index('idx_paper_stages_in_flight', { synchronize: false })
@Index('idx_paper_stages_notified', { synchronize: false })
export class PaperStageEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid' })
  paperId: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id' })
  paper?: PaperEntity;

  /** the content hash the stage applies to (the paper's, kept in step by trigger) */
  @TextColumn() contentHash: string;
  @TextColumn({ default: 'parsed' }) stage: PaperStageName;
  @DefaultNowColumn() stageAt: Date;
  @TimestampColumn({ nullable: true }) parsedAt: Date | null;
  @TimestampColumn({ nullable: true }) classifiedAt: Date | null;
  @TimestampColumn({ nullable: true }) extractedAt: Date | null;
  @TimestampColumn({ nullable: true }) notifiedAt: Date | null;
  /**
   * when the paper first reached `notified` for its content: kept when reclassify / reextract send it back (they clear
   * notifiedAt), cleared with a new content hash (migration 1796310000000). Null: never notified, a new paper.
   */
  @TimestampColumn({ nullable: true }) firstNotifiedAt: Date | null;
  /** the extractor that wrote the paper's claims */
  @TextColumn({ nullable: true }) extractorVersion: string | null;
}
