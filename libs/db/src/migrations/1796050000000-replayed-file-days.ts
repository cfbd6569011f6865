import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshReadModelInBatches } from './refresh-in-batches';

/** Papers per refresh: each batch one pass of refreshReadModel, a cost of its papers' own sightings. */
const BATCH = 500;

/**
 * A `file` or `upload` source replaying arXiv API / OAI records (or a JSONL dump with dates) now lists its papers on
 * their publication date, as a live arXiv source does, no longer on the day PaperWire read the file
 * (SIGHTING_DAY_AT_SQL). This re-derives the read model (paper_read's t0 and trend key, paper_days; topic_days by
 * its triggers) of the papers such sources sighted, in batches of BATCH in paper id order, through the same
 * refresh the parser runs, so the rows are what the parser would now write. Papers no file or upload sighted are
 * untouched. `down` leaves the rows: they follow the code's rule, and the previous code's parser rewrites a paper's
 * days the next time it sees it.
 */
export class ReplayedFileDays1796050000000 implements MigrationInterface {
  name = 'ReplayedFileDays1796050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await refreshReadModelInBatches(
      queryRunner,
      `SELECT DISTINCT paper_id FROM paper_sources WHERE source_kind IN ('file', 'upload') AND paper_id > $1 ORDER BY paper_id LIMIT ${BATCH}`,
    );
  }

  async down(): Promise<void> {
    // nothing to undo: see the class comment
  }
}
