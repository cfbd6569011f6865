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
  /** keyset: the (sort_at, claim id) of the last claim of the previous page, or where its scan stopped */
  after?: readonly [string, string];
  limit: number;
  /** candidate claims one read may walk (CLAIM_SCAN_BUDGET; smaller in tests) */
  scanBudget?: number;
}

/**
 * How many candidate claims one claim search walks in listing order (per (topic, metric) descent on claim_topics)
 * before it answers with what it found. A filter that matches nothing (`claimCategory=setup` with a kind, unit and
 * minimum) otherwise reads every claim of the catalogue: 42.8k buffers and 545 ms at 1M papers, the 5 s statement
 * timeout at 10M. 5,000 claims are about 2,500 papers, some 12k buffers (~15 ms): a bounded read, while a filter
 * matching one claim in a hundred still fills a page of 50 in most reads.
 */
export const CLAIM_SCAN_BUDGET = 5_000;

export interface ClaimSearchRows {
  /** the hits in order: `limit + 1` when there is a next page by hits */
  rows: ClaimHitRow[];
  /**
   * when the scan budget ran out before `limit + 1` hits: the (sort_at, claim id) of the last claim walked, where the
   * next page starts (the hits up to it are all in `rows`)
   */
  scannedTo: [string, string] | null;
}


type ScannedRow = ClaimHitRow & { at?: unknown; hit: boolean; scan_end: boolean };

function scanResult(rows: ScannedRow[]): ClaimSearchRows {
  const end = rows.find((r) => r.scan_end);
  const hits = rows.filter((r) => r.hit).map(({ at: _a, hit: _h, scan_end: _e, ...r }) => r);
  return { rows: hits, scannedTo: end ? [end.sort_at, end.id] : null };
}

/**
 * Claims across papers, newest papers first: `limit + 1` hits (the extra one says there is a next page), or fewer and
 * `scannedTo` when the scan budget ran out first. The read walks claims in listing order (idx_papers_sort_at), the
 * filters checked on each walked claim, at most `scanBudget` of them. A metric with fewer than FEW_METRIC_CLAIMS claims
 * is read whole from idx_paper_claims_metric instead (as bounded, and a rare metric's hits on one page).
 */
export async function searchClaimRows(db: Db, q: ClaimSearchSql): Promise<ClaimSearchRows> {
  if (q.claim.metricAliases?.length && q.topic?.length) return searchClaimRowsByTopic(db, q, q.claim.metricAliases, q.topic);
  const budget = q.scanBudget ?? CLAIM_SCAN_BUDGET;
  const { category, metricAliases, ...claim } = q.claim;
  const fewMetric = metricAliases?.length ? await fewerClaimsOfMetric(db, metricAliases, Math.min(FEW_METRIC_CLAIMS, budget)) : false;
  const params = new SqlParams();
  const scan = sortAtConditions(SORT_AT, q, params);
  if (q.after) {
    // (the first condition is what idx_papers_sort_at can start from: without it a cursor page walked every newer
    // paper again, the row comparison being on the claim's id)
    const at = params.add(q.after[0], 'timestamptz');
    scan.push(`${SORT_AT} <= ${at}`, `(${SORT_AT}, c.id) < (${at}, ${params.add(q.after[1], 'uuid')})`);
  }
  const check = [...claimConditions(fewMetric ? claim : { ...claim, metricAliases }, params), ...paperConditions({ topic: q.topic }, params)];
  if (category) check.push(`c.category = ${params.add(category)}`);
  const limit = params.add(q.limit + 1, 'int');
  // (OFFSET 0 keeps each subquery whole: the walk's claims are read per paper through the paper_id index, never by
  // a hash join over the whole table, which the planner picks when a date range makes it expect fewer rows than the budget)
  const from = fewMetric
    ? `(SELECT * FROM paper_claims m WHERE lower(m.metric) = ANY(${params.add(metricAliases, 'text[]')}) OFFSET 0) c JOIN papers p ON p.id = c.paper_id`
    : 'papers p CROSS JOIN LATERAL (SELECT * FROM paper_claims m WHERE m.paper_id = p.id OFFSET 0) c';
  const walk = (where: string[], hit: string) => `SELECT ${CLAIM_ROW_COLUMNS}, p.title, p.arxiv_id, p.published_at,
              ${SORT_AT}::text AS sort_at, ${SORT_AT} AS at, ${hit} AS hit
         FROM ${from}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${SORT_AT} DESC, c.id DESC`;
  // Every walked claim a hit, or at most the budget's worth of claims to read: the page is the walk.
  if (check.length === 0 || fewMetric)
    return scanResult(await db.query(`SELECT *, false AS scan_end FROM (${walk([...scan, ...check], 'true')} LIMIT ${limit}) w ORDER BY w.at DESC, w.id DESC`, params.values));
  const last = params.add(budget, 'int');
  // The budget's last claim comes back hit or not (scan_end): the next page starts after it.
  return scanResult(
    await db.query(
      `SELECT w.* FROM (
         SELECT s.*, row_number() OVER (ORDER BY s.at DESC, s.id DESC) = ${last} AS scan_end
           FROM (${walk(scan, `coalesce(${check.join(' AND ')}, false)`)} LIMIT ${last}) s) w
        WHERE w.hit OR w.scan_end
        ORDER BY w.at DESC, w.id DESC
        LIMIT ${limit}`,
      params.values,
    ),
  );
}

