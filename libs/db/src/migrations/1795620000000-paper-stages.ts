import type { MigrationInterface, QueryRunner } from 'typeorm';

const STAGE_COLUMNS = [
  'stage',
  'stage_at',
  'parsed_at',
  'classified_at',
  'extracted_at',
  'notified_at',
  'extractor_version',
];

/** `paper_stages` named with the schema the migration runs in (as the trigger functions name it). */
export async function paperStagesTable(queryRunner: QueryRunner): Promise<string> {
  const schema = (await queryRunner.getCurrentSchema()) ?? 'public';
  return `"${schema.replace(/"/g, '""')}"."paper_stages"`;
}

/**
 * The trigger function that puts a paper's stage row at `parsed` (new paper, new content hash):
 * `table` is the schema-qualified paper_stages, `alsoSet` more assignments on a return to `parsed`
 * (the paper-stages-read-indexes migration adds `, "notified_at" = NULL`).
 */
export function paperStageResetFunction(
  verb: 'CREATE' | 'CREATE OR REPLACE',
  table: string,
  alsoSet: string,
): string {
  return `${verb} FUNCTION paper_stage_reset() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO ${table} ("paper_id", "content_hash", "stage", "stage_at", "parsed_at") VALUES (NEW."id", NEW."content_hash", 'parsed', now(), now())
           ON CONFLICT ("paper_id") DO UPDATE SET "content_hash" = EXCLUDED."content_hash", "stage" = 'parsed', "stage_at" = now(), "parsed_at" = now()${alsoSet};
         RETURN NULL;
       END $$`;
}

/**
 * Stage state moves out of the wide `papers` row into `paper_stages` (issue #19): three of the four
 * writes a paper gets after its insert were stage moves that rewrote the whole ~2 kB papers tuple.
 * The narrow row keeps free space on its pages (fillfactor 40) and is indexed on no stage column
 * (its primary key; the read indexes of 1795630000000 key on notified_at only), so the moves to
 * classified and extracted are HOT updates of a ~150-byte tuple; the move to notified is not.
 *
 * Triggers keep it in step with every writer of `papers`: a row at `parsed` per new paper, and a
 * return to `parsed` (with the new hash) when a paper's content hash changes. The functions name
 * their table with the schema they were created in (like the paper-search triggers).
 */
export class PaperStages1795620000000 implements MigrationInterface {
  name = 'PaperStages1795620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = await paperStagesTable(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "paper_stages" ("paper_id" uuid NOT NULL, "content_hash" text NOT NULL, "stage" text NOT NULL DEFAULT 'parsed',
         "stage_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "parsed_at" TIMESTAMP WITH TIME ZONE,
         "classified_at" TIMESTAMP WITH TIME ZONE, "extracted_at" TIMESTAMP WITH TIME ZONE, "notified_at" TIMESTAMP WITH TIME ZONE,
         "extractor_version" text, CONSTRAINT "PK_41099a7de86e01077a562e23aa1" PRIMARY KEY ("paper_id")) WITH (fillfactor = 40)`,
    );
    await queryRunner.query(
      `INSERT INTO "paper_stages" ("paper_id", "content_hash", ${STAGE_COLUMNS.map((c) => `"${c}"`).join(', ')})
       SELECT "id", "content_hash", ${STAGE_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "papers" ORDER BY "id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "paper_stages" ADD CONSTRAINT "FK_41099a7de86e01077a562e23aa1" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    for (const c of STAGE_COLUMNS) await queryRunner.query(`ALTER TABLE "papers" DROP COLUMN "${c}"`);

    await queryRunner.query(paperStageResetFunction('CREATE', table, ''));
    await queryRunner.query(
      `CREATE TRIGGER paper_stage_insert AFTER INSERT ON "papers" FOR EACH ROW EXECUTE FUNCTION paper_stage_reset()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER paper_stage_update AFTER UPDATE OF "content_hash" ON "papers" FOR EACH ROW
         WHEN (OLD."content_hash" IS DISTINCT FROM NEW."content_hash") EXECUTE FUNCTION paper_stage_reset()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER paper_stage_update ON "papers"`);
    await queryRunner.query(`DROP TRIGGER paper_stage_insert ON "papers"`);
    await queryRunner.query(`DROP FUNCTION paper_stage_reset()`);
    await queryRunner.query(
      `ALTER TABLE "papers" ADD "stage" text NOT NULL DEFAULT 'parsed', ADD "stage_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         ADD "parsed_at" TIMESTAMP WITH TIME ZONE, ADD "classified_at" TIMESTAMP WITH TIME ZONE, ADD "extracted_at" TIMESTAMP WITH TIME ZONE,
         ADD "notified_at" TIMESTAMP WITH TIME ZONE, ADD "extractor_version" text`,
    );
    await queryRunner.query(
      `UPDATE "papers" p SET ${STAGE_COLUMNS.map((c) => `"${c}" = s."${c}"`).join(', ')} FROM "paper_stages" s WHERE s."paper_id" = p."id"`,
    );
    await queryRunner.query(`DROP TABLE "paper_stages"`);
  }
}
