import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator's mail server as the notifier last found it (one row, written by every notifier): the
 * class of its last failure, since when it has been failing (null once a mail went through), and when it
 * last failed or worked. A mail-server failure is no subscriber's fault: it is shown here, on /ops, and
 * counts against no subscription.
 */
export class MailServerState1795670000000 implements MigrationInterface {
  name = 'MailServerState1795670000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_server_state" (
         "id" text PRIMARY KEY DEFAULT 'smtp' CHECK ("id" = 'smtp'),
         "error_class" text,
         "failing_since" timestamptz,
         "last_failure_at" timestamptz,
         "last_success_at" timestamptz
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_server_state"`);
  }
}
