import { CLAIM_CATEGORIES, CLAIM_KINDS, CLAIM_UNITS, claimKindOf, type Claim } from '@paperwire/contracts';
import { searchClaimRows, type ClaimRow, type ClaimSqlFilter, type Db } from '@paperwire/db';
import { claimMetricMatches, formatClaim, headlineClaim, metricAliases } from '@paperwire/metrics';
import { ActionError } from './errors';

/**
 * Claim search (issue #15 item 2): one way to match a claim's metric for the API, the CLI and the
 * notifier — aliases resolve through the metric table ("VRAM" finds "gpu memory"), and a metric is never
 * found inside another ("memory" does not find "gpu memory"). The notifier calls claimMetricMatches on
 * a paper's claims; the SQL matches the same set through metricAliases.
 */
export { claimMetricMatches, metricAliases };

/** One numeric claim of an abstract, as the API returns it (DESIGN §6): the extractor's Claim as stored. */
export type ClaimView = Omit<Claim, 'unitText' | 'improvement'> & {
  id: string;
  unitText: string | null;
  improvement: boolean | null;
  isHeadline: boolean;
  /** human-readable summary of the claim */
  summary: string;
};

export function toClaimView(r: ClaimRow): ClaimView {
  const view: ClaimView = {
    id: r.id,
    start: r.start,
    end: r.end,
    text: r.text,
    value: r.value,
    low: r.low,
    unit: r.unit as Claim['unit'],
    unitText: r.unit_text,
    category: r.category as Claim['category'],
    kind: r.kind as Claim['kind'],
    metric: r.metric,
    improvement: r.improvement,
    baseline: r.baseline,
    comparedTo: r.compared_to,
    dataset: r.dataset,
    qualifier: r.qualifier,
    isHeadline: r.is_headline,
    summary: '',
  };
  view.summary = formatClaim(view);
  return view;
}

/**
 * The headline: the claim that best states the paper's main result (headlineScore in @paperwire/metrics),
 * chosen at read time from all of the paper's claims so a rule change needs no re-extraction. With the abstract the
 * claims were extracted from, their sentences count too (a background share is dropped); a claim whose offsets no
 * longer index the abstract is judged on its own fields.
 */
export function pickHeadline(claims: ClaimRow[], abstract?: string): ClaimRow | null {
  const views = claims.map((r) => ({ row: r, ...toClaimView(r) }));
  return headlineClaim(views as unknown as (Claim & { row: ClaimRow })[], abstract)?.row ?? null;
}

/** The claim filter shared by claim search and paper listings (claimMetric, claimKind...). */
export interface ClaimFilterInput {
  claimMetric?: string;
  claimKind?: string;
  claimUnit?: string;
  claimMin?: number;
  claimMax?: number;
}

export const CLAIM_SEARCH_MAX_LIMIT = 100;

const oneOf = (field: string, value: string | undefined, allowed: readonly string[]): void => {
  if (value !== undefined && !allowed.includes(value))
    throw new ActionError('invalid', `${field} must be one of ${allowed.join(', ')}`, [{ field, message: `one of ${allowed.join(', ')}` }]);
};

/** Checks a claim filter (the API's zod schema says the same) and turns it into SQL terms. */
export function claimSqlFilter(given: ClaimFilterInput): ClaimSqlFilter | undefined {
  // a kind as the pages name it ("improvement", "speed-up") is that kind
  const f = given.claimKind === undefined ? given : { ...given, claimKind: claimKindOf(given.claimKind) };
  oneOf('claimKind', f.claimKind, CLAIM_KINDS);
  oneOf('claimUnit', f.claimUnit, CLAIM_UNITS);
  for (const field of ['claimMin', 'claimMax'] as const) {
    const v = f[field];
    if (v !== undefined && !Number.isFinite(v)) throw new ActionError('invalid', `${field} must be a number`, [{ field, message: 'must be a number' }]);
  }
  if (f.claimMin !== undefined && f.claimMax !== undefined && f.claimMin > f.claimMax)
    throw new ActionError('invalid', 'claimMin is greater than claimMax', [{ field: 'claimMin', message: 'claimMin is greater than claimMax' }]);
  const metric = f.claimMetric?.trim();
  if (metric !== undefined && (metric.length === 0 || metric.length > 100))
    throw new ActionError('invalid', 'claimMetric must be 1-100 characters', [{ field: 'claimMetric', message: 'must be 1-100 characters' }]);
  const sql: ClaimSqlFilter = {
    ...(metric ? { metricAliases: metricAliases(metric) } : {}),
    ...(f.claimKind ? { kind: f.claimKind } : {}),
    ...(f.claimUnit ? { unit: f.claimUnit } : {}),
    ...(f.claimMin !== undefined ? { min: f.claimMin } : {}),
    ...(f.claimMax !== undefined ? { max: f.claimMax } : {}),
  };
  return Object.keys(sql).length > 0 ? sql : undefined;
}

export interface ClaimSearchInput extends ClaimFilterInput {
  claimCategory?: string;
  topic?: string[];
  since?: string;
  until?: string;
  limit: number;
  /** the `nextKey` of the previous page */
  after?: readonly [string, string];
}

export interface ClaimHit extends ClaimView {
  paperId: string;
  paperTitle: string;
  arxivId: string | null;
  publishedAt: string | null;
}

export interface ClaimSearchPage {
  items: ClaimHit[];
  /**
   * where the next page starts (listing date, claim id) when there is one: the last hit, or the last claim walked when
   * the scan budget (CLAIM_SCAN_BUDGET) ran out first; then the page may hold fewer than `limit` items, even none
   */
  nextKey: [string, string] | null;
}

/**
 * Numeric claims across papers, newest papers first. A read walks at most CLAIM_SCAN_BUDGET candidate claims: a
 * filter that matches little answers a partial page and a nextKey where its walk stopped, so no read walks the whole
 * catalogue; following nextKey to its end gives every hit once, in order.
 */
export async function searchClaims(db: Db, q: ClaimSearchInput): Promise<ClaimSearchPage> {
  oneOf('claimCategory', q.claimCategory, CLAIM_CATEGORIES);
  for (const field of ['since', 'until'] as const) {
    const v = q[field];
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new ActionError('invalid', `${field} is not a date`, [{ field, message: 'not a date' }]);
  }
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > CLAIM_SEARCH_MAX_LIMIT)
    throw new ActionError('invalid', `limit must be 1-${CLAIM_SEARCH_MAX_LIMIT}`, [{ field: 'limit', message: `must be 1-${CLAIM_SEARCH_MAX_LIMIT}` }]);
  const claim: ClaimSqlFilter = { ...claimSqlFilter(q), ...(q.claimCategory ? { category: q.claimCategory } : {}) };
  const { rows, scannedTo } = await searchClaimRows(db, { claim, topic: q.topic, since: q.since, until: q.until, after: q.after, limit: q.limit });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      ...toClaimView(r),
      paperId: r.paper_id,
      paperTitle: r.title,
      arxivId: r.arxiv_id,
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    })),
    nextKey: rows.length > q.limit && last ? [last.sort_at, last.id] : scannedTo,
  };
}