/**
 * A metric with fewer claims than this is read whole through idx_paper_claims_metric (a rare metric's hits on one page,
 * a few dozen buffers); a commoner one is a filter on the budgeted walk. Counting up to it costs up to ~1,000 buffers
 * (the index's rows and their heap pages: no index-only scan on an expression index), so a count is kept for a minute.
 */
const FEW_METRIC_CLAIMS = 1_000;
/**
 * How long a metric text's count (up to the cap) is reused, per data source. A metric's claims grow by a few a minute
 * at most, and a count a minute old decides as well: both reads give the same hits, only their cost differs near the cap.
 */
export const METRIC_COUNT_TTL_MS = 60_000;
/** Metric texts counted per data source at most (claimMetric is any text a client sends): the oldest go first. */
const METRIC_COUNTS_KEPT = 2_000;
const metricCounts = new WeakMap<Db, Map<string, { at: number; n: number }>>();

/**
 * Whether the claims of these metric texts are fewer than `n`: each text's claims counted down idx_paper_claims_metric
 * (at most n), reused for METRIC_COUNT_TTL_MS; only the texts not counted within it are counted, in one statement.
 */
async function fewerClaimsOfMetric(db: Db, metricAliases: readonly string[], n: number): Promise<boolean> {
  let counts = metricCounts.get(db);
  if (!counts) metricCounts.set(db, (counts = new Map()));
  const now = Date.now();
  const key = (metric: string) => `${n}:${metric}`;
  const stale = [...new Set(metricAliases)].filter((m) => !(now - (counts.get(key(m))?.at ?? -Infinity) < METRIC_COUNT_TTL_MS));
  if (stale.length > 0) {
    const rows: { metric: string; n: number }[] = await db.query(
      `SELECT a.metric, (SELECT count(*)::int FROM (SELECT 1 FROM paper_claims c WHERE lower(c.metric) = a.metric
                                                    ORDER BY lower(c.metric), c.paper_id LIMIT $2::int) x) AS n
         FROM unnest($1::text[]) AS a(metric)`,
      [stale, n],
    );
    for (const r of rows) {
      counts.delete(key(r.metric));
      counts.set(key(r.metric), { at: now, n: Number(r.n) });
    }
    while (counts.size > METRIC_COUNTS_KEPT) counts.delete(counts.keys().next().value as string);
  }
  return metricAliases.reduce((sum, m) => sum + (counts.get(key(m))?.n ?? n), 0) < n;
}

/**
 * A metric and topics: `claim_topics` (migration 1796060000000) holds each metric claim once per topic of its paper in
 * claim order, so each (topic, metric text) asked is one index descent reading at most a page (the claim's other
 * filters checked on its row as it is walked); the pages are merged, a claim in two of the topics counted once. With
 * such filters a descent walks at most `scanBudget` entries: it stops at its cap, the budget-th entry (found by an
 * index-only count down idx_claim_topics_read). The hits up to the latest cap (in listing order) are complete; a page
 * with fewer hits ends there and the next one starts after it.
 */
