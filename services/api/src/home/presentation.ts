import type { HfPaperExtras } from '@paperwire/contracts';
import { presentationOfPapers, type Db } from '@paperwire/db';

export interface Presentation {
  organization: { name: string; fullname: string | null } | null;
  thumbnailUrl: string | null;
  /** HF Daily Papers' item media and isAuthorParticipating, served again by the HF-compatible API */
  mediaUrls: string[] | null;
  authorParticipating: boolean | null;
  /** Hugging Face's own fields of the paper (discussion, AI summary and keywords, summary as given); read for the HF API only */
  hf: HfPaperExtras | null;
}

/**
 * What the sources say about a page of papers' presentation (HF organisation and thumbnail), newest
 * sighting first: one indexed query for the page's ids (paper_sources is keyed by paper_id first).
 */
export async function loadPresentation(db: Db, ids: string[], withHf = false): Promise<Map<string, Presentation>> {
  if (ids.length === 0) return new Map();
  const rows = await presentationOfPapers(db, ids, withHf);
  return new Map(
    rows.map((r) => [
      r.paper_id,
      {
        organization: r.organization ? { name: r.organization, fullname: r.organization_fullname } : null,
        thumbnailUrl: r.thumbnail_url,
        mediaUrls: r.media_urls,
        authorParticipating: r.author_participating,
        hf: r.hf_extras,
      },
    ]),
  );
}
