import { httpHref, type PaperAuthor, type PaperLinks } from '@paperwire/contracts';
import { escapeHtml, paperPath, publicUrl, renderHead, skipLink, type Alternate } from '../common/html';
import { titleHtml } from '../common/inline-latex';
import { PAGE_CSS } from '../common/page-style';
import { labelledLinks, renderableLinks } from '@paperwire/contracts';
import type { TrendingWindow } from '../daily/daily-query';
import { isoWeekOf, monthLabel, monthOf, weekLabel } from './period-nav';

export { escapeHtml };

/** One paper card as the page shows it. */
export interface CardView {
  id: string;
  /** its place in the whole listing (a later page goes on from the one before); absent: its place on this page */
  rank?: number;
  arxivId: string | null;
  title: string;
  authors: PaperAuthor[];
  upvotes: number | null;
  topics: { slug: string; name: string }[];
  claim: string | null;
  links: PaperLinks;
  abstractPreview?: string;
  numComments?: number | null;
  submittedBy?: string | null;
  organization?: string | null;
  thumbnailUrl?: string | null;
  /** whether the paper has a trending signal (its listing's hasTrendingSignal): the week and month orders put those first */
  hasSignal?: boolean;
}

export type HomeTab = 'daily' | 'trending' | 'search';
export type PeriodKind = 'day' | 'week' | 'month';

export interface HomeView {
  tab: HomeTab;
  nonce: string;
  csrf: string;
  topics: { slug: string; name: string }[];
  /** the public base URL (canonical and OpenGraph URLs) */
  baseUrl?: string;
  /** filter currently applied */
  topic?: string;
  q?: string;
  /** the listed period (daily tab); kind day also fills `date` */
  period?: { kind: PeriodKind; key: string; from: string; to: string } | null;
  date?: string | null;
  /** the reader named the period (date, week or month); else the listing opened on the latest day with papers */
  periodChosen?: boolean;
  previousDate?: string | null;
  nextDate?: string | null;
  /** an empty trending window: the shortest longer window that lists a trending paper (null or absent: none does) */
  trendingElsewhere?: TrendingWindow | null;
  /** a topic's empty day: the latest day with papers in that topic (null: none) */
  latestTopicDay?: string | null;
  /** a search that matched nothing: the same search with its misspelt words corrected, when that one matches (null: none) */
  suggestion?: string | null;
  window?: string;
  total: number;
  /** the listing has more than `total` papers (a bounded count): shown as "1,000+" */
  totalMore?: boolean;
  cards: CardView[];
  /** the next page of the same listing, when there is one */
  nextPageHref?: string | null;
  /** on a later page ("More papers" followed): the listing's first page */
  firstPageHref?: string | null;
  /** flash shown above the subscribe box (errors) */
  subscribeError?: string;
  /** the listing the page shows (its link, no cursor): a refused sign-up is answered on this listing again */
  listing?: string;
  /** the subscribe form's ticked topics (a refused form shown again); absent: the listing's topic, if any */
  subscribeTopics?: string[];
  email?: string;
}

const enc = encodeURIComponent;

/** Builds a same-page link keeping only the given parameters. */
export function homeHref(params: Record<string, string | undefined | null>): string {
  const qs = Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  return qs ? `/?${qs}` : '/';
}

