import type { QueryRunner } from 'typeorm';
import { refreshReadModel } from '../queries/read-model';

/**
 * Re-derives the read model of the papers `select` names, a batch at a time through the refresh the parser runs:
 * `select` takes the last paper id of the previous batch as $1 and returns the next batch's `paper_id`s in id order
 * (`… WHERE paper_id > $1 ORDER BY paper_id LIMIT n`); each batch costs its papers' own sightings.
 */
export async function refreshReadModelInBatches(queryRunner: QueryRunner, select: string): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: { paper_id: string }[] = await queryRunner.query(select, [after]);
    if (rows.length === 0) return;
    await refreshReadModel(
      queryRunner.manager,
      rows.map((r) => r.paper_id),
    );
    after = rows[rows.length - 1].paper_id;
  }
}
