import { SORT_AT, claimConditions, paperConditions, sortAtConditions, type ClaimSqlFilter } from './paper-filters';
import { type Db, SqlParams } from './sql';

/** A paper_claims row, selected with CLAIM_ROW_COLUMNS (alias c). */
export interface ClaimRow {
  id: string;
  paper_id: string;
  start: number;
  end: number;
  text: string;
  value: number;
  low: number | null;
  unit: string;
  unit_text: string | null;
  category: string;
  kind: string;
  metric: string | null;
  improvement: boolean | null;
  baseline: { value: number; text: string } | null;
  compared_to: string | null;
  dataset: string | null;
  qualifier: string | null;
  is_headline: boolean;
}

export const CLAIM_ROW_COLUMNS = `c.id, c.paper_id, c.start, c."end", c.text, c.value, c.low, c.unit, c.unit_text, c.category, c.kind, c.metric, c.improvement, c.baseline, c.compared_to, c.dataset, c.qualifier, c.is_headline`;

/** Every claim of these papers, in abstract order. */
export function claimsOfPapers(db: Db, paperIds: readonly string[]): Promise<ClaimRow[]> {
  return db.query(`SELECT ${CLAIM_ROW_COLUMNS} FROM paper_claims c WHERE c.paper_id = ANY($1::uuid[]) ORDER BY c.start`, [paperIds]);
}

/** Every claim of one paper, in abstract order. */
export function claimsOfPaper(db: Db, paperId: string): Promise<ClaimRow[]> {
  return db.query(`SELECT ${CLAIM_ROW_COLUMNS} FROM paper_claims c WHERE c.paper_id = $1 ORDER BY c.start`, [paperId]);
}

export interface ClaimHitRow extends ClaimRow {
  title: string;
  arxiv_id: string | null;
  published_at: Date | null;
  sort_at: string;
}

export interface ClaimSearchSql {
  claim: ClaimSqlFilter;
  topic?: string[];
  since?: string;
  until?: string;
  /** keyset: the (sort_at, claim id) of the last claim of the previous page */
  after?: readonly [string, string];
  limit: number;
}

/** Claims across papers, newest papers first: `limit + 1` rows (the extra one says there is a next page). */
export function searchClaimRows(db: Db, q: ClaimSearchSql): Promise<ClaimHitRow[]> {
  if (q.claim.metricAliases?.length && q.topic?.length) return searchClaimRowsByTopic(db, q, q.claim.metricAliases, q.topic);
  const params = new SqlParams();
  const { category, ...claim } = q.claim;
  const conds = [...claimConditions(claim, params), ...paperConditions({ topic: q.topic, since: q.since, until: q.until }, params)];
  if (category) conds.push(`c.category = ${params.add(category)}`);
  if (q.after) {
    // (the first condition is what idx_papers_sort_at can start from: without it a cursor page walked every newer
    // paper again, the row comparison being on the claim's id)
    const at = params.add(q.after[0], 'timestamptz');
    conds.push(`${SORT_AT} <= ${at}`, `(${SORT_AT}, c.id) < (${at}, ${params.add(q.after[1], 'uuid')})`);
  }
  return db.query(
    `SELECT ${CLAIM_ROW_COLUMNS}, p.title, p.arxiv_id, p.published_at, ${SORT_AT}::text AS sort_at
         FROM paper_claims c JOIN papers p ON p.id = c.paper_id
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY ${SORT_AT} DESC, c.id DESC
        LIMIT ${params.add(q.limit + 1, 'int')}`,
    params.values,
  );
}

/**
 * A metric and topics: `claim_topics` (migration 1796060000000) holds each metric claim once per topic of its paper in
 * claim order, so each (topic, metric text) asked is one index descent reading at most a page (the claim's other
 * filters checked on its row as it is walked); the pages are merged, a claim in two of the topics counted once.
 */
function searchClaimRowsByTopic(db: Db, q: ClaimSearchSql, metrics: readonly string[], topics: readonly string[]): Promise<ClaimHitRow[]> {
  const params = new SqlParams();
  const walk = [
    `ct.topic_slug = t.slug`,
    `ct.metric = m.metric`,
    ...sortAtConditions('ct.sort_at', q, params),
  ];
  const onClaim = claimConditions({ ...q.claim, metricAliases: undefined }, params);
  if (q.claim.category) onClaim.push(`c.category = ${params.add(q.claim.category)}`);
  if (q.after) walk.push(`(ct.sort_at, ct.claim_id) < (${params.add(q.after[0], 'timestamptz')}, ${params.add(q.after[1], 'uuid')})`);
  const limit = params.add(q.limit + 1, 'int');
  return db.query(
    `WITH k AS (
       SELECT DISTINCT x.claim_id, x.sort_at
         FROM unnest(${params.add(topics, 'text[]')}) AS t(slug)
        CROSS JOIN unnest(${params.add(metrics, 'text[]')}) AS m(metric)
        CROSS JOIN LATERAL (
          SELECT ct.claim_id, ct.sort_at FROM claim_topics ct
           ${onClaim.length > 0 ? 'JOIN paper_claims c ON c.id = ct.claim_id' : ''}
           WHERE ${[...walk, ...onClaim].join(' AND ')}
           ORDER BY ct.sort_at DESC, ct.claim_id DESC
           LIMIT ${limit}) x)
     SELECT ${CLAIM_ROW_COLUMNS}, p.title, p.arxiv_id, p.published_at, k.sort_at::text AS sort_at
       FROM k JOIN paper_claims c ON c.id = k.claim_id JOIN papers p ON p.id = c.paper_id
      ORDER BY k.sort_at DESC, k.claim_id DESC
      LIMIT ${limit}`,
    params.values,
  );
}
