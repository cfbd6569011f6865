// Lookups the rule specs share: the spans of every claim in a text, and the claim with a given span.
import type { Claim } from '@paperwire/contracts';
import { extractClaims, extractClaimsByRules } from './extract-claims';

export const texts = (t: string): string[] => extractClaims(t).map((c) => c.text);

const findIn =
  (extract: (t: string) => Claim[]) =>
  (t: string, span: string): Claim => {
    const claims = extract(t);
    const c = claims.find((x) => x.text === span);
    if (!c) throw new Error(`no claim "${span}" in ${JSON.stringify(claims.map((x) => x.text))}`);
    return c;
  };

export const find = findIn(extractClaims);

/**
 * The claim with a given span as the rules alone give it (no learned kind correction, metrics-1.19.0): for the rule
 * cases the correction overrides wrongly (libs/metrics/README.md, "Learned kind correction").
 */
export const findByRules = findIn(extractClaimsByRules);
