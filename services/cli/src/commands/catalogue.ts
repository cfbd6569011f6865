import type { DataSource } from 'typeorm';
import { CLAIM_SEARCH_MAX_LIMIT, getPaper, searchClaims as searchClaimsAction, type ClaimHit, type PaperDetail } from '@paperwire/actions';

export interface ClaimSearch {
  metric?: string;
  kind?: string;
  unit?: string;
  min?: number;
  max?: number;
  since?: string;
  /** at most this many hits (pages of the API's size are followed) */
  limit?: number;
}

/**
 * Claims across papers, e.g. metric "gpu memory", kind reduction, unit x, min 10: the hits GET /v1/claims
 * returns for the same filter (the same action, the same metric aliases), newest papers first.
 */
export async function searchClaims(ds: DataSource, q: ClaimSearch): Promise<ClaimHit[]> {
  const wanted = Math.max(1, Math.min(q.limit ?? 50, 1000));
  const hits: ClaimHit[] = [];
  let after: readonly [string, string] | undefined;
  do {
    const page = await searchClaimsAction(ds, {
      claimMetric: q.metric,
      claimKind: q.kind,
      claimUnit: q.unit,
      claimMin: q.min,
      claimMax: q.max,
      since: q.since,
      limit: Math.min(wanted - hits.length, CLAIM_SEARCH_MAX_LIMIT),
      after,
    });
    hits.push(...page.items);
    after = page.nextKey ?? undefined;
  } while (after && hits.length < wanted);
  return hits;
}

/** One paper by id, arXiv id or paper key: the object GET /v1/papers/{id} returns. */
export function showPaper(ds: DataSource, idOrArxiv: string): Promise<PaperDetail | null> {
  return getPaper(ds, idOrArxiv);
}

/** What changed between consecutive versions: title and a word-level summary of the abstract. */
export function versionChanges(versions: { version: number | null; title: string; abstract: string }[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < versions.length; i += 1) {
    const a = versions[i - 1];
    const b = versions[i];
    const label = `v${a.version ?? '?'} → v${b.version ?? '?'}`;
    if (a.title !== b.title) out.push(`${label}: title "${a.title}" → "${b.title}"`);
    if (a.abstract !== b.abstract) {
      const before = new Set(a.abstract.split(/\s+/));
      const after = new Set(b.abstract.split(/\s+/));
      const added = [...after].filter((w) => !before.has(w));
      const removed = [...before].filter((w) => !after.has(w));
      out.push(`${label}: abstract changed (+${added.length} / -${removed.length} words${added.length ? `; added: ${added.slice(0, 12).join(' ')}` : ''})`);
    }
    if (a.title === b.title && a.abstract === b.abstract) out.push(`${label}: no change to title or abstract`);
  }
  return out;
}
