/**
 * The one rule a `source` value names a source by (the query filters' `source=` and a subscription's `sources`):
 * the same text in any case. Both sides are folded with this key (libs/db/src/queries/source-match.ts compares
 * `lower(name)` in SQL to values folded here; the subscription matcher folds both sides here): `HF-Daily-Papers`
 * names the kind `hf-daily-papers`, while a different spelling (`hf-daily-paper`) names nothing (the API's 400
 * suggests the closest kind). Accents and inner spaces are not folded: a source's name is the operator's, as typed.
 */
export function sourceNameKey(value: string): string {
  return value.trim().toLowerCase();
}
