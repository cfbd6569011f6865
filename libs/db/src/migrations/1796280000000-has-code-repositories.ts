import type { MigrationInterface, QueryRunner } from 'typeorm';
import { codeRepositories, type PaperLinks } from '@paperwire/contracts';

/** Papers read per statement of the backfill (a keyed walk of the candidates; each batch one UPDATE). */
const BATCH = 5_000;

/**
 * `has_code` means a code repository: a paper whose only code links are Hugging Face models, datasets or Spaces (a
 * source listed the model as its code) had has_code = true, so `hasCode=true` and "with code" subscriptions matched it
 * while every page, feed, mail and `/v1` (`links.code`, since session 25) said it had no code. The writer now sets it
 * from `codeRepositories` (libs/contracts links.ts); this clears it where the stored links hold none. Only papers with a
 * Hugging Face link among their code links can change, so only those are read (a keyed walk, batch by batch).
 * Irreversible in meaning: down leaves the corrected values (they are what the old writer should have written).
 */
export class HasCodeRepositories1796280000000 implements MigrationInterface {
  name = 'HasCodeRepositories1796280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; links: PaperLinks }[] = await queryRunner.query(
        `SELECT id, links FROM papers
          WHERE id > $1::uuid AND has_code AND jsonb_typeof(links->'code') = 'array'
            AND (links->'code')::text ~* '(huggingface\\.co|hf\\.co)/'
          ORDER BY id LIMIT $2`,
        [after, BATCH],
      );
      if (rows.length === 0) return;
      const none = rows.filter((r) => codeRepositories(r.links).length === 0).map((r) => r.id);
      if (none.length > 0) await queryRunner.query(`UPDATE papers SET has_code = false WHERE id = ANY($1::uuid[])`, [none]);
      after = rows[rows.length - 1].id;
    }
  }

  async down(): Promise<void> {
    // the corrected values stay (see above)
  }
}
