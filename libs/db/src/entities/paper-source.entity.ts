import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { PaperRowEntity } from './paper-row';
import { SourceEntity } from './source.entity';

/** A sighting: one source's view of a paper, with that source's community signals. */
@Entity({ name: 'paper_sources' })
@Unique('uq_paper_sources_paper_source', ['paperId', 'sourceId'])
@Index('idx_paper_sources_featured', ['featuredAt'])
export class PaperSourceEntity extends PaperRowEntity {
  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ name: 'source_kind', type: 'text' })
  sourceKind: string;

  @Column({ name: 'raw_document_id', type: 'uuid', nullable: true })
  rawDocumentId: string | null;

  @Column({ name: 'source_item_id', type: 'text', nullable: true })
  sourceItemId: string | null;

  @Column({ type: 'integer', nullable: true })
  upvotes: number | null;

  @Column({ type: 'integer', nullable: true })
  comments: number | null;

  @Column({ name: 'github_stars', type: 'integer', nullable: true })
  githubStars: number | null;

  @Column({ name: 'announce_type', type: 'text', nullable: true })
  announceType: string | null;

  @Column({ name: 'featured_at', type: 'timestamptz', nullable: true })
  featuredAt: Date | null;

  @Column({ name: 'submitted_by', type: 'text', nullable: true })
  submittedBy: string | null;

  /** the organisation the source credits (HF organization name and full name) */
  @Column({ type: 'text', nullable: true })
  organization: string | null;

  @Column({ name: 'organization_fullname', type: 'text', nullable: true })
  organizationFullname: string | null;

  /** a thumbnail the source serves for the paper (https) */
  @Column({ name: 'thumbnail_url', type: 'text', nullable: true })
  thumbnailUrl: string | null;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;
}
