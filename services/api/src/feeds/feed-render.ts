import { labelledLinks, renderableLinks } from '@paperwire/contracts';
import { abstractText } from '../common/inline-latex';
import type { PaperSummaryDto } from '../papers/paper.dto';

export interface FeedMeta {
  /** stable id of the feed (its canonical URL) */
  id: string;
  title: string;
  description: string;
  /** this feed's URL (rel=self) */
  selfUrl: string;
  /** the same feed in the other format */
  alternateUrl: string;
  /** media type of alternateUrl, default the other feed format */
  alternateType?: string;
  /** the public base URL (no trailing slash) */
  homeUrl: string;
  /** the HTML page this feed mirrors, default homeUrl */
  pageUrl?: string;
  /** topic slug -> name: an Atom category's label, what a feed reader shows (the slug without it) */
  topicNames?: Readonly<Record<string, string>>;
}

/**
 * The feed-level author (RFC 4287 §4.1.1: entries without their own author inherit it; JSON Feed 1.1 likewise).
 * A paper whose source gave no authors has no author entry: a placeholder name ("Unknown authors") would be read
 * as an author, where the paper's page says the source gave none.
 */
export const FEED_AUTHOR = 'PaperWire';

/** The authors a source gave, blank names left out (none: the entry has no author of its own). */
const namedAuthors = (p: PaperSummaryDto) => p.authors.filter((a) => a.name.trim().length > 0);

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The paper's page on PaperWire: what a feed entry links to. */
export function paperPageUrl(p: { id: string; arxivId: string | null }, homeUrl: string): string {
  return `${homeUrl}/papers/${encodeURIComponent(p.arxivId ?? p.id)}`;
}

function entryText(p: PaperSummaryDto): string {
  const claim = p.headlineClaim ? `Headline claim: ${p.headlineClaim.summary} — “${abstractText(p.headlineClaim.text)}”\n\n` : '';
  return `${claim}${abstractText(p.abstract)}`;
}

/**
 * An entry's dates. <published> (Atom, optional) and date_published (JSON Feed, optional) are the paper's own date,
 * left out when no source stated one: never a listing date or the first sighting passed off as a publication date.
 * Atom requires <updated>: an undated paper's starts from when PaperWire first saw it (createdAt), which is what
 * it says, a time PaperWire knows.
 */
const datedFrom = (p: PaperSummaryDto) => p.publishedAt ?? p.createdAt;

/** How long an entry's summary runs at most, in characters (the ellipsis included). */
export const SUMMARY_MAX = 280;

/**
 * An entry's summary (Atom <summary>, JSON Feed summary): the start of the abstract, whitespace collapsed, cut at
 * a word boundary with an ellipsis. The headline claim is not the summary: it leads the content and is in
 * `_paperwire.headline_claim`.
 */
