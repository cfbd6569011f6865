import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The papers a capped digest left out, in the digest's order, one row each: its "see the rest" page (/digests/{id})
 * reads one page of them by primary key range, whatever the digest's size (up to the notifier's 5,000 a period).
 * No foreign key to papers: a paper deleted since is left out of the page (cards drop unknown ids). A digest made
 * before this kept no list (its page says so).
 */
export class DigestLeftOut1796110000000 implements MigrationInterface {
  name = 'DigestLeftOut1796110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "digest_left_out" ("delivery_id" uuid NOT NULL, "position" integer NOT NULL, "paper_id" uuid NOT NULL,
         CONSTRAINT "pk_digest_left_out" PRIMARY KEY ("delivery_id", "position"),
         CONSTRAINT "fk_digest_left_out_delivery" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "digest_left_out"`);
  }
}
