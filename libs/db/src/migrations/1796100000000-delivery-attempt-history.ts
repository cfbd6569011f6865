import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A redelivery keeps a delivery's attempt history: it starts a fresh run of attempts (`attempts`, which the retry
 * policy counts against its limit, from 0) but adds the attempts of the earlier runs to `earlier_attempts` and counts
 * itself in `redeliveries`, so the delivery log still says how many attempts the message took in all. A constant
 * default: no table rewrite. Deliveries redelivered before this kept no history (0).
 */
export class DeliveryAttemptHistory1796100000000 implements MigrationInterface {
  name = 'DeliveryAttemptHistory1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "earlier_attempts" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "redeliveries" integer NOT NULL DEFAULT '0'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "redeliveries"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "earlier_attempts"`);
  }
}
