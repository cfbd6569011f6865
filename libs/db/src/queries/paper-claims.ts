import type { PaperRef } from '@paperwire/contracts';
import type { ClaimRow } from './claim-reads';
import { bulkQuery, namedQuery, type BulkRow, type BulkSpec } from './bulk';
import { lockedAtStage, saveStage } from './pipeline';
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

/** A `paper_claims` row of `saveExtractions`: its content hash is its paper's. */
export type ExtractedClaimRow = Omit<ClaimInsertRow, 'content_hash'>;

/**
 * The extractor's save in one statement: `advanceStage(…, 'extracted', …)` with `extractor_version`
 * (stage rows locked in paper-id order, stage and hash re-checked), then, for the papers that moved
 * only, their claims replaced (`replacePaperClaims`: the old rows deleted before the new are
 * inserted). $1, $2: the papers' ids and hashes; $3 the extractor version; the row source: the claims.
 */
const EXTRACT_PAPERS: BulkSpec = {
  name: 'extract_papers',
  columns: INSERT_CLAIMS.columns.filter(([c]) => c !== 'content_hash'),
  sql: (x) => `WITH v AS (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS hash),
     ${lockedAtStage('classified', '$1', ', s.extracted_at AS was_extracted_at')},
     moved AS (UPDATE paper_stages s SET stage = 'extracted', stage_at = now(), extracted_at = now(), extractor_version = $3
                 FROM l WHERE s.paper_id = l.paper_id
             RETURNING s.paper_id, s.content_hash, l.was_extracted_at),
     -- updated_at is when a reader last saw the paper change (feeds date their entries by it): a re-extraction
     -- whose claims differ (spans, texts, what they measure) moves it; a paper's first extraction does not (it
     -- follows its ingestion by seconds) and claims found again the same do not.
     nc AS (SELECT x.paper_id, array_agg(ROW(x.start, x."end", x.text, x.unit, x.kind, x.metric, x.is_headline)::text ORDER BY x.start, x."end") AS claims
              FROM ${x} GROUP BY x.paper_id),
     u AS (UPDATE papers p SET updated_at = now()
             FROM moved m LEFT JOIN nc ON nc.paper_id = m.paper_id
            WHERE p.id = m.paper_id AND m.was_extracted_at IS NOT NULL
              AND ARRAY(SELECT ROW(c.start, c."end", c.text, c.unit, c.kind, c.metric, c.is_headline)::text FROM paper_claims c
                         WHERE c.paper_id = m.paper_id ORDER BY c.start, c."end") IS DISTINCT FROM coalesce(nc.claims, '{}')),
     d AS (DELETE FROM paper_claims c USING moved m WHERE c.paper_id = m.paper_id RETURNING 1),
     i AS (INSERT INTO paper_claims (paper_id, start, "end", text, value, low, unit, unit_text, category, kind, metric, improvement,
                                     baseline, compared_to, dataset, qualifier, is_headline, extractor_version, content_hash)
           SELECT x.paper_id, x.start, x."end", x.text, x.value, x.low, x.unit, x.unit_text, x.category, x.kind, x.metric, x.improvement,
                  x.baseline, x.compared_to, x.dataset, x.qualifier, x.is_headline, $3, m.content_hash
             FROM ${x}
             JOIN moved m ON m.paper_id = x.paper_id
            WHERE (SELECT count(*) FROM d) >= 0
           ON CONFLICT (paper_id, start, "end") DO NOTHING)
SELECT paper_id, content_hash FROM moved ORDER BY paper_id`,
};

/**
 * Moves the papers still at `classified` with the hash they were extracted on to `extracted` (with
 * extractor `version`), and replaces the claims of those only, in one statement (one round trip, no
 * explicit transaction): what `advanceStage` and `replacePaperClaims` do in a transaction, stored the
 * same. A paper another batch already moved is left out (and not returned). Returns the refs that moved.
 */
export function saveExtractions(
  db: Db,
  refs: readonly PaperRef[],
  rows: readonly ExtractedClaimRow[],
  version: string,
): Promise<PaperRef[]> {
  if (refs.length === 0) return Promise.resolve([]);
  return saveStage(db, EXTRACT_PAPERS, rows as unknown as readonly BulkRow[], [
    refs.map((r) => r.paperId),
    refs.map((r) => r.contentHash),
    version,
  ]);
}
