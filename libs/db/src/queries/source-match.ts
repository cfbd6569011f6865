import { sourceNameKey } from '@paperwire/contracts';

// What a `source` filter value matches, in one place: the query filters' `source=` (paperConditions) and a
// subscription's `sources` (the notifier reads each sighting's names with SIGHTING_SOURCE_NAMES and the matcher
// compares them) must agree on which papers a value names: the same text in any case (sourceNameKey, in
// @paperwire/contracts: SQL's lower() on the names, the values folded before they reach SQL).

/**
 * The names a paper's sighting answers to, as SQL over `paper_sources ps JOIN sources s`: the source's name, its kind
 * (`s.kind`, which `ps.source_kind` copies: reading the sources row keeps the notifier's read of paper_sources an
 * index-only scan), and the format a `file` source replays (a sample of `hf-daily-papers` is HF papers too; null for
 * every other kind).
 */
const SIGHTING_NAME_EXPRESSIONS = ['s.name', 's.kind', `CASE WHEN s.kind = 'file' THEN s.params->>'format' END`] as const;

/** The values a `source` filter passes to sightingMatchesSource: folded by the one rule (sourceNameKey), distinct. */
export function sourceFilterValues(values: readonly string[]): string[] {
  return [...new Set(values.map(sourceNameKey))];
}

/**
 * SQL: the sighting (`ps` joined to its source `s`) answers to one of `values` (a text[] parameter of values folded by
 * sourceFilterValues), in any case.
 */
export function sightingMatchesSource(values: string): string {
  return `(${SIGHTING_NAME_EXPRESSIONS.map((e) => `lower(${e}) = ANY(${values})`).join(' OR ')})`;
}

/** SQL select-list item: the names the sighting answers to, a text[] column `source_names` (no nulls). */
export const SIGHTING_SOURCE_NAMES = `array_remove(ARRAY[${SIGHTING_NAME_EXPRESSIONS.join(', ')}], NULL) AS source_names`;
