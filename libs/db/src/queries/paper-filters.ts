import { sightingMatchesSource, sourceFilterValues } from './source-match';
import type { SqlParams } from './sql';

// The filters shared by paper listings and claim search, as SQL conditions on papers `p` and claims `c`.

/**
 * Conditions on claims. `metricAliases` are the lower-case texts of the asked metric (metricAliases in
 * @paperwire/metrics): matched through idx_paper_claims_metric (lower(metric), paper_id).
 */
export interface ClaimSqlFilter {
  metricAliases?: readonly string[];
  kind?: string;
  unit?: string;
  min?: number;
  max?: number;
  category?: string;
}

/** Conditions on claims of alias `c` (a claim matches when it satisfies all given). */
export function claimConditions(f: ClaimSqlFilter, params: SqlParams): string[] {
  const conds: string[] = [];
  if (f.metricAliases) conds.push(`lower(c.metric) = ANY(${params.add(f.metricAliases, 'text[]')})`);
  if (f.kind) conds.push(`c.kind = ${params.add(f.kind)}`);
  if (f.unit) conds.push(`c.unit = ${params.add(f.unit)}`);
  if (f.min !== undefined) conds.push(`c.value >= ${params.add(f.min, 'float8')}`);
  if (f.max !== undefined) conds.push(`c.value <= ${params.add(f.max, 'float8')}`);
  return conds;
}

/**
 * The date a paper is listed under: its publication date, else (no source dated it) the day a source first featured it
 * (papers.listed_at), else when PaperWire first saw it.
 */
export const SORT_AT = 'coalesce(p.published_at, p.listed_at, p.created_at)';

/** `since` / `until` on a listing date `expr` (SORT_AT, or a copy of it in a read model). */
export function sortAtConditions(expr: string, f: { since?: string; until?: string }, params: SqlParams): string[] {
  const conds: string[] = [];
  if (f.since) conds.push(`${expr} >= ${params.add(f.since, 'timestamptz')}`);
  if (f.until) {
    // A bare date means the whole day.
    const until = /^\d{4}-\d{2}-\d{2}$/.test(f.until) ? `(${params.add(f.until, 'date')} + 1)::timestamptz` : params.add(f.until, 'timestamptz');
    conds.push(`${expr} < ${until}`);
  }
  return conds;
}

/** The shared paper filters, as SQL takes them (validated and resolved by the caller). */
export interface PaperSqlFilters {
  topic?: string[];
  q?: string;
  /**
   * the papers `q` names when it is a paper id or link (searchedPaperIds; empty: an id no paper has), or every paper
   * its text matches when it matches few (searchMatchIds): matched instead of the text search, `q` still ranks and
   * highlights
   */
  qIds?: readonly string[];
  since?: string;
  until?: string;
  /**
   * any of: a source's name, a source kind, or the format a file source replays (a sample of `hf-daily-papers`
   * is HF papers too): sightingMatchesSource, as a subscription's `sources`
   */
  source?: readonly string[];
  hasCode?: boolean;
  contribution?: string;
  /** a paper matches when one of its claims satisfies all of these */
  claim?: ClaimSqlFilter;
}

/**
 * WHERE conditions on papers `p` for the shared filters. `q` is matched against `query`, which the
 * caller must bring into scope (a column `query` of searchTsQuerySql's tsquery, CROSS JOINed).
 */
export function paperConditions(f: PaperSqlFilters, params: SqlParams): string[] {
  const conds: string[] = [];
  if (f.topic?.length)
    conds.push(`EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = p.id AND pt.topic_slug = ANY(${params.add(f.topic, 'text[]')}))`);
  if (f.qIds) conds.push(`p.id = ANY(${params.add(f.qIds, 'uuid[]')})`);
  else if (f.q) conds.push(`EXISTS (SELECT 1 FROM paper_search s WHERE s.paper_id = p.id AND s.search @@ query)`);
  conds.push(...sortAtConditions(SORT_AT, f, params));
  if (f.source?.length) {
    conds.push(
      `EXISTS (SELECT 1 FROM paper_sources ps JOIN sources s ON s.id = ps.source_id WHERE ps.paper_id = p.id
         AND ${sightingMatchesSource(params.add(sourceFilterValues(f.source), 'text[]'))})`,
    );
  }
  if (f.hasCode !== undefined) conds.push(`p.has_code = ${params.add(f.hasCode, 'boolean')}`);
  if (f.contribution) conds.push(`p.contribution = ${params.add(f.contribution)}`);
  const claim = f.claim ? claimConditions(f.claim, params) : [];
  if (claim.length > 0) conds.push(`EXISTS (SELECT 1 FROM paper_claims c WHERE c.paper_id = p.id AND ${claim.join(' AND ')})`);
  return conds;
}

