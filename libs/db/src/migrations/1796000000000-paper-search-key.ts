import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `paper_search.search_key`: what a vector was computed from besides the title and abstract (searchKeyOf: the version
 * of the document, the authors' names). The document now has the authors' names (weight C); a vector without the
 * current key is stale, like one whose content_hash is not its paper's.
 *
 * The column is added without a default (a catalogue change, no row rewritten): every existing vector is then stale,
 * and is recomputed by the index-search job in batches of 500, from the sweeper's walk of paper_search
 * (outdatedSearchPapers), not in this migration's transaction. Until its turn comes, a paper stays searchable by its
 * title and abstract.
 */
export class PaperSearchKey1796000000000 implements MigrationInterface {
  name = 'PaperSearchKey1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_search" ADD "search_key" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "paper_search" DROP COLUMN "search_key"`);
  }
}