function authorLine(authors: PaperAuthor[]): string {
  const names = authors.map((a) => a.name);
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

const periodParam = (kind: PeriodKind) => (kind === 'day' ? 'date' : kind);
const periodOf = (view: HomeView) => view.period ?? (view.date ? { kind: 'day' as const, key: view.date, from: view.date, to: view.date } : null);

/** The listing's own parameters (period and topic), for links that keep them. */
function listingParams(view: HomeView): Record<string, string | undefined> {
  if (view.tab === 'trending') return { tab: 'trending', window: view.window, topic: view.topic };
  const p = periodOf(view);
  return { ...(p ? { [periodParam(p.kind)]: p.key } : {}), topic: view.topic };
}

function card(c: CardView, rank: number, view: HomeView): string {
  const { abs, pdf } = renderableLinks(c);
  const page = paperPath(c.arxivId ?? c.id);
  // a card shows the first of the code links (a repository first, else a Hugging Face artefact) and the first project
  // page, each labelled by what it is
  const labelled = labelledLinks(c.links);
  const codes = labelled.filter((l) => l.listedAs === 'code');
  const code = codes.find((l) => l.kind === 'code') ?? codes[0];
  const project = labelled.find((l) => l.listedAs === 'project');
  const thumbnail = httpHref(c.thumbnailUrl);
  const links = [
    abs ? `<li><a href="${escapeHtml(abs)}" data-testid="link-arxiv">arXiv</a></li>` : '',
    pdf ? `<li><a href="${escapeHtml(pdf)}" data-testid="link-pdf">PDF</a></li>` : '',
    code ? `<li><a href="${escapeHtml(code.url)}" data-testid="link-code" data-kind="${code.kind}" title="${escapeHtml(code.label)}">${escapeHtml(code.short)}</a></li>` : '',
    project ? `<li><a href="${escapeHtml(project.url)}" data-testid="link-project" data-kind="${project.kind}" title="${escapeHtml(project.label)}">${escapeHtml(project.short)}</a></li>` : '',
    // (the paper's API record is for developers: its link is in the paper page's footer, not on every card)
  ].join('');
  const chips = c.topics
    .map(
      (t) =>
        `<li><a href="${escapeHtml(homeHref({ ...listingParams(view), topic: t.slug }))}" data-topic="${escapeHtml(t.slug)}">${escapeHtml(t.name)}</a></li>`,
    )
    .join('');
  const votes = String(c.upvotes);
  const hid = `paper-${rank}`;
  const meta = [
    typeof c.numComments === 'number' ? `<span data-testid="comments">${c.numComments} comment${c.numComments === 1 ? '' : 's'}</span>` : '',
    c.submittedBy ? `<span data-testid="submitted-by">submitted by ${escapeHtml(c.submittedBy)}</span>` : '',
    c.organization ? `<span data-testid="organization">${escapeHtml(c.organization)}</span>` : '',
  ].filter(Boolean);
  // a paper no source gave upvotes (an arXiv feed, a text capture) shows no count at all: a column of "– upvotes"
  // down a page of such papers said nothing (the order note says when none has upvotes)
  const votesBox =
    c.upvotes === null
      ? ''
      : `<div class="votes" aria-label="${votes} ${c.upvotes === 1 ? 'upvote' : 'upvotes'}">${votes}<small>${c.upvotes === 1 ? 'upvote' : 'upvotes'}</small></div>\n`;
  return `<li><article class="card" aria-labelledby="${hid}" data-testid="paper" data-paper-id="${escapeHtml(c.id)}">
${votesBox}
<h3 id="${hid}">${thumbnail ? `<img class="thumb" src="${escapeHtml(thumbnail)}" alt="" loading="lazy" width="120" height="63" data-testid="thumbnail">` : ''}<a href="${escapeHtml(page)}" data-testid="paper-title">${titleHtml(c.title)}</a></h3>
${c.authors.length > 0 ? `<p class="authors">${escapeHtml(authorLine(c.authors))}</p>` : ''}
${meta.length > 0 ? `<p class="meta">${meta.join(' · ')}</p>` : ''}
${c.claim ? `<p class="claim" data-testid="claim">${escapeHtml(c.claim)}</p>` : ''}
${c.abstractPreview ? `<p class="preview" data-testid="preview">${escapeHtml(c.abstractPreview)}</p>` : ''}
${chips ? `<ul class="chips" aria-label="Topics" data-testid="topics">${chips}</ul>` : ''}
<ul class="links" aria-label="Links">${links}</ul>
</article></li>`;
}

/**
 * A list of paper cards as the home page shows them, outside a listing (a digest's page): numbered from `firstRank`,
 * topic chips linking the Daily tab's topic pages.
 */
export function renderCardList(cards: CardView[], firstRank = 1): string {
  const view: HomeView = { tab: 'search', nonce: '', csrf: '', topics: [], total: cards.length, cards };
  return `<ol class="papers" start="${firstRank}" data-testid="papers">${cards.map((c, i) => card(c, firstRank + i, view)).join('\n')}</ol>`;
}

/** The views; the topic filter applies to each, so switching keeps it. */
function tabs(view: HomeView): string {
  const cur = (t: HomeTab) => (view.tab === t ? ' aria-current="page"' : '');
  return `<nav class="tabs" aria-label="Views"><ul>
<li><a href="${escapeHtml(homeHref({ topic: view.topic }))}"${cur('daily')} data-testid="tab-daily">Daily</a></li>
<li><a href="${escapeHtml(homeHref({ tab: 'trending', topic: view.topic }))}"${cur('trending')} data-testid="tab-trending">Trending</a></li>
${view.tab === 'search' ? `<li><a href="${escapeHtml(homeHref({ q: view.q, topic: view.topic }))}" aria-current="page">Search</a></li>` : ''}
</ul></nav>`;
}

function filters(view: HomeView): string {
  const options = view.topics
    .map(
      (t) =>
        `<option value="${escapeHtml(t.slug)}"${t.slug === view.topic ? ' selected' : ''}>${escapeHtml(t.name)}</option>`,
    )
    .join('');
  // a period the reader named is kept when the filter changes; the default one is not, so picking a topic opens on
  // that topic's latest day rather than on a day with papers of other topics only
  const keep = view.tab === 'search' ? {} : view.tab === 'daily' && !view.periodChosen ? { topic: view.topic } : listingParams(view);
  const hidden = Object.entries(keep)
    .filter(([k, v]) => k !== 'topic' && v)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v ?? '')}">`)
    .join('');
  return `<form class="filters" method="get" action="/" role="search" aria-label="Filter papers">${hidden}
<label for="f-topic"><span class="lbl">Topic</span><select id="f-topic" name="topic"><option value="">All topics</option>${options}</select></label>
<label for="f-q"><span class="lbl">Search titles, abstracts and authors</span><input id="f-q" name="q" type="search" value="${escapeHtml(view.q ?? '')}" maxlength="500" placeholder="Search (e.g. retrieval augmented, or an author’s name)"></label>
<button type="submit">Apply</button>
${view.topic || view.q ? `<a href="${escapeHtml(homeHref({ ...keep, topic: undefined }))}">Clear filters</a>` : ''}
</form>`;
}

