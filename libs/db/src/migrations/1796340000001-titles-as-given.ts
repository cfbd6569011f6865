import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Papers per statement, in id order. */
const BATCH = 1000;

/**
 * Every source's title is now stored as the source gave it (whitespace collapsed, NFC), its LaTeX kept: the arXiv
 * parsers used to store it flattened ("Sub-O(n^2) …" for "Sub-$O(n^2)$ …"), keeping the source's form in
 * `original_title`, while Hugging Face's and JSONL titles were kept as given. This writes back, in batches of BATCH
 * papers in id order, the source's form of each title that was flattened: `original_title` with its whitespace
 * collapsed and in NFC (normalizePlain in @paperwire/feeds: the same steps, in SQL), where that differs from the
 * stored title; `original_title` is then cleared when it equals the new title. The content hash and the paper key
 * are unchanged (both read the title with its LaTeX made text), so no paper is re-versioned or re-keyed; nor is its
 * `updated_at` moved (the record's content is the same). The paper's current version row (paper_versions, same
 * content hash) takes the same title, so the page's version diff does not show a change of form; older versions keep
 * the form they were stored in (their source form is not kept), which the diff reads through titleText. `down` leaves the titles: the previous code reads either.
 */
export class TitlesAsGiven1796340000001 implements MigrationInterface {
  name = 'TitlesAsGiven1796340000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { last: string | null }[] = await queryRunner.query(
        `WITH batch AS (
           SELECT id, btrim(regexp_replace(normalize(original_title, NFC), E'[\\\\s\\u200B\\uFEFF]+', ' ', 'g')) AS given
             FROM papers WHERE original_title IS NOT NULL AND id > $1 ORDER BY id LIMIT ${BATCH}
         ), up AS (
           UPDATE papers p SET title = b.given, original_title = CASE WHEN p.original_title = b.given THEN NULL ELSE p.original_title END
             FROM batch b WHERE p.id = b.id AND b.given <> '' AND p.title <> b.given
           RETURNING p.id, p.title, p.content_hash
         ), versions AS (
           UPDATE paper_versions v SET title = u.title FROM up u
            WHERE v.paper_id = u.id AND v.content_hash = u.content_hash AND v.title <> u.title
           RETURNING 1
         )
         SELECT (SELECT max(id::text) FROM batch) AS last, (SELECT count(*) FROM up)::int AS n, (SELECT count(*) FROM versions)::int AS v`,
        [after],
      );
      const last = rows[0]?.last;
      if (!last) return;
      after = last;
    }
  }

  async down(): Promise<void> {
    // nothing to undo: see the class comment
  }
}
