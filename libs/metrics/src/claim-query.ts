// Filtering claims: the same semantics the DB query and the subscriptions use, so a feed filter and a
// stored-claim query agree on what "a reduction of at least 10x" matches.

import type { Claim, ClaimCategory, ClaimKind, ClaimUnit } from '@paperwire/contracts';
import { canonicalMetric } from './metric-table';

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

export function claimMatches(c: Claim, q: ClaimQuery): boolean {
  if (q.metric !== undefined) {
    if (c.metric === null || metricKey(c.metric) !== metricKey(q.metric)) return false;
  }
  if (q.kind !== undefined && c.kind !== q.kind) return false;
  if (q.unit !== undefined && c.unit !== q.unit) return false;
  if (q.category !== undefined && c.category !== q.category) return false;
  if (q.min !== undefined && !(c.value >= q.min)) return false;
  if (q.max !== undefined && !(c.value <= q.max)) return false;
  return true;
}