function subscribeBox(view: HomeView): string {
  // a topic's listing offers that topic's digest (ticked, the list open); the reader can untick it for every topic
  const ticked = new Set(view.subscribeTopics ?? (view.topic ? [view.topic] : []));
  const boxes = view.topics
    .map(
      (t) =>
        `<label><input type="checkbox" name="topics" value="${escapeHtml(t.slug)}"${ticked.has(t.slug) ? ' checked' : ''}> ${escapeHtml(t.name)}</label>`,
    )
    .join('');
  return `<section class="subscribe" aria-labelledby="h-subscribe">
<h2 id="h-subscribe">Get trending papers in your email inbox!</h2>
${view.subscribeError ? `<p class="error" role="alert" data-testid="subscribe-error">${escapeHtml(view.subscribeError)}</p>` : ''}
<form method="post" action="/subscribe" data-testid="subscribe-form">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
<input type="hidden" name="from" value="${escapeHtml(view.listing ?? '/')}">
<label for="s-email">Email address<input id="s-email" name="email" type="email" required autocomplete="email" maxlength="254" value="${escapeHtml(view.email ?? '')}"></label>
<button type="submit">Subscribe</button>
<details${ticked.size > 0 ? ' open' : ''}><summary>Only some topics (optional)</summary><fieldset><legend>Topics</legend>${boxes}</fieldset></details>
</form>
<p class="authors">A daily digest at 08:00 UTC of the day’s top trending papers: up to 10 papers you have not been sent, listed in the last 7 days with upvotes, comments, stars or a listing on both Hugging Face and arXiv (the Trending tab’s papers), highest trending score first. We send a confirmation link first; every mail has a one-click unsubscribe.</p>
</section>`;
}