export function entrySummary(p: Pick<PaperSummaryDto, 'abstract'>): string {
  const text = abstractText(p.abstract).replace(/\s+/g, ' ').trim();
  if (text.length <= SUMMARY_MAX) return text;
  const cut = text.slice(0, SUMMARY_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUMMARY_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/**
 * When the entry last changed in a way its reader sees (Atom <updated>, JSON Feed date_modified): the
 * record's updatedAt (a new version or metadata from a source, a classification that changed its topics,
 * a re-extraction that changed its claims),
 * never before its publication. Not source_updated_at: that is the source's own date for its latest
 * version, which a re-classification or a metadata fix never moves and many sources do not give.
 */
export function entryUpdated(p: PaperSummaryDto): string {
  const published = datedFrom(p);
  return Date.parse(p.updatedAt) > Date.parse(published) ? p.updatedAt : published;
}

/**
 * The feed's date: its newest entry's, so the feed (and its ETag) changes only when its entries do. An empty
 * feed has no entry to be dated by: it is dated by the start of the current minute (now is as true as any
 * date for "nothing here", and the ETag stays the same within the minute; a fixed 1970 told readers nothing).
 */
function feedUpdated(papers: PaperSummaryDto[], now: Date): string {
  const dates = papers.map(entryUpdated).sort((a, b) => Date.parse(a) - Date.parse(b));
  return dates[dates.length - 1] ?? new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
}

export function renderAtom(meta: FeedMeta, papers: PaperSummaryDto[], now: Date = new Date()): string {
  const entries = papers.map((p) => {
    const { abs, pdf } = renderableLinks(p);
    const links = [
      `<link rel="alternate" type="text/html" href="${xmlEscape(paperPageUrl(p, meta.homeUrl))}"/>`,
      ...(abs ? [`<link rel="related" type="text/html" title="abstract" href="${xmlEscape(abs)}"/>`] : []),
      ...(pdf ? [`<link rel="enclosure" type="application/pdf" href="${xmlEscape(pdf)}"/>`] : []),
      // titled by what each is (code, model, dataset, space, project), the same page once
      ...labelledLinks(p.links).map((l) => `<link rel="related" title="${l.kind}" href="${xmlEscape(l.url)}"/>`),
      `<link rel="via" type="application/json" href="${xmlEscape(`${meta.homeUrl}/v1/papers/${p.id}`)}"/>`,
    ];
    const authors = namedAuthors(p).map((a) => `<author><name>${xmlEscape(a.name)}</name></author>`);
    // the term stays the slug (filters, other tools); the label is the name the pages show
    const cats = p.topics.map((t) => {
      const label = meta.topicNames?.[t.slug];
      return `<category term="${xmlEscape(t.slug)}"${label ? ` label="${xmlEscape(label)}"` : ''}/>`;
    });
    return [
      '<entry>',
      `<id>urn:uuid:${p.id}</id>`,
      `<title type="text">${xmlEscape(p.title)}</title>`,
      `<updated>${entryUpdated(p)}</updated>`,
      ...(p.publishedAt ? [`<published>${p.publishedAt}</published>`] : []),
      ...authors,
      ...links,
      ...cats,
      `<summary type="text">${xmlEscape(entrySummary(p))}</summary>`,
      `<content type="text">${xmlEscape(entryText(p))}</content>`,
      '</entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xmlEscape(meta.id)}</id>`,
    `<title type="text">${xmlEscape(meta.title)}</title>`,
    `<subtitle type="text">${xmlEscape(meta.description)}</subtitle>`,
    `<updated>${feedUpdated(papers, now)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(meta.selfUrl)}"/>`,
    // the page first: feed readers take the first alternate link as the feed's website
    `<link rel="alternate" type="text/html" href="${xmlEscape(meta.pageUrl ?? meta.homeUrl)}"/>`,
    `<link rel="alternate" type="${xmlEscape(meta.alternateType ?? 'application/feed+json')}" href="${xmlEscape(meta.alternateUrl)}"/>`,
    `<author><name>${FEED_AUTHOR}</name><uri>${xmlEscape(meta.homeUrl)}</uri></author>`,
    `<icon>${xmlEscape(meta.homeUrl)}/favicon.svg</icon>`,
    '<generator uri="https://github.com/paperwire/paperwire">PaperWire</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1). */
export function renderJsonFeed(meta: FeedMeta, papers: PaperSummaryDto[]): Record<string, unknown> {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    description: meta.description,
    home_page_url: meta.pageUrl ?? meta.homeUrl,
    feed_url: meta.selfUrl,
    favicon: `${meta.homeUrl}/favicon.svg`,
    language: 'en',
    authors: [{ name: FEED_AUTHOR, url: meta.homeUrl }],
    items: papers.map((p) => {
      const links = renderableLinks(p);
      return {
        id: p.id,
        url: paperPageUrl(p, meta.homeUrl),
        ...(links.abs ? { external_url: links.abs } : {}),
        title: p.title,
        content_text: entryText(p),
        summary: entrySummary(p),
        ...(p.publishedAt ? { date_published: p.publishedAt } : {}),
        date_modified: entryUpdated(p),
        ...(namedAuthors(p).length > 0 ? { authors: namedAuthors(p).map((a) => ({ name: a.name })) } : {}),
        tags: p.topics.map((t) => t.slug),
        _paperwire: {
          arxiv_id: p.arxivId,
          primary_topic: p.primaryTopic,
          contribution: p.contribution,
          has_code: p.hasCode,
          headline_claim: p.headlineClaim,
          api_url: `${meta.homeUrl}/v1/papers/${p.id}`,
          code_url: labelledLinks(p.links).find((l) => l.kind === 'code')?.url ?? null,
        },
      };
    }),
  };
}
