import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `raw_document_counts`: how many raw documents there are by status, so the stats reads (`rawDocumentsByStatus`,
 * `failedRawDocumentCount`: /v1/stats/pipeline, /ops, `paperwire stats`) read a few rows, not a count of every
 * document ever fetched (every fetch stores one: the table grows with the fetch history).
 *
 * Built like `topic_day_counts` (migration 1796096000000): the triggers append count deltas, `documents` = +n / -n of a
 * status, and never update or delete a row, so no writer waits for another one's count (the statuses are a handful of
 * hot keys: a row per status updated in place would serialize every fetch and parse on it). The total of a status is
 * the sum of its rows; the sweeper folds them into one row per status (compactRawDocumentCounts), so a read sums the
 * deltas written since the last sweep at most. A delta is written in its writer's transaction: it commits or rolls
 * back with the change it counts, whatever code wrote the row.
 * - INSERT: +1 for the new row's status. Row triggers for inserts and updates: a statement trigger's transition
 *   table would hold a copy of each new document's body (megabytes); a row trigger reads the stored row.
 * - UPDATE of status (parsed, failed, fetched again): -1 for the old status, +1 for the new one; an update that keeps
 *   the status (a re-parse, a source deleted: source_id set to null) writes none (the trigger's WHEN).
 * - DELETE: -1 per deleted row's status, one delta per status per statement (its transition table holds the stored
 *   rows, bodies not detoasted). TRUNCATE empties it.
 * The fill runs after the triggers exist, in the migration's transaction: creating them locks raw_documents against
 * writers until the migration commits, so no document is counted twice or missed.
 */
export const RAW_DOCUMENT_COUNTS_FUNCTIONS = [
  `CREATE FUNCTION raw_document_counts_row() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO raw_document_counts (status, documents) VALUES (NEW.status, 1);
     ELSE
       INSERT INTO raw_document_counts (status, documents) VALUES (OLD.status, -1), (NEW.status, 1);
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION raw_document_counts_statement() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'TRUNCATE' THEN
       TRUNCATE raw_document_counts;
     ELSE
       INSERT INTO raw_document_counts (status, documents) SELECT status, -count(*) FROM old_rows GROUP BY 1;
     END IF;
     RETURN NULL;
   END $$`,
];

/** Fills raw_document_counts from the rows there are (the migration, and tools that load documents with the triggers off). */
export const RAW_DOCUMENT_COUNTS_FILL = `INSERT INTO raw_document_counts (status, documents, folded)
  SELECT status, count(*), true FROM raw_documents GROUP BY 1`;

const TRIGGERS: [string, string][] = [
  ['raw_documents_counts_insert', 'AFTER INSERT ON "raw_documents" FOR EACH ROW EXECUTE FUNCTION raw_document_counts_row()'],
  [
    'raw_documents_counts_update',
    'AFTER UPDATE OF "status" ON "raw_documents" FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION raw_document_counts_row()',
  ],
  [
    'raw_documents_counts_delete',
    'AFTER DELETE ON "raw_documents" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION raw_document_counts_statement()',
  ],
  ['raw_documents_counts_truncate', 'AFTER TRUNCATE ON "raw_documents" FOR EACH STATEMENT EXECUTE FUNCTION raw_document_counts_statement()'],
];

export class RawDocumentCounts1796220000000 implements MigrationInterface {
  name = 'RawDocumentCounts1796220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Delta rows, no key; `folded` false: what the triggers write (the partial index finds them for the sweeper's fold).
    await queryRunner.query(
      `CREATE TABLE "raw_document_counts" ("status" text NOT NULL, "documents" integer NOT NULL, "folded" boolean NOT NULL DEFAULT false)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_raw_document_counts" ON "raw_document_counts" ("status") INCLUDE ("documents")`);
    await queryRunner.query(`CREATE INDEX "idx_raw_document_counts_unfolded" ON "raw_document_counts" ("status") WHERE NOT "folded"`);
    for (const sql of RAW_DOCUMENT_COUNTS_FUNCTIONS) await queryRunner.query(sql);
    for (const [name, def] of TRIGGERS) await queryRunner.query(`CREATE TRIGGER "${name}" ${def}`);
    await queryRunner.query(RAW_DOCUMENT_COUNTS_FILL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...TRIGGERS].reverse()) await queryRunner.query(`DROP TRIGGER "${name}" ON "raw_documents"`);
    await queryRunner.query(`DROP FUNCTION raw_document_counts_statement()`);
    await queryRunner.query(`DROP FUNCTION raw_document_counts_row()`);
    await queryRunner.query(`DROP TABLE "raw_document_counts"`);
  }
}