async function searchClaimRowsByTopic(db: Db, q: ClaimSearchSql, metrics: readonly string[], topics: readonly string[]): Promise<ClaimSearchRows> {
  const params = new SqlParams();
  const dates = sortAtConditions('ct.sort_at', q, params);
  if (q.after) dates.push(`(ct.sort_at, ct.claim_id) < (${params.add(q.after[0], 'timestamptz')}, ${params.add(q.after[1], 'uuid')})`);
  const walk = [`ct.topic_slug = l.slug`, `ct.metric = l.metric`, ...dates];
  const onClaim = claimConditions({ ...q.claim, metricAliases: undefined }, params);
  if (q.claim.category) onClaim.push(`c.category = ${params.add(q.claim.category)}`);
  const limit = params.add(q.limit + 1, 'int');
  const capped = onClaim.length > 0;
  const cap = capped
    ? `LEFT JOIN LATERAL (SELECT ct.sort_at, ct.claim_id FROM claim_topics ct WHERE ${walk.join(' AND ')}
                           ORDER BY ct.sort_at DESC, ct.claim_id DESC OFFSET ${params.add((q.scanBudget ?? CLAIM_SCAN_BUDGET) - 1, 'int')} LIMIT 1) cap ON true`
    : '';
  if (capped) walk.push(`(l.cap_at IS NULL OR (ct.sort_at, ct.claim_id) >= (l.cap_at, l.cap_id))`);
  return scanResult(
    await db.query(
      `WITH l AS MATERIALIZED (
         SELECT l.slug, l.metric, ${capped ? 'cap.sort_at AS cap_at, cap.claim_id AS cap_id' : 'NULL::timestamptz AS cap_at, NULL::uuid AS cap_id'}
           FROM (SELECT * FROM unnest(${params.add(topics, 'text[]')}) AS t(slug) CROSS JOIN unnest(${params.add(metrics, 'text[]')}) AS m(metric)) l
           ${cap}),
       x AS (
         SELECT DISTINCT x.claim_id, x.sort_at FROM l CROSS JOIN LATERAL (
           SELECT ct.claim_id, ct.sort_at FROM claim_topics ct
           ${capped ? 'JOIN paper_claims c ON c.id = ct.claim_id' : ''}
           WHERE ${[...walk, ...onClaim].join(' AND ')}
           ORDER BY ct.sort_at DESC, ct.claim_id DESC
           LIMIT ${limit}) x),
       stop AS (SELECT cap_id AS claim_id, cap_at AS sort_at FROM l WHERE cap_at IS NOT NULL ORDER BY cap_at DESC, cap_id DESC LIMIT 1),
       r AS ((SELECT claim_id, sort_at, true AS hit, false AS scan_end FROM x
               WHERE NOT EXISTS (SELECT 1 FROM stop WHERE (x.sort_at, x.claim_id) < (stop.sort_at, stop.claim_id))
               ORDER BY sort_at DESC, claim_id DESC LIMIT ${limit})
             UNION ALL SELECT claim_id, sort_at, false, true FROM stop)
     SELECT ${CLAIM_ROW_COLUMNS}, p.title, p.arxiv_id, p.published_at, r.sort_at::text AS sort_at, r.hit, r.scan_end
       FROM r JOIN paper_claims c ON c.id = r.claim_id JOIN papers p ON p.id = c.paper_id
      ORDER BY r.scan_end, r.sort_at DESC, r.claim_id DESC`,
      params.values,
    ),
  );
}

/** Whether any stored claim names one of these lower-case metric texts (one probe of idx_paper_claims_metric). */
export async function metricInClaims(db: Db, texts: readonly string[]): Promise<boolean> {
  const rows: { found: boolean }[] = await db.query(`SELECT EXISTS (SELECT 1 FROM paper_claims WHERE lower(metric) = ANY($1::text[])) AS found`, [texts]);
  return rows[0]?.found === true;
}
