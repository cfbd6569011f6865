// Hugging Face daily papers: /api/daily_papers JSON items and the same items inside a saved /papers page.
import { oneLineTitle, type CanonicalPaper, type FeedFormat, type HfPaperExtras, type PaperAuthor, type ParseResult } from '@paperwire/contracts';
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

/** The submitter object the item's handle comes from: the item's submittedBy, else the paper's submittedOnDailyBy. */
function submitterOf(item: Json, paper: Json): Json | undefined {
  for (const u of [item['submittedBy'], paper['submittedOnDailyBy']]) if (isJsonObject(u) && handleOf(u)) return u;
  return undefined;
}

function organizationOf(v: unknown): { name: string; fullname?: string } | undefined {
  if (!isJsonObject(v)) return undefined;
  const name = str(v['name'])?.trim().slice(0, 100);
  if (!name) return undefined;
  const fullname = str(v['fullname'])?.trim().slice(0, 200);
  return fullname ? { name, fullname } : { name };
}

/** A web address of reasonable length, as given: https only, or http too (`httpToo`). */
function webUrl(v: unknown, httpToo: boolean): string | undefined {
  const s = str(v);
  if (!s || s.length > 500 || !(httpToo ? /^https?:\/\/[^\s"'<>]+$/ : /^https:\/\/[^\s"'<>]+$/).test(s)) return undefined;
  try {
    const protocol = new URL(s).protocol;
    return protocol === 'https:' || (httpToo && protocol === 'http:') ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Only an https URL: it ends up in an <img src> on the public page. */
const httpsUrl = (v: unknown): string | undefined => webUrl(v, false);

/** An item's media: the https URLs of a list (at most 10), none when the source gave none. */
function httpsUrls(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const urls = v.map(httpsUrl).filter((u): u is string => !!u).slice(0, 10);
  return urls.length > 0 ? urls : undefined;
}

/** A plain one-line string of at most `max` characters (control characters make it no value), else nothing. */
function plain(v: unknown, max: number): string | undefined {
  const s = str(v)?.trim();
  // eslint-disable-next-line no-control-regex
  return s && s.length <= max && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s) ? s : undefined;
}

/** A text worth keeping as the source gave it: it differs from PaperWire's, and is of a size and content it stores. */
function asGiven(given: string | undefined, ours: string, max: number): given is string {
  return given !== undefined && given !== ours && given.length <= max && !given.includes('\u0000');
}

/** Hugging Face's own fields of the paper, kept as it gives them for its API served again; none when it gave none. */
function hfExtrasOf(paper: Json, item: Json, built: { title: string; abstract: string }): HfPaperExtras | undefined {
  const discussionId = plain(paper['discussionId'], 100);
  const aiSummary = plain(paper['ai_summary'], 2_000);
  const aiSummaryModel = plain(paper['ai_summary_model'], 200);
  const keywords = Array.isArray(paper['ai_keywords'])
    ? paper['ai_keywords'].map((k) => plain(k, 200)).filter((k): k is string => !!k).slice(0, 100)
    : [];
  const githubRepo = webUrl(paper['githubRepo'], true);
  const githubRepoAddedBy = githubRepo ? plain(paper['githubRepoAddedBy'], 50) : undefined;
  // the summary as HF gives it (line breaks, "--", "~"), up to the size of an abstract PaperWire keeps
  const summary = str(paper['summary']) ?? str(item['summary']);
  const title = str(paper['title']) ?? str(item['title']);
  // the item's own title, kept when it is not what is served without it (the paper's title on one line)
  const itemTitle = str(item['title']);
  const keepItemTitle = itemTitle !== undefined && title !== undefined && itemTitle !== oneLineTitle(title) && itemTitle.length <= 2_000 && !itemTitle.includes('\u0000');
  // HF's display name of the submitter, with the handle it belongs to (served only beside that handle)
  const submitter = submitterOf(item, paper);
  const handle = submitter ? handleOf(submitter) : undefined;
  const fullname = submitter ? plain(submitter['fullname'], 200) : undefined;
  const hiddenAuthors = (Array.isArray(paper['authors']) ? paper['authors'] : [])
    .filter((a): a is Json => isJsonObject(a) && a['hidden'] === true)
    .map((a) => plain(a['name'], 500))
    .filter((n): n is string => !!n)
    .slice(0, 100);
  const extras: HfPaperExtras = {
    ...(discussionId ? { discussionId } : {}),
    ...(aiSummary ? { aiSummary } : {}),
    ...(aiSummaryModel ? { aiSummaryModel } : {}),
    ...(keywords.length > 0 ? { aiKeywords: keywords } : {}),
    ...(githubRepo ? { githubRepo } : {}),
    ...(githubRepoAddedBy ? { githubRepoAddedBy } : {}),
    ...(asGiven(summary, built.abstract, 20_000) ? { summary } : {}),
    ...(asGiven(title, built.title, 2_000) ? { title } : {}),
    ...(keepItemTitle ? { itemTitle } : {}),
    ...(handle && fullname && fullname !== handle ? { submitter: { name: handle, fullname } } : {}),
    ...(hiddenAuthors.length > 0 ? { hiddenAuthors } : {}),
  };
  return Object.keys(extras).length > 0 ? extras : undefined;
}

function itemToPaper(item: unknown): CanonicalPaper {
  if (!isJsonObject(item) || !isJsonObject(item['paper'])) throw new EntryFailure('item without a paper object');
  const paper = item['paper'];
  const id = str(paper['id']);
  const built = buildPaper({
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
  const hf = hfExtrasOf(paper, item, built);
  return hf ? { ...built, sighting: { ...built.sighting, hf } } : built;
}

export function parseDailyPaperItems(items: readonly unknown[], format: FeedFormat): ParseResult {
  const { papers, errors } = collectEntries(items, itemToPaper, (item) => {
    const paper = isJsonObject(item) ? item['paper'] : undefined;
    return isJsonObject(paper) ? str(paper['id']) : undefined;
  });
  return { format, papers, errors };
}
