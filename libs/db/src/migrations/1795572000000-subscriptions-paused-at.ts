import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions remember when they were paused, so resuming can backfill what they missed. A trigger
 * keeps the column on every status change, whoever makes it (the API, the CLI, the notifier's
 * auto-pause after repeated failures, a hand edit): set when the status becomes `paused`, kept while
 * it stays paused, cleared otherwise. Subscriptions paused before this migration get now().
 */
export class SubscriptionsPausedAt1795572000000 implements MigrationInterface {
  name = 'SubscriptionsPausedAt1795572000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "paused_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "subscriptions" SET "paused_at" = now() WHERE "status" = 'paused'`);
    await queryRunner.query(
      `CREATE FUNCTION subscriptions_paused_at() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW."status" <> 'paused' THEN
           NEW."paused_at" := NULL;
         ELSIF OLD."status" <> 'paused' OR OLD."paused_at" IS NULL THEN
           NEW."paused_at" := now();
         END IF;
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER subscriptions_paused_at BEFORE UPDATE OF "status" ON "subscriptions" FOR EACH ROW EXECUTE FUNCTION subscriptions_paused_at()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER subscriptions_paused_at ON "subscriptions"`);
    await queryRunner.query(`DROP FUNCTION subscriptions_paused_at()`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "paused_at"`);
  }
}
