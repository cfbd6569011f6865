import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshReadModel } from '../queries/read-model';

/** Papers per step: each one pass of refreshReadModel, a cost of its papers' own sightings. */
const BATCH = 500;

/**
 * The papers a Daily Papers text capture created: their first sighting (inserted in the transaction that inserted
 * the paper, so at the same now()) came from a document parsed as `daily-papers-text`. The capture states no
 * publication date; the parser used to store the page's date line ("Sep 1", a day at 00:00 UTC) as one, and a later
 * source never replaced a stored date. `dated`: whose published_at is still such a 00:00 UTC day (up), or is null
 * and was listed by the capture (down).
 */
function createdByCapture(dated: 'up' | 'down'): string {
  const date =
    dated === 'up'
      ? `p.published_at IS NOT NULL AND p.published_at = date_trunc('day', p.published_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`
      : `p.published_at IS NULL`;
  return `SELECT p.id FROM papers p
     WHERE p.id > $1 AND ${date}
       AND EXISTS (SELECT 1 FROM paper_sources ps JOIN raw_documents rd ON rd.id = ps.raw_document_id
                    WHERE ps.paper_id = p.id AND rd.format = 'daily-papers-text' AND ps.first_seen_at = p.created_at
                      ${dated === 'down' ? 'AND ps.featured_at IS NOT NULL' : ''})
     ORDER BY p.id LIMIT ${BATCH}`;
}

const CAPTURE_SIGHTINGS = `FROM raw_documents rd WHERE rd.id = ps.raw_document_id AND rd.format = 'daily-papers-text'`;

/**
 * A Daily Papers text capture no longer dates its papers: the page's date line is when Daily Papers listed them (the
 * sighting's featured_at), and published_at stays null until a source that states a date gives one. This moves the
 * dates the capture wrote to where they belong: for each paper the capture created whose published_at is a 00:00
 * UTC day, its capture sightings get that day as featured_at (when they had none) and published_at is cleared; then
 * the read model of those papers is refreshed (the same day listing: a capture sighting's day is its featured_at).
 * Papers another source created keep their dates. `down` puts the listing day back as published_at (the earlier
 * capture sighting's featured_at), the previous code's reading.
 */
export class TextCaptureDates1796160000000 implements MigrationInterface {
  name = 'TextCaptureDates1796160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.each(queryRunner, 'up', async (ids) => {
      await queryRunner.query(
        `UPDATE paper_sources ps SET featured_at = p.published_at FROM papers p
          WHERE p.id = ANY($1::uuid[]) AND ps.paper_id = p.id AND ps.featured_at IS NULL
            AND EXISTS (SELECT 1 ${CAPTURE_SIGHTINGS})`,
        [ids],
      );
      await queryRunner.query(`UPDATE papers SET published_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.each(queryRunner, 'down', async (ids) => {
      await queryRunner.query(
        `UPDATE papers p SET published_at = (SELECT min(ps.featured_at) FROM paper_sources ps
                                               WHERE ps.paper_id = p.id AND EXISTS (SELECT 1 ${CAPTURE_SIGHTINGS}))
          WHERE p.id = ANY($1::uuid[])`,
        [ids],
      );
    });
  }

  private async each(queryRunner: QueryRunner, dated: 'up' | 'down', step: (ids: string[]) => Promise<void>): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string }[] = await queryRunner.query(createdByCapture(dated), [after]);
      if (rows.length === 0) return;
      const ids = rows.map((r) => r.id);
      await step(ids);
      await refreshReadModel(queryRunner.manager, ids);
      after = ids[ids.length - 1];
    }
  }
}
