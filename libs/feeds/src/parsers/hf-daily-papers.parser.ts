// Hugging Face daily papers: /api/daily_papers JSON items and the same items inside a saved /papers page.
import type { CanonicalPaper, FeedFormat, PaperAuthor, ParseResult } from '@paperwire/contracts';
import { collectEntries } from '../lib/entry-collector';
import { EntryFailure } from '../lib/feed-error';
import { buildPaper, toCount } from '../lib/paper-builder';

type Json = Record<string, unknown>;

export function isJsonObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** True when `v` looks like one daily-papers item: `{ paper: { id | title, ... }, ... }`. */
export function isDailyPaperItem(v: unknown): boolean {
  if (!isJsonObject(v) || !isJsonObject(v['paper'])) return false;
  const paper = v['paper'];
  return typeof paper['id'] === 'string' || typeof paper['title'] === 'string';
}

function authorsOf(paper: Json): PaperAuthor[] {
  const list = Array.isArray(paper['authors']) ? paper['authors'] : [];
  return list.flatMap((a) => {
    const name = isJsonObject(a) ? str(a['name']) : str(a);
    return name ? [{ name }] : [];
  });
}

function handleOf(user: unknown): string | undefined {
  return isJsonObject(user) ? (str(user['name']) ?? str(user['user'])) : undefined;
}

function organizationOf(v: unknown): { name: string; fullname?: string } | undefined {
  if (!isJsonObject(v)) return undefined;
  const name = str(v['name'])?.trim().slice(0, 100);
  if (!name) return undefined;
  const fullname = str(v['fullname'])?.trim().slice(0, 200);
  return fullname ? { name, fullname } : { name };
}

/** Only an https URL of reasonable length: it ends up in an <img src> on the public page. */
function httpsUrl(v: unknown): string | undefined {
  const s = str(v);
  if (!s || s.length > 500 || !/^https:\/\/[^\s"'<>]+$/.test(s)) return undefined;
  try {
    return new URL(s).protocol === 'https:' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** An item's media: the https URLs of a list (at most 10), none when the source gave none. */
function httpsUrls(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const urls = v.map(httpsUrl).filter((u): u is string => !!u).slice(0, 10);
  return urls.length > 0 ? urls : undefined;
}

function itemToPaper(item: unknown): CanonicalPaper {
  if (!isJsonObject(item) || !isJsonObject(item['paper'])) throw new EntryFailure('item without a paper object');
  const paper = item['paper'];
  const id = str(paper['id']);
  return buildPaper({
    title: str(paper['title']) ?? str(item['title']),
    abstract: str(paper['summary']) ?? str(item['summary']),
    authors: authorsOf(paper),
    arxivId: id,
    publishedAt: str(paper['publishedAt']),
    codeLinks: [str(paper['githubRepo'])].filter((s): s is string => !!s),
    projectLinks: [str(paper['projectPage'])].filter((s): s is string => !!s),
    sighting: {
      sourceItemId: id,
      upvotes: toCount(paper['upvotes']),
      comments: toCount(item['numComments']),
      githubStars: toCount(paper['githubStars']),
      // The day HF featured it; older items only carry the daily entry's own publishedAt.
      featuredAt: str(paper['submittedOnDailyAt']) ?? str(item['publishedAt']),
      // HF's own timestamp of the item (its submission), served again as the HF-compatible item's publishedAt
      itemPublishedAt: str(item['publishedAt']),
      submittedBy: handleOf(item['submittedBy']) ?? handleOf(paper['submittedOnDailyBy']),
      organization: organizationOf(item['organization']) ?? organizationOf(paper['organization']),
      thumbnailUrl: httpsUrl(item['thumbnail']),
      mediaUrls: httpsUrls(paper['mediaUrls'] ?? item['mediaUrls']),
      authorParticipating: typeof item['isAuthorParticipating'] === 'boolean' ? item['isAuthorParticipating'] : undefined,
    },
    // HF titles are served as HF gives them ("Extension -- More"); the abstract's LaTeX is still made text
    latexTitle: false,
  });
}

export function parseDailyPaperItems(items: readonly unknown[], format: FeedFormat): ParseResult {
  const { papers, errors } = collectEntries(items, itemToPaper, (item) => {
    const paper = isJsonObject(item) ? item['paper'] : undefined;
    return isJsonObject(paper) ? str(paper['id']) : undefined;
  });
  return { format, papers, errors };
}
