import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';

/** Full-text document: title weighted above abstract (stored in `paper_search`). */
export const PAPERS_SEARCH_EXPRESSION = `setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("abstract", '')), 'B')`;

export type PaperStageName = 'parsed' | 'classified' | 'extracted' | 'notified';

/** One paper, whatever the number of sources and versions it was seen in. */
@Entity({ name: 'papers' })
@Index('idx_papers_published', ['publishedAt'])
@Index('idx_papers_created', ['createdAt'])
// newest first: (coalesce(published_at, created_at) DESC, id DESC), created by the read-model migration
@Index('idx_papers_sort_at', { synchronize: false })
export class PaperEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** identity: arxiv:<id> | doi:<doi> | title:<normalised title> */
  @Column({ name: 'paper_key', type: 'text', unique: true })
  paperKey: string;

  @Column({ name: 'arxiv_id', type: 'text', nullable: true })
  @Index('idx_papers_arxiv_id')
  arxivId: string | null;

  @Column({ type: 'text', nullable: true })
  doi: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  abstract: string;

  @Column({ name: 'original_title', type: 'text', nullable: true })
  originalTitle: string | null;

  @Column({ name: 'original_abstract', type: 'text', nullable: true })
  originalAbstract: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  authors: PaperAuthor[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  categories: string[];

  @Column({ type: 'jsonb', default: () => `'{"code": [], "project": []}'` })
  links: PaperLinks;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'has_code', type: 'boolean', default: false })
  hasCode: boolean;

  @Column({ type: 'integer', nullable: true })
  version: number | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'source_updated_at', type: 'timestamptz', nullable: true })
  sourceUpdatedAt: Date | null;

  /** sha256 of the normalised title and abstract: later stages re-run only when it changes */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  /** where the paper is in the pipeline, and since when */
  @Column({ type: 'text', default: 'parsed' })
  stage: PaperStageName;

  @Column({ name: 'stage_at', type: 'timestamptz', default: () => 'now()' })
  stageAt: Date;

  @Column({ name: 'parsed_at', type: 'timestamptz', nullable: true })
  parsedAt: Date | null;

  @Column({ name: 'classified_at', type: 'timestamptz', nullable: true })
  classifiedAt: Date | null;

  @Column({ name: 'extracted_at', type: 'timestamptz', nullable: true })
  extractedAt: Date | null;

  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt: Date | null;

  @Column({ name: 'primary_topic', type: 'text', nullable: true })
  primaryTopic: string | null;

  @Column({ type: 'text', nullable: true })
  contribution: string | null;

  @Column({ name: 'predicted_category', type: 'text', nullable: true })
  predictedCategory: string | null;

  @Column({ name: 'classifier_version', type: 'text', nullable: true })
  classifierVersion: string | null;

  @Column({ name: 'extractor_version', type: 'text', nullable: true })
  extractorVersion: string | null;

  /** trending score (community signal with time decay), recomputed when signals change */
  @Column({ name: 'trending_score', type: 'double precision', default: 0 })
  trendingScore: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