/** Day / week / month switch, the native date, week and month pickers, and prev/next links. */
function periodNav(view: HomeView, where: 'top' | 'bottom'): string {
  if (view.tab !== 'daily') return '';
  const p = periodOf(view);
  const topic = view.topic;
  const prevNext = (key: string | null | undefined, rel: 'prev' | 'next') => {
    if (!key || !p) return '<span aria-hidden="true"></span>';
    // named as the period itself is named ("Week 18, 2026", "August 2026"), never by its key ("2026-W18")
    const name = neighbourLabel(p.kind, key);
    const label = rel === 'prev' ? `← ${name}` : `${name} →`;
    return `<a href="${escapeHtml(homeHref({ [periodParam(p.kind)]: key, topic }))}" rel="${rel}" data-testid="${where === 'top' ? `period-${rel}` : `period-${rel}-bottom`}">${escapeHtml(label)}</a>`;
  };
  const nav = `<nav class="days" aria-label="${where === 'top' ? 'Periods' : 'Periods (bottom)'}">${prevNext(view.previousDate, 'prev')}
<span data-testid="${where === 'top' ? 'period' : 'period-bottom'}">${escapeHtml(p ? label(p) : 'no papers yet')}</span>${prevNext(view.nextDate, 'next')}</nav>`;
  if (where === 'bottom' || !p) return nav;
  const day = p.kind === 'day' ? p.key : p.from;
  const kinds: [PeriodKind, string, string][] = [
    ['day', 'Day', day],
    ['week', 'Week', isoWeekOf(day)],
    ['month', 'Month', monthOf(day)],
  ];
  const switcher = `<nav class="windows" aria-label="Listing period"><ul>${kinds
    .map(
      ([k, name, key]) =>
        `<li><a href="${escapeHtml(homeHref({ [periodParam(k)]: key, topic }))}" data-testid="view-${k}"${p.kind === k ? ' aria-current="true"' : ''}>${name}</a></li>`,
    )
    .join('')}</ul></nav>`;
  const hiddenTopic = topic ? `<input type="hidden" name="topic" value="${escapeHtml(topic)}">` : '';
  const picker = (name: string, type: string, id: string, text: string, value: string) =>
    `<form class="period" method="get" action="/" aria-label="${escapeHtml(`Pick a ${text.toLowerCase()}`)}">${hiddenTopic}
<label for="${id}">${text}<input id="${id}" name="${name}" type="${type}" value="${escapeHtml(value)}" required></label><button type="submit">Show ${text.toLowerCase()}</button></form>`;
  const pickers =
    p.kind === 'day'
      ? picker('date', 'date', 'pick-date', 'Day', p.key)
      : p.kind === 'week'
        ? picker('week', 'week', 'pick-week', 'Week', p.key)
        : picker('month', 'month', 'pick-month', 'Month', p.key);
  return `<div class="period-bar">${switcher}${pickers}</div>${nav}`;
}

/** A previous / next period's link text: a day by its date, a week and a month by their names. */
export function neighbourLabel(kind: PeriodKind, key: string): string {
  return kind === 'day' ? key : kind === 'week' ? weekLabel(key) : monthLabel(key);
}

function label(p: { kind: PeriodKind; key: string; from: string; to: string }): string {
  return p.kind === 'day' ? p.key : p.kind === 'week' ? weekLabel(p.key, p.from, p.to) : monthLabel(p.key);
}

export const TRENDING_NOTE =
  'How trending works: a paper’s signal is its upvotes + 2 × comments + GitHub stars, + 3 when both Hugging Face’s Daily Papers and arXiv listed it (more feeds of one of them add nothing); a paper with no signal is not trending. The score halves every 48 hours after the paper was listed (the day the Daily Papers featured it or arXiv announced it, else its publication date, else the day PaperWire first saw it), and the window keeps papers listed within it.';

/** The trending windows, shortest first, as the switch names them. */
const WINDOWS: Record<TrendingWindow, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };
const windowName = (w: string | undefined) => WINDOWS[(w ?? '7d') as TrendingWindow] ?? w ?? '';
/** "last 7 days" for 7d: a trending window as the page's switch names it. */
export const trendingWindowName = (w: string | undefined): string => windowName(w).toLowerCase();

