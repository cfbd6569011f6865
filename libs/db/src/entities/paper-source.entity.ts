import { Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import type { HfPaperExtras } from '@paperwire/contracts';
import { BooleanColumn, DefaultNowColumn, IntegerColumn, JsonbColumn, TextColumn, TimestampColumn, UuidColumn } from './columns';
import { PaperRowEntity } from './paper-row';
import { SourceEntity } from './source.entity';

/** A sighting: one source's view of a paper, with that source's community signals. */
@Entity({ name: 'paper_sources' })
@Unique('uq_paper_sources_paper_source', ['paperId', 'sourceId'])
@Index('idx_paper_sources_featured', ['featuredAt'])
export class PaperSourceEntity extends PaperRowEntity {
  @UuidColumn() sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @TextColumn() sourceKind: string;
  @UuidColumn({ nullable: true }) rawDocumentId: string | null;
  @TextColumn({ nullable: true }) sourceItemId: string | null;
  @IntegerColumn({ nullable: true }) upvotes: number | null;
  @IntegerColumn({ nullable: true }) comments: number | null;
  @IntegerColumn({ nullable: true }) githubStars: number | null;
  @TextColumn({ nullable: true }) announceType: string | null;
  @TimestampColumn({ nullable: true }) featuredAt: Date | null;
  @TextColumn({ nullable: true }) submittedBy: string | null;
  /** the timestamp the source gives its own item (HF Daily Papers' item publishedAt: its submission), not the paper's date */
  @TimestampColumn({ nullable: true }) itemPublishedAt: Date | null;
  /** the organisation the source credits (HF organization name and full name) */
  @TextColumn({ nullable: true }) organization: string | null;
  @TextColumn({ nullable: true }) organizationFullname: string | null;
  /** a thumbnail the source serves for the paper (https) */
  @TextColumn({ nullable: true }) thumbnailUrl: string | null;
  /** the item's media the source serves (HF Daily Papers' mediaUrls, https), as it lists them */
  @TextColumn({ nullable: true, array: true }) mediaUrls: string[] | null;
  /** whether an author takes part in the item's discussion (HF Daily Papers' isAuthorParticipating); null: not said */
  @BooleanColumn({ nullable: true }) authorParticipating: boolean | null;
  /** Hugging Face's own fields of the paper its API serves again (discussion, AI summary and keywords, summary as given) */
  @JsonbColumn({ nullable: true }) hfExtras: HfPaperExtras | null;
  @DefaultNowColumn() firstSeenAt: Date;
  @DefaultNowColumn() lastSeenAt: Date;
}
