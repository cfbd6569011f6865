// Filtering claims: the same semantics the DB query and the subscriptions use, so a feed filter and a
// stored-claim query agree on what "a reduction of at least 10x" matches.

import type { Claim, ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import { METRIC_TABLE, canonicalMetric } from './metric-table';

export interface ClaimQuery {
  metric?: string;
  kind?: ClaimKind;
  unit?: ClaimUnit;
  /** inclusive lower bound on value */
  min?: number;
  /** inclusive upper bound on value */
  max?: number;
  category?: ClaimCategory;
}

/** The key a metric is matched on: its canonical name when known ("F1-score" -> "f1"), else its lowercase text. */
export function metricKey(metric: string): string {
  return canonicalMetric(metric) ?? metric.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Whether a claim's metric names the metric a search or a subscription asks for: the one rule for claim
 * search everywhere (API, CLI, notifier). Aliases resolve through the metric table ("VRAM" finds
 * "gpu memory"); a metric is never found inside another ("memory" does not find "gpu memory").
 */
export function claimMetricMatches(query: string, claimMetric: string | null): boolean {
  return claimMetric !== null && metricKey(claimMetric) === metricKey(query);
}

/**
 * The lower-case texts a stored claim metric may hold when it names the same metric as `query` (the
 * canonical name and its surface forms, else the query's own normalised text), for SQL that matches
 * `lower(metric) = ANY(...)` through the metric index. Agrees with claimMetricMatches on every stored
 * metric (stored metrics are canonical names, written in lower case by the extractor).
 */
export function metricAliases(query: string): string[] {
  const key = metricKey(query);
  const entry = METRIC_TABLE.find((e) => e.name === key);
  const texts = entry ? [entry.name, ...entry.forms.map((f) => f.toLowerCase())] : [key];
  return [...new Set(texts)].filter((t) => metricKey(t) === key);
}

export function claimMatches(c: Claim, q: ClaimQuery): boolean {
  if (q.metric !== undefined) {
    if (!claimMetricMatches(q.metric, c.metric)) return false;
  }
  if (q.kind !== undefined && c.kind !== q.kind) return false;
  if (q.unit !== undefined && c.unit !== q.unit) return false;
  if (q.category !== undefined && c.category !== q.category) return false;
  if (q.min !== undefined && !(c.value >= q.min)) return false;
  if (q.max !== undefined && !(c.value <= q.max)) return false;
  return true;
}