function windowNav(view: HomeView): string {
  if (view.tab !== 'trending') return '';
  const w = view.window ?? '7d';
  const items = (Object.keys(WINDOWS) as TrendingWindow[])
    .map(
      (x) =>
        `<li><a href="${escapeHtml(homeHref({ tab: 'trending', window: x, topic: view.topic }))}" data-testid="window-${x}"${x === w ? ' aria-current="true"' : ''}>${WINDOWS[x]}</a></li>`,
    )
    .join('');
  return `<nav class="windows" aria-label="Trending window"><ul>${items}</ul></nav>
<details class="trending-note"><summary>How trending works</summary><p data-testid="trending-note">${escapeHtml(TRENDING_NOTE)}</p></details>`;
}

/** ` in {topic name}` when a topic filters the listing: the page's title names it (tabs and bookmarks tell topics apart). */
function topicSuffix(view: HomeView): string {
  if (!view.topic) return '';
  return ` in ${view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic}`;
}

function heading(view: HomeView): string {
  switch (view.tab) {
    case 'daily': {
      const p = periodOf(view);
      if (!p) return 'No papers yet';
      return `Papers of ${label(p)}`;
    }
    case 'trending':
      // the window as its switch names it ("last 7 days"), not its parameter ("7d")
      return `Trending papers of the ${trendingWindowName(view.window)}`;
    case 'search':
      return `Search results for “${view.q ?? ''}”`;
    default: {
      const never: never = view.tab;
      return String(never);
    }
  }
}

/**
 * How the listing is ordered, said above it: a day most upvoted first (a page without upvotes, as its source listed
 * them); a week or a month by trending score (the
 * order its index keeps: read-model.ts listedRangePage), so a card with fewer upvotes above one with more is
 * explained; the trending tab's own note says how the score works.
 */
export function orderNote(view: HomeView): string {
  // a search ranks its newest matches only: past them, the page says where it stops and how to reach the rest
  if (view.tab === 'search' && view.totalMore)
    return `<p class="order" data-testid="order">${escapeHtml(`Best matches first among the ${view.total.toLocaleString('en-US')} newest papers that match: add a word or pick a topic to reach older ones.`)}</p>\n`;
  if (view.tab !== 'daily' || view.total === 0) return '';
  const p = periodOf(view);
  if (!p) return '';
  // a day is most upvoted first; a page none of whose papers has upvotes is in the order the read uses next (a
  // capture's own order, then the newest sighting first): say that one (read-model.ts listedDayPage)
  const unvoted = view.cards.length > 0 && view.cards.every((c) => !c.upvotes);
  const text =
    p.kind === 'day'
      ? unvoted
        ? 'No paper here has upvotes: in the order their source listed them, newest first where it gave none.'
        : 'Most upvoted first.'
      : view.cards.some((c) => c.hasSignal)
        ? `Papers with a trending signal first, highest trending score first, not by upvotes alone: upvotes, comments, stars and a listing on both Hugging Face and arXiv, halving every 48 hours after the paper was listed; papers without any signal come last, newest first.`
        : `No paper here has upvotes, comments, stars or a listing on both Hugging Face and arXiv: newest first.`;
  return `<p class="order" data-testid="order">${escapeHtml(text)}</p>\n`;
}

/** What an empty listing says: "match" only when the reader filtered, else what there is none of. */
export function emptyMessage(view: HomeView): string {
  if (view.q) return 'No papers match.';
  const inTopic = view.topic ? ` in “${view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic}”` : '';
  if (view.tab === 'trending') {
    const w = windowName(view.window).toLowerCase();
    return `No trending papers${inTopic} in the ${w}: Trending shows the papers listed in the ${w} that have upvotes, comments, stars or a listing on both Hugging Face and arXiv.`;
  }
  const p = periodOf(view);
  if (!p) return `No papers${inTopic} yet.`;
  return `No papers${inTopic} ${p.kind === 'day' ? 'on this day' : `in this ${p.kind}`}.`;
}

