import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { PaperEntity } from './paper.entity';

/**
 * Read model of the listings, one row per sighted paper (migration read-model; kept by the parser with
 * `refreshReadModel`). Its indexes (partial, expression, DESC) are created by the migration.
 */
@Entity({ name: 'paper_read' })
@Index('idx_paper_read_trend', { synchronize: false })
@Index('idx_paper_read_week', { synchronize: false })
@Index('idx_paper_read_month', { synchronize: false })
@Index('idx_paper_read_t0', { synchronize: false })
@Index('idx_paper_read_submitter', { synchronize: false })
export class PaperReadEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid', primaryKeyConstraintName: 'PK_paper_read' })
  paperId: string;

  @OneToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id', foreignKeyConstraintName: 'FK_paper_read_paper' })
  paper?: PaperEntity;

  /** first appearance: earliest featured / announced, else arXiv API/OAI published, else first seen */
  @Column({ type: 'timestamptz' })
  t0: Date;

  @Column({ type: 'date' })
  day0: string;

  /** Monday of t0's ISO week (UTC) */
  @Column({ type: 'date' })
  week0: string;

  @Column({ type: 'date' })
  month0: string;

  @Column({ name: 'featured_at', type: 'timestamptz', nullable: true })
  featuredAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  upvotes: number | null;

  @Column({ type: 'integer', nullable: true })
  comments: number | null;

  @Column({ type: 'integer', nullable: true })
  stars: number | null;

  /** distinct sources that sighted the paper */
  @Column({ type: 'integer' })
  sources: number;

  @Column({ name: 'submitted_by', type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ type: 'double precision' })
  signal: number;

  /** ln(signal) + ln2/48 · hours_since_epoch(t0); null when the signal is 0 */
  @Column({ name: 'trend_key', type: 'double precision', nullable: true })
  trendKey: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** Read model of the day listing: one row per paper and UTC day it was sighted on. */
@Entity({ name: 'paper_days' })
@Index('idx_paper_days_rank', { synchronize: false })
export class PaperDayEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid', primaryKeyConstraintName: 'PK_paper_days' })
  paperId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_paper_days' })
  day: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id', foreignKeyConstraintName: 'FK_paper_days_paper' })
  paper?: PaperEntity;

  /** max upvotes of the day's sightings */
  @Column({ type: 'integer', nullable: true })
  upvotes: number | null;

  /** position in a text capture (fetch time and index), null otherwise */
  @Column({ name: 'capture_pos', type: 'bigint', nullable: true })
  capturePos: string | null;

  @Column({ name: 'sighted_at', type: 'timestamptz' })
  sightedAt: Date;
}
