import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reason as this migration wrote it. Copied, not imported from queries/subscriptions.ts: a migration is frozen
 * at what it did, and an edit to the runtime constant (which confirmPendingSubscription still uses) must not change it.
 */
const EXAMPLES_NEED_PAPERS_REASON =
  'the "examples" filter now needs example papers (filters.examples.papers: 1-20 catalogue or arXiv ids); ' +
  'without them it never matched anything. Add papers to the filter (or remove "examples") and resume.';

/**
 * A stored `examples` filter without `papers` (accepted before example papers could be named) never matched
 * anything and no longer parses. Active ones are paused with a reason saying why (pausing changes no
 * delivery: they delivered nothing); paused ones keep their status and get the reason. Disabled ones are left
 * as they are (the notifier refuses their filters without crashing); unconfirmed ones are paused with the
 * reason when they are confirmed (`confirmPendingSubscription`). Not reverted:
 * `down` leaves the subscriptions paused.
 */
export class ExamplesNeedPapers1795650000000 implements MigrationInterface {
  name = 'ExamplesNeedPapers1795650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "subscriptions" SET "status" = 'paused', "status_reason" = $1
        WHERE "status" IN ('active', 'paused')
          AND jsonb_typeof("filters"->'examples') = 'object' AND NOT ("filters"->'examples' ? 'papers')`,
      [EXAMPLES_NEED_PAPERS_REASON],
    );
  }

  async down(): Promise<void> {
    // nothing to undo: the paused subscriptions' filters never matched
  }
}