/** Under a search that matched nothing: the corrected search, a link to its results (searchSuggestion). */
function didYouMean(view: HomeView): string {
  if (!view.q || !view.suggestion) return '';
  const href = homeHref({ q: view.suggestion, topic: view.topic });
  return `<p data-testid="did-you-mean">Did you mean <a href="${escapeHtml(href)}">${escapeHtml(view.suggestion)}</a>?</p>`;
}

/**
 * Under a search that matched nothing: how search matches (every word: "lora xyzzy" finds nothing though "lora"
 * finds papers), and with a topic filter, the same words over every topic.
 */
function searchHint(view: HomeView): string {
  if (!view.q) return '';
  const name = view.topic ? (view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic) : null;
  const everyTopic = name ? `, or <a href="${escapeHtml(homeHref({ q: view.q }))}" data-testid="search-every-topic">search every topic</a>, not only “${escapeHtml(name)}”` : '';
  return `<p data-testid="search-hint">A paper matches when every word is in its title, abstract or author names: try fewer or other words${everyTopic}.</p>`;
}

/** Under a topic's empty day: a link to the topic's latest day with papers. */
function latestTopicDay(view: HomeView): string {
  if (view.tab !== 'daily' || !view.topic || !view.latestTopicDay || view.latestTopicDay === view.date) return '';
  const name = view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic;
  const href = homeHref({ date: view.latestTopicDay, topic: view.topic });
  return `<p data-testid="empty-latest">The latest day with papers in “${escapeHtml(name)}” is <a href="${escapeHtml(href)}">${escapeHtml(view.latestTopicDay)}</a>.</p>`;
}

/**
 * Under an empty trending listing: a longer window only when it lists a trending paper (`trendingElsewhere`: never
 * an empty page sending the reader to another), and the Daily tab, which opens on the latest day with papers.
 */
function trendingElsewhere(view: HomeView): string {
  if (view.tab !== 'trending') return '';
  const daily = `<a href="${escapeHtml(homeHref({ topic: view.topic }))}" data-testid="empty-daily">the Daily tab</a>`;
  const w = view.trendingElsewhere;
  const longer = w
    ? `<a href="${escapeHtml(homeHref({ tab: 'trending', window: w, topic: view.topic }))}" data-testid="empty-longest">the ${escapeHtml(WINDOWS[w].toLowerCase())}</a>, or `
    : '';
  return `<p data-testid="empty-more">For older papers, see ${longer}${daily}, which lists every paper by the day it appeared.</p>`;
}

/** Feed autodiscovery: the feed matching what the listing shows (topic, search, else all papers). */
export function listingFeeds(view: HomeView): Alternate[] {
  // named as the page names them: a topic by its name, a search by its words (the feed's own title says the same)
  const topicName = view.topic ? (view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic) : null;
  if (view.topic && !view.q)
    return [
      { type: 'application/atom+xml', title: `PaperWire — ${topicName} (Atom)`, href: `/v1/feeds/topics/${enc(view.topic)}.atom` },
      { type: 'application/feed+json', title: `PaperWire — ${topicName} (JSON Feed)`, href: `/v1/feeds/topics/${enc(view.topic)}.json` },
    ];
  const qs = homeHref({ q: view.q, topic: view.topic }).slice(1);
  const what = view.q ? `papers matching “${view.q}”${topicName ? ` in ${topicName}` : ''}` : 'newest papers';
  return [
    { type: 'application/atom+xml', title: `PaperWire — ${what} (Atom)`, href: `/v1/feeds/search.atom${qs}` },
    { type: 'application/feed+json', title: `PaperWire — ${what} (JSON Feed)`, href: `/v1/feeds/search.json${qs}` },
  ];
}

/**
 * The listing's feeds as links a reader can see and copy (autodiscovery in <head> reaches only feed readers that look
 * for it): a topic's or a search's feed, else the newest papers'. The trending tab has no feed of its own, so only a
 * topic's is offered there.
 */
