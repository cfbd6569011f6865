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

/**
 * The first full-text document (title weighted above abstract), as the migrations up to 1795625000000 wrote it:
 * those migrations keep reading these two, so the current document below can change without changing them.
 */
export const PAPERS_SEARCH_EXPRESSION = `setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("abstract", '')), 'B')`;
/** The first full-text document of the papers row named `row` (`NEW` in a trigger, an alias in a query). */
export const searchExpressionV1Of = (row: string): string =>
  PAPERS_SEARCH_EXPRESSION.replace(/"title"/g, `${row}."title"`).replace(/"abstract"/g, `${row}."abstract"`);

/**
 * Bumped whenever searchExpressionOf changes: a vector whose paper_search.search_key does not carry the current version
 * is recomputed by the index-search job, the sweeper walking paper_search for them (outdatedSearchPapers).
 */
export const SEARCH_DOCUMENT_VERSION = 2;

/**
 * `text` without its diacritics: decomposed (NFD), combining marks (U+0300-U+036F) dropped, recomposed (NFC), then
 * the Latin letters that do not decompose (Ł, Ø, Đ, Ħ, ı, Ŀ, Ŧ) mapped to their base letter. About 20 µs a paper
 * (a translate() of every accented Latin letter cost 80). normalize() needs a UTF8 database (Postgres' default).
 */
const foldedOf = (text: string): string =>
  `translate(normalize(regexp_replace(normalize(${text}, NFD), '[\\u0300-\\u036f]', '', 'g'), NFC), 'ŁłØøĐđĦħıĿŀŦŧ', 'LlOoDdHhiLlTt')`;

/** The authors' names of the papers row `row`, a jsonb array of strings (affiliations left out). */
export const authorNamesOf = (row: string): string => `jsonb_path_query_array(coalesce(${row}."authors", '[]'), '$[*].name ? (@.type() == "string")')`;

/**
 * The full-text document of the papers row named `row` (an alias in a query): the title (weight A) above the
 * abstract (B) above the authors' names (C), all parsed with the 'english' configuration, the one every query is
 * parsed with (websearch_to_tsquery('english', q)): a name is then stemmed alike on both sides ("James" is 'jame'
 * in the document and in the query). Each name is its own string of the jsonb array, so a quoted "Yann LeCun"
 * matches that author and never the end of one name and the start of the next. A name with accents is indexed as
 * written and folded (foldedOf): "Schölkopf" and "Scholkopf" both find it. Not covered: other transliterations
 * ("Schoelkopf"), non-Latin scripts, and a surname that is an English stop word ("He" in "Kaiming He" is dropped on
 * both sides: "Kaiming He" finds the Kaimings, "He" alone finds nothing).
 */
export const searchExpressionOf = (row: string): string => {
  const names = authorNamesOf(row);
  return `${searchExpressionV1Of(row)} || setweight(to_tsvector('english', CASE WHEN ${foldedOf(`${names}::text`)} = ${names}::text
    THEN ${names} ELSE ${names} || ${foldedOf(`${names}::text`)}::jsonb END), 'C')`;
};

/**
 * What a vector was computed from besides the title and abstract (their content_hash, stored alongside): the version
 * of the document and the authors' names. paper_search.search_key holds it; a vector whose key differs from its
 * paper's (an author list changed, an older document) is stale.
 */
export const searchKeyOf = (row: string): string => `'${SEARCH_DOCUMENT_VERSION}:' || md5(${authorNamesOf(row)}::text)`;

export type PaperStageName = 'parsed' | 'classified' | 'extracted' | 'notified';

/** One paper, whatever the number of sources and versions it was seen in. */
@Entity({ name: 'papers' })
@Index('idx_papers_published', ['publishedAt'])
@Index('idx_papers_created', ['createdAt'])
// newest first by listing date: (coalesce(published_at, listed_at, created_at) DESC, id DESC), created by the read-model
// migration, rebuilt by 1796270000000-papers-listed-at
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
  /**
   * for a paper no source dated: the earliest day a source featured it (a Daily Papers capture's day), its listing
   * date before created_at (refreshReadModel keeps it); null for a dated paper
   */
  @TimestampColumn({ nullable: true }) listedAt: Date | null;
  @TimestampColumn({ nullable: true }) sourceUpdatedAt: Date | null;
  /** sha256 of the normalised title and abstract: later stages re-run only when it changes */
  @TextColumn() contentHash: string;
  // where the paper is in the pipeline: `paper_stages` (one narrow row per paper)
  @TextColumn({ nullable: true }) primaryTopic: string | null;
  @TextColumn({ nullable: true }) contribution: string | null;
  @TextColumn({ nullable: true }) predictedCategory: string | null;
  @TextColumn({ nullable: true }) classifierVersion: string | null;
}
