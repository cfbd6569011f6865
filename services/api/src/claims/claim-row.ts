import type { ClaimDto } from '../papers/paper.dto';
import type { Claim } from '@paperwire/contracts';
import { formatClaim, headlineClaim } from '@paperwire/metrics';

/** Selected as `c.*` from paper_claims. */
export interface ClaimRow {
  id: string;
  paper_id: string;
  start: number;
  end: number;
  text: string;
  value: number;
  low: number | null;
  unit: string;
  unit_text: string | null;
  category: string;
  kind: string;
  metric: string | null;
  improvement: boolean | null;
  baseline: { value: number; text: string } | null;
  compared_to: string | null;
  dataset: string | null;
  qualifier: string | null;
  is_headline: boolean;
}

export const CLAIM_COLUMNS = `c.id, c.paper_id, c.start, c."end", c.text, c.value, c.low, c.unit, c.unit_text, c.category, c.kind, c.metric, c.improvement, c.baseline, c.compared_to, c.dataset, c.qualifier, c.is_headline`;

export function toClaimDto(r: ClaimRow): ClaimDto {
  const dto: ClaimDto = {
    id: r.id,
    start: r.start,
    end: r.end,
    text: r.text,
    value: r.value,
    low: r.low,
    unit: r.unit,
    unitText: r.unit_text,
    category: r.category,
    kind: r.kind,
    metric: r.metric,
    improvement: r.improvement,
    baseline: r.baseline,
    comparedTo: r.compared_to,
    dataset: r.dataset,
    qualifier: r.qualifier,
    isHeadline: r.is_headline,
    summary: '',
  };
  dto.summary = formatClaim(dto as unknown as Claim);
  return dto;
}

/**
 * The headline: the claim that best states the paper's main result (headlineScore in @paperwire/metrics),
 * chosen at read time from all of the paper's claims so a rule change needs no re-extraction.
 */
export function pickHeadline(claims: ClaimRow[]): ClaimRow | null {
  const views = claims.map((r) => ({ row: r, ...toClaimDto(r) }));
  return headlineClaim(views as unknown as (Claim & { row: ClaimRow })[])?.row ?? null;
}
