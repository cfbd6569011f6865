import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An email subscription created without a name was named `email {address}`, and the name is what its mails and the
 * pages its signed links open show ("PaperWire daily digest: 30 new papers for “email reader@example.com”"). Such
 * rows are named by what they send, as new ones are (libs/notifications defaultSubscriptionName): "Daily digest",
 * "Weekly digest", "Instant alerts". Names given by their owners are left alone (mail still shows none of an
 * address they hold: mailedName). `down` leaves the names: the old default is not worth restoring.
 */
export class EmailSubscriptionNames1796310000001 implements MigrationInterface {
  name = 'EmailSubscriptionNames1796310000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "subscriptions"
          SET "name" = CASE "mode" WHEN 'daily' THEN 'Daily digest' WHEN 'weekly' THEN 'Weekly digest' ELSE 'Instant alerts' END
        WHERE "channel" = 'email' AND "name" = left('email ' || "target", 200)`,
    );
  }

  async down(): Promise<void> {
    // names only: nothing to undo
  }
}
