import type { DataSource } from 'typeorm';
import { arxivVersionOf } from '@paperwire/contracts';
import { deletePapers, resolvePaperRefs } from '@paperwire/db';
import { ActionError } from './errors';

/** A paper as `papers remove` names it: what the operator checks before confirming. */
export interface RemovedPaper {
  id: string;
  arxivId: string | null;
  title: string;
}

export interface PapersRemoval {
  removed: RemovedPaper[];
  /** deliveries of them not sent yet, skipped (their log says "paper removed by the operator") */
  deliveriesSkipped: number;
}

/** Papers one removal takes at most (a larger mistake is removed in parts). */
export const MAX_PAPERS_REMOVED = 1000;

/**
 * The papers `refs` name (catalogue uuid, arXiv id in any form, DOI or paper key, as `paperwire paper` reads them),
 * each once, in the order named. A ref naming no paper is refused with every such ref, and nothing is chosen: a typo
 * never removes the rest.
 */
export async function papersToRemove(ds: DataSource, refs: readonly string[]): Promise<RemovedPaper[]> {
  const named = [...new Set(refs.map((r) => r.trim()).filter((r) => r.length > 0))];
  if (named.length === 0) throw new ActionError('invalid', 'name at least one paper (catalogue id, arXiv id or DOI)');
  if (named.length > MAX_PAPERS_REMOVED) throw new ActionError('invalid', `at most ${MAX_PAPERS_REMOVED} papers at a time (got ${named.length})`);
  // Removing a paper removes every version of it: a versioned arXiv id ("2606.13392v9") would name one version (maybe
  // none that was stored) and still remove them all, so it is refused and the bare id asked for.
  const versioned = named.filter((r) => arxivVersionOf(r) !== null);
  if (versioned.length > 0)
    throw new ActionError(
      'invalid',
      `name papers without a version (${versioned.map((r) => r.slice(0, 80)).join(', ')}): removing a paper removes all its versions; nothing removed`,
    );
  const found = await resolvePaperRefs(ds, named);
  const missing = named.filter((r) => !found.has(r));
  if (missing.length > 0)
    throw new ActionError('not-found', `no paper ${missing.map((r) => r.slice(0, 200)).join(', ')} in the catalogue; nothing removed`);
  const ids = [...new Set(named.map((r) => found.get(r)!))];
  const rows: { id: string; arxiv_id: string | null; title: string }[] = await ds.query(
    `SELECT id, arxiv_id, title FROM papers WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id: r.id, arxivId: r.arxiv_id, title: r.title }] : [];
  });
}

/**
 * Removes papers an operator ingested by mistake, with everything hanging off them (deletePapers: their rows, the
 * listings' counts and days, claims, search words; deliveries not sent yet are skipped). A removed paper comes back
 * only if a source sends it again. `refs` as papersToRemove reads them; a ref naming no paper removes nothing.
 */
export async function removePapers(ds: DataSource, refs: readonly string[]): Promise<PapersRemoval> {
  const papers = await papersToRemove(ds, refs);
  const done = await deletePapers(ds, papers.map((p) => p.id));
  // a paper removed meanwhile (by another removal) is not reported as removed by this one
  const gone = new Set(done.papers.map((p) => p.id));
  return { removed: papers.filter((p) => gone.has(p.id)), deliveriesSkipped: done.deliveriesSkipped };
}
