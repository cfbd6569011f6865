import { createHash } from 'node:crypto';
import type { CanonicalPaper } from '@paperwire/contracts';
import { normalizeText } from './text-normalize';

/** Lower-case letters and digits only, accents folded: the same title from two sources gives one key. */
export function titleKey(title: string): string {
  const folded = normalizeText(title)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.join('-');
}

/** Paper identity: arXiv id without version, else DOI, else a normalised-title key. */
export function paperKey(p: Pick<CanonicalPaper, 'externalIds' | 'title'>): string {
  if (p.externalIds.arxiv) return `arxiv:${p.externalIds.arxiv}`;
  if (p.externalIds.doi) return `doi:${p.externalIds.doi.trim().toLowerCase()}`;
  const key = titleKey(p.title);
  if (key.length > 0) return `title:${key.slice(0, 300)}`;
  // A title with no letters or digits at all still needs a stable key.
  return `title:#${createHash('sha256').update(normalizeText(p.title)).digest('hex').slice(0, 16)}`;
}

/**
 * sha256 hex of normalised title + '\n' + normalised abstract. Normalising here (normalizeText is idempotent)
 * makes the hash the same whether the caller passes raw or already-normalised text.
 */
export function contentHash(title: string, abstract: string): string {
  // The same bytes as hashing `${title}\n${abstract}`, without building that copy of the abstract.
  return createHash('sha256')
    .update(normalizeText(title), 'utf8')
    .update('\n', 'utf8')
    .update(normalizeText(abstract), 'utf8')
    .digest('hex');
}
