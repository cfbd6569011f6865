// Phase 6 — metric attribution: what a claim measures (negation and scope applied, see negation.ts).

import { findMetric } from './context';
import { canonicalMetric } from './metric-table';
import { maskKeptPhrases } from './negation';

// "mAP=0.56", "F1 = 0.81", "acc. = 92.3%", "BLEU: 31.2": a metric name set equal to the number
export const ASSIGNED_RE = /([A-Za-z][\w@-]*)(\.?)\s*[=:]\s*(?:\$\s*)?$/;

/** The canonical metric a number is assigned to ("F1 = 0.81" -> f1), or null. */
export function assignedMetric(text: string, start: number): string | null {
  const m = ASSIGNED_RE.exec(text.slice(Math.max(0, start - 24), start));
  if (!m) return null;
  // ":" only after a metric name that cannot be an ordinary word ("BLEU: 31.2", not "Results: 3")
  if (m[0].includes(':') && !/[A-Z0-9@]/.test(m[1])) return null;
  return canonicalMetric(m[1]);
}

export interface MetricReading {
  /** the metric the number measures, or null */
  metric: string | null;
  /** the clause windows with every "kept constant" phrase blanked out: kind and later metric reads use these */
  keptBefore: string;
  keptAfter: string;
}

/**
 * The metric a number at `start` measures, read from its clause windows: an assignment ("F1 = 0.81") first,
 * else the nearest metric named around it once the phrases that say what did NOT change ("with no loss in
 * accuracy", "while maintaining F1") are blanked out, so neither "loss" nor "accuracy" is taken from them.
 */
export function attributeMetric(text: string, start: number, before: string, after: string): MetricReading {
  const keptBefore = maskKeptPhrases(before, true);
  const keptAfter = maskKeptPhrases(after);
  return { metric: assignedMetric(text, start) ?? findMetric(keptBefore, keptAfter), keptBefore, keptAfter };
}
