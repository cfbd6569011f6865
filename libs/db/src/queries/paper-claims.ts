import type { ClaimRow } from './claim-reads';
import { bulkQuery, namedQuery, type BulkRow, type BulkSpec } from './bulk';
import type { Db } from './sql';

/** A `paper_claims` row as it goes into the INSERT's JSON recordset. */
export type ClaimInsertRow = Omit<ClaimRow, 'id'> & { content_hash: string };

/** The row source of `replacePaperClaims`; $1 is the extractor version. */
const INSERT_CLAIMS: BulkSpec = {
  name: 'insert_claims',
  columns: [
    ['paper_id', 'uuid'],
    ['start', 'int'],
    ['end', 'int'],
    ['text', 'text'],
    ['value', 'float8'],
    ['low', 'float8'],
    ['unit', 'text'],
    ['unit_text', 'text'],
    ['category', 'text'],
    ['kind', 'text'],
    ['metric', 'text'],
    ['improvement', 'boolean'],
    ['baseline', 'jsonb'],
    ['compared_to', 'text'],
    ['dataset', 'text'],
    ['qualifier', 'text'],
    ['is_headline', 'boolean'],
    ['content_hash', 'text'],
  ],
  sql: (
    x,
  ) => `INSERT INTO paper_claims (paper_id, start, "end", text, value, low, unit, unit_text, category, kind, metric, improvement,
                               baseline, compared_to, dataset, qualifier, is_headline, extractor_version, content_hash)
     SELECT x.paper_id, x.start, x."end", x.text, x.value, x.low, x.unit, x.unit_text, x.category, x.kind, x.metric, x.improvement,
            x.baseline, x.compared_to, x.dataset, x.qualifier, x.is_headline, $1, x.content_hash
       FROM ${x}
     ON CONFLICT (paper_id, start, "end") DO NOTHING`,
};

/**
 * Replaces the claims of these papers with `rows`, written by extractor `version`. Run it in the
 * transaction that moves the papers on.
 */
export async function replacePaperClaims(
  db: Db,
  paperIds: readonly string[],
  rows: readonly ClaimInsertRow[],
  version: string,
): Promise<void> {
  await namedQuery(db, 'pw_delete_claims', `DELETE FROM paper_claims WHERE paper_id = ANY($1::uuid[])`, [
    paperIds,
  ]);
  if (rows.length === 0) return;
  await bulkQuery(db, INSERT_CLAIMS, rows as unknown as readonly BulkRow[], [version]);
}
