import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Before the link merge left them out, merging a source's links into a paper that had no abstract or PDF link
 * wrote `"abs": null` / `"pdf": null` into `papers.links`, which the API then served against its contract (a link
 * is a string or absent). This drops those keys; nothing else in the row changes, `updated_at` included (a reader
 * sees no new link). One pass over the rows that carry a null, found by a containment test. Not reverted: `down`
 * leaves the keys out.
 */
export class LinksWithoutNulls1795660000000 implements MigrationInterface {
  name = 'LinksWithoutNulls1795660000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "papers" SET "links" = "links" - 'abs'
        WHERE "links" @> '{"abs": null}'`,
    );
    await queryRunner.query(
      `UPDATE "papers" SET "links" = "links" - 'pdf'
        WHERE "links" @> '{"pdf": null}'`,
    );
  }

  async down(): Promise<void> {
    // nothing to undo: absent and null links mean the same, and only absent is valid
  }
}
