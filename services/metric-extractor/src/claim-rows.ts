import type { Claim, PaperRef } from '@paperwire/contracts';
import type { ExtractedClaimRow } from '@paperwire/db';

/** One paper's extraction result, as the service hands it to the repository. */
export interface PaperClaims {
  ref: PaperRef;
  claims: Claim[];
  headline: Claim | null;
}

/**
 * True when every number of the claim is finite. The rows reach Postgres as JSON, where Infinity and NaN
 * serialise as null: `value` is NOT NULL, so one such claim would fail the INSERT of the whole batch on
 * every retry. The extractor never produces one; this is the last line of defence.
 */
export function isStorableClaim(c: Claim): boolean {
  return (
    Number.isFinite(c.start) &&
    Number.isFinite(c.end) &&
    Number.isFinite(c.value) &&
    (c.low === null || Number.isFinite(c.low)) &&
    (c.baseline === null || Number.isFinite(c.baseline.value))
  );
}

/** The rows to insert for the results (their content hash is their paper's, written by the save); a claim that cannot be stored is skipped and reported to `onSkip`. */
export function claimRows(
  results: PaperClaims[],
  onSkip: (paperId: string, claim: Claim) => void,
): ExtractedClaimRow[] {
  return results.flatMap(({ ref, claims, headline }) =>
    claims.flatMap((c) => {
      if (!isStorableClaim(c)) {
        onSkip(ref.paperId, c);
        return [];
      }
      return [
        {
          paper_id: ref.paperId,
          start: c.start,
          end: c.end,
          text: c.text,
          value: c.value,
          low: c.low,
          unit: c.unit,
          unit_text: c.unitText ?? null,
          category: c.category,
          kind: c.kind,
          metric: c.metric,
          improvement: c.improvement ?? null,
          baseline: c.baseline,
          compared_to: c.comparedTo,
          dataset: c.dataset,
          qualifier: c.qualifier,
          is_headline: headline !== null && headline.start === c.start && headline.end === c.end,
        },
      ];
    }),
  );
}