function followLinks(view: HomeView): string {
  if (view.tab === 'trending' && !view.topic) return '';
  const [atom, json] = listingFeeds(view.tab === 'trending' ? { ...view, q: undefined } : view);
  const name = view.topic ? (view.topics.find((t) => t.slug === view.topic)?.name ?? view.topic) : null;
  const what = view.q ? `papers matching “${view.q}”${name ? ` in ${name}` : ''}` : name ? `“${name}”` : 'the newest papers';
  return `<p class="follow" data-testid="follow">Follow ${escapeHtml(what)} in a feed reader: <a href="${escapeHtml(atom.href)}" type="${atom.type}" data-testid="follow-atom">Atom feed</a> · <a href="${escapeHtml(json.href)}" type="${json.type}" data-testid="follow-json">JSON Feed</a></p>`;
}

/** A later page of a listing ("More papers" followed) links back to its first page. */
function firstPageLink(view: HomeView): string {
  if (!view.firstPageHref) return '';
  return `<p><a href="${escapeHtml(view.firstPageHref)}" data-testid="first-page">← Back to the first page</a></p>`;
}

/** The list's `start` when its first card is not the listing's first ("More papers": numbered on from the page before). */
const firstRankAttr = (cards: CardView[]): string => (cards[0]?.rank !== undefined && cards[0].rank > 1 ? ` start="${cards[0].rank}"` : '');

/** The Daily Papers page: server-rendered, no script, no external assets (nonce CSP for the style). */
export function renderHomePage(view: HomeView): string {
  const list =
    view.cards.length > 0
      ? `<ol class="papers"${firstRankAttr(view.cards)} data-testid="papers">${view.cards.map((c, i) => card(c, c.rank ?? i + 1, view)).join('\n')}</ol>`
      : `<p class="empty" data-testid="empty">${escapeHtml(emptyMessage(view))}</p>${didYouMean(view)}${searchHint(view)}${trendingElsewhere(view)}${latestTopicDay(view)}`;
  const title = `${heading(view)}${topicSuffix(view)} — PaperWire`;
  // Papers first: the subscribe box follows the list, unless it has something to say (a refused address)
  const subscribe = subscribeBox(view);
  const subscribeFirst = Boolean(view.subscribeError);
  const base = view.baseUrl ?? '';
  const head = renderHead({
    title,
    nonce: view.nonce,
    css: PAGE_CSS,
    canonical: base ? publicUrl(base, homeHref(view.tab === 'search' ? { q: view.q, topic: view.topic } : listingParams(view))) : undefined,
    description: 'Daily research papers with topics, headline claims and trending, from Hugging Face Daily Papers and arXiv.',
    alternates: listingFeeds(view),
  });
  return `<!doctype html>
<html lang="en">${head}
<body>
${skipLink('h-list', 'Skip to papers')}
<header><h1>PaperWire Daily Papers</h1>${tabs(view)}</header>
${filters(view)}
${subscribeFirst ? subscribe : ''}
<main aria-labelledby="h-list">
${periodNav(view, 'top')}${windowNav(view)}
<h2 id="h-list" tabindex="-1">${escapeHtml(`${heading(view)}${topicSuffix(view)}`)} <small data-testid="total">${view.total.toLocaleString('en-US')}${view.totalMore ? '+' : ''} paper${view.total === 1 && !view.totalMore ? '' : 's'}</small></h2>
${firstPageLink(view)}${orderNote(view)}${list}
${view.nextPageHref ? `<p><a href="${escapeHtml(view.nextPageHref)}" rel="next" data-testid="next-page">More papers →</a></p>` : ''}
${periodNav(view, 'bottom')}
${followLinks(view)}
</main>
${subscribeFirst ? '' : subscribe}
</body></html>`;
}

/** The answer to a subscription: a plain page, no form. */
export function renderMessagePage(nonce: string, title: string, message: string): string {
  return `<!doctype html>
<html lang="en">${renderHead({ title: `${title} — PaperWire`, nonce, css: PAGE_CSS })}
<body>${skipLink('content', 'Skip to content')}<main id="content" tabindex="-1"><h1>${escapeHtml(title)}</h1><p data-testid="message">${escapeHtml(message)}</p><p><a href="/">Back to the Daily Papers</a></p></main></body></html>`;
}
