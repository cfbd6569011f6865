import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a subscription was disabled (null unless it is): re-enabling one disabled by a 410 backfills what it missed
 * from then, as resuming a paused one does from paused_at. Kept by a trigger on inserts and status changes (set
 * when it becomes disabled, cleared when it leaves that status); rows disabled now get their last update's time.
 */
export class SubscriptionsDisabledAt1796190000001 implements MigrationInterface {
  name = 'SubscriptionsDisabledAt1796190000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "disabled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "subscriptions" SET "disabled_at" = "updated_at" WHERE "status" = 'disabled'`);
    await queryRunner.query(
      `CREATE FUNCTION subscriptions_disabled_at() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW."status" <> 'disabled' THEN
           NEW."disabled_at" := NULL;
         ELSIF TG_OP = 'INSERT' OR OLD."status" <> 'disabled' OR OLD."disabled_at" IS NULL THEN
           NEW."disabled_at" := now();
         END IF;
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER subscriptions_disabled_at BEFORE INSERT OR UPDATE OF "status" ON "subscriptions" FOR EACH ROW EXECUTE FUNCTION subscriptions_disabled_at()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER subscriptions_disabled_at ON "subscriptions"`);
    await queryRunner.query(`DROP FUNCTION subscriptions_disabled_at()`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "disabled_at"`);
  }
}
