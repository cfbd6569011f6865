import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import {
  DateColumn,
  DefaultNowColumn,
  DoubleColumn,
  IntegerColumn,
  TextColumn,
  TimestampColumn,
} from './columns';
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
  @TimestampColumn() t0: Date;
  @DateColumn() day0: string;
  /** Monday of t0's ISO week (UTC) */
  @DateColumn() week0: string;
  @DateColumn() month0: string;
  @TimestampColumn({ nullable: true }) featuredAt: Date | null;
  @IntegerColumn({ nullable: true }) upvotes: number | null;
  @IntegerColumn({ nullable: true }) comments: number | null;
  @IntegerColumn({ nullable: true }) stars: number | null;
  /** the public origins (Hugging Face, arXiv: FEED_ORIGIN) that listed the paper, 0 to 2; not its operator source rows */
  @IntegerColumn() sources: number;
  @TextColumn({ nullable: true }) submittedBy: string | null;
  @DoubleColumn() signal: number;
  /** ln(signal) + ln2/48 · hours_since_epoch(t0); null when the signal is 0 */
  @DoubleColumn({ nullable: true }) trendKey: number | null;
  @DefaultNowColumn() updatedAt: Date;
}

/** Read model of the day listing: one row per paper and UTC day it was sighted on. */
@Entity({ name: 'paper_days' })
@Index('idx_paper_days_rank', { synchronize: false })
@Index('idx_paper_days_source', { synchronize: false })
@Index('idx_paper_days_published', { synchronize: false })
@Index('idx_paper_days_trend', { synchronize: false })
export class PaperDayEntity {
  @PrimaryColumn({ name: 'paper_id', type: 'uuid', primaryKeyConstraintName: 'PK_paper_days' })
  paperId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_paper_days' })
  day: string;

  @ManyToOne(() => PaperEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'paper_id', foreignKeyConstraintName: 'FK_paper_days_paper' })
  paper?: PaperEntity;

  /** max upvotes of the day's sightings */
  @IntegerColumn({ nullable: true }) upvotes: number | null;
  /** position in a text capture (fetch time and index), null otherwise */
  @Column({ name: 'capture_pos', type: 'bigint', nullable: true }) capturePos: string | null;
  @TimestampColumn() sightedAt: Date;
  /** the paper's trend key (paper_read.trend_key), -Infinity without a signal: the day's trend order (idx_paper_days_trend) */
  @DoubleColumn({ default: () => "'-Infinity'" }) trendKey: number;
}
