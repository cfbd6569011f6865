import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshReadModelInBatches } from './refresh-in-batches';

/** Papers per refresh: each batch one pass of refreshReadModel, a cost of its papers' own sightings. */
const BATCH = 500;

/**
 * Trending's "extra source" is now a second public origin (Hugging Face and arXiv: SIGHTING_ORIGIN_SQL), no longer a
 * second operator source row: an arXiv RSS feed next to an arXiv OAI backfill, or one file added twice, made a
 * paper without upvotes, comments or stars trend. `paper_read.sources` now counts origins, so it can only fall: the
 * papers it can change are those that had more than one source row (`sources > 1`). This re-derives their read
 * model (paper_read's sources, signal and trend key, paper_days' trend key) in batches of BATCH in paper id order,
 * through the same refresh the parser runs; every other paper is untouched (cost: one pass over paper_read's
 * rows, then a refresh of the papers two or more sources listed). A paper one source row of no origin listed (a JSONL
 * upload) keeps `sources` 1 where the rule now says 0 until its next refresh: its signal is the same either way
 * (the extra-source term is 3·max(sources − 1, 0)), so no listing changes. `down` leaves the rows: the previous code's
 * parser rewrites a paper's row the next time it sees it.
 */
export class TrendPublicOrigins1796340000000 implements MigrationInterface {
  name = 'TrendPublicOrigins1796340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await refreshReadModelInBatches(queryRunner, `SELECT paper_id FROM paper_read WHERE sources > 1 AND paper_id > $1 ORDER BY paper_id LIMIT ${BATCH}`);
  }

  async down(): Promise<void> {
    // nothing to undo: see the class comment
  }
}
