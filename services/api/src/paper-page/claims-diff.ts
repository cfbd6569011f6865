import type { Claim } from '@paperwire/contracts';
import { extractClaims, formatClaim } from '@paperwire/metrics';

// paper_versions keeps each version's title and abstract but not its claims: the claims of every stored
// version are re-extracted with the pure extractor (the same lib the metric-extractor runs) and compared.

export interface ClaimChange {
  change: 'added' | 'removed' | 'changed';
  /** one-line summary of the claim after the change (before it, for removed) */
  summary: string;
  /** for changed: the summary before */
  before?: string;
}

/** What a claim is about: two claims with the same key in two versions are the same claim. */
function claimKey(c: Claim): string {
  return [c.kind, c.metric ?? '', c.dataset ?? '', c.comparedTo ?? '', c.unit].join('|').toLowerCase();
}

const sameNumbers = (a: Claim, b: Claim) => a.value === b.value && a.low === b.low && a.qualifier === b.qualifier;

/** Claims added, removed and changed (same metric, kind, dataset and unit, other numbers) from `before` to `after`. */
export function diffClaims(before: Claim[], after: Claim[]): ClaimChange[] {
  const left = new Map<string, Claim[]>();
  for (const c of before) {
    const k = claimKey(c);
    left.set(k, [...(left.get(k) ?? []), c]);
  }
  const changes: ClaimChange[] = [];
  const unmatched: Claim[] = [];
  // Exact matches first, so a reordered claim is not reported as changed.
  for (const c of after) {
    const pool = left.get(claimKey(c)) ?? [];
    const i = pool.findIndex((o) => sameNumbers(o, c));
    if (i >= 0) pool.splice(i, 1);
    else unmatched.push(c);
  }
  for (const c of unmatched) {
    const pool = left.get(claimKey(c)) ?? [];
    const old = pool.shift();
    if (old) changes.push({ change: 'changed', summary: formatClaim(c), before: formatClaim(old) });
    else changes.push({ change: 'added', summary: formatClaim(c) });
  }
  for (const pool of left.values()) for (const c of pool) changes.push({ change: 'removed', summary: formatClaim(c) });
  return changes;
}

/** Claims of an abstract as the extractor finds them today. */
export function claimsOf(abstract: string): Claim[] {
  return extractClaims(abstract);
}
