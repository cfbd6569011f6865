import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who holds a delivery's `sending` claim (the deliver job's id): a job that comes back after a crash
 * takes its own claims over at once, any other job only once the claim is older than its lease.
 */
export class DeliveriesClaimedBy1795605000000 implements MigrationInterface {
  name = 'DeliveriesClaimedBy1795605000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "claimed_by" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "claimed_by"`);
  }
}
