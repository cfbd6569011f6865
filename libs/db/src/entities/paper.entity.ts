import { Entity, Index } from 'typeorm';
import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';
import {
  BooleanColumn,
  IntegerColumn,
  JsonbColumn,
  TextColumn,
  TimestampColumn,
} from './columns';
import { UuidTimestampedEntity } from './timestamped';

/** Full-text document: title weighted above abstract (stored in `paper_search`). */
export const PAPERS_SEARCH_EXPRESSION = `setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("abstract", '')), 'B')`;
/** The full-text document of the papers row named `row` (`NEW` in a trigger, an alias in a query). */
export const searchExpressionOf = (row: string): string =>
  PAPERS_SEARCH_EXPRESSION.replace(/"title"/g, `${row}."title"`).replace(/"abstract"/g, `${row}."abstract"`);

export type PaperStageName = 'parsed' | 'classified' | 'extracted' | 'notified';

/** One paper, whatever the number of sources and versions it was seen in. */
@Entity({ name: 'papers' })
@Index('idx_papers_published', ['publishedAt'])
@Index('idx_papers_created', ['createdAt'])
// newest first: (coalesce(published_at, created_at) DESC, id DESC), created by the read-model migration
@Index('idx_papers_sort_at', { synchronize: false })
// a paper by its DOI whatever its key: (lower(doi)) WHERE doi IS NOT NULL, created by 1795730000000-papers-doi-index
@Index('idx_papers_doi', { synchronize: false })
export class PaperEntity extends UuidTimestampedEntity {
  /** identity: arxiv:<id> | doi:<doi> | title:<normalised title> */
  @TextColumn({ unique: true }) paperKey: string;

  @TextColumn({ nullable: true })
  @Index('idx_papers_arxiv_id')
  arxivId: string | null;

  @TextColumn({ nullable: true }) doi: string | null;
  @TextColumn() title: string;
  @TextColumn() abstract: string;
  @TextColumn({ nullable: true }) originalTitle: string | null;
  @TextColumn({ nullable: true }) originalAbstract: string | null;
  @JsonbColumn({ default: () => "'[]'" }) authors: PaperAuthor[];
  @TextColumn({ array: true, default: () => "'{}'" }) categories: string[];
  @JsonbColumn({ default: () => `'{"code": [], "project": []}'` }) links: PaperLinks;
  @TextColumn({ nullable: true }) comment: string | null;
  @BooleanColumn({ default: false }) hasCode: boolean;
  @IntegerColumn({ nullable: true }) version: number | null;
  @TimestampColumn({ nullable: true }) publishedAt: Date | null;
  @TimestampColumn({ nullable: true }) sourceUpdatedAt: Date | null;
  /** sha256 of the normalised title and abstract: later stages re-run only when it changes */
  @TextColumn() contentHash: string;
  // where the paper is in the pipeline: `paper_stages` (one narrow row per paper)
  @TextColumn({ nullable: true }) primaryTopic: string | null;
  @TextColumn({ nullable: true }) contribution: string | null;
  @TextColumn({ nullable: true }) predictedCategory: string | null;
  @TextColumn({ nullable: true }) classifierVersion: string | null;
}
