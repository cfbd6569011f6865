// Email bodies (HTML + plain text) for digests, instant notifications and double opt-in. Pure string
// building: the notifier adds the SMTP envelope and the List-Unsubscribe headers.

import { labelledLinks, renderableLinks, linkName } from '@paperwire/contracts';
import type { SubscriptionFilter } from './filter.schema';
import { describeFilter } from './filter-describe';
import { escapeHtml, headerSafe, link, safeUrl } from './html';
import { abstractText, titleText } from './inline-latex';
import { clipAtWord } from './text';
import type { MatchablePaper } from './matchable-paper';
import { mailedName, modeName } from './subscription-name';
import { paperPageUrl } from './webhook-payload';

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

export type EmailPaper = MatchablePaper & {
  /** the headline claim already formatted as one line ("12.2x reduction in gpu memory") */
  headline?: string | null;
  /** why it matched, from the matcher */
  reasons?: string[];
  /** its upvotes as the Daily Papers page shows them (digests), when it has any */
  upvotes?: number | null;
  /** its comments and its code's GitHub stars (digests): with upvotes, the signals that make it trend */
  comments?: number | null;
  githubStars?: number | null;
};

export interface DigestEmailInput {
  subscription: { id: string; name: string };
  period: { start: Date; end: Date };
  papers: EmailPaper[];
  unsubscribeUrl: string;
  appUrl: string;
  mode?: 'daily' | 'weekly';
  /** zone the dates are shown in (the subscription's); UTC by default */
  timeZone?: string;
  /** topic slug -> display name; the slug is shown when missing */
  topicNames?: Readonly<Record<string, string>>;
  /**
   * The subscription's own topics (its filter's, in its order, and the score from which one counts): a paper is
   * listed under the first of them it has, not under its primary topic, which may be one the subscription never
   * named. Without them (no topic filter), papers are grouped by primary topic.
   */
  topics?: { slugs: readonly string[]; minScore?: number };
  /**
   * The papers are a ranking (a digest sorted by trending): one list in their order, numbered, called trending
   * papers; not grouped by topic, which would put the top paper under whichever topic has most papers.
   */
  ranked?: boolean;
  /**
   * Every paper of the period that matched, when `papers` is a cut of them (the subscription's limit): the mail
   * then says "50 of 126 new papers" and links `moreUrl` for the rest. `totalCapped`: the count stopped at the
   * notifier's scan cap, so there are at least `total` ("5,000+").
   */
  total?: number;
  totalCapped?: boolean;
  /** the reader page listing the period, linked when papers were left out */
  moreUrl?: string | null;
}

export interface InstantEmailInput {
  subscription: { id: string; name: string };
  paper: EmailPaper;
  reasons?: string[];
  unsubscribeUrl: string;
  appUrl: string;
  topicNames?: Readonly<Record<string, string>>;
}

export interface ConfirmationEmailInput {
  confirmUrl: string;
  appUrl: string;
  subscription: {
    name: string;
    filter?: SubscriptionFilter;
    mode?: 'instant' | 'daily' | 'weekly';
    /** a digest's cap and order: what each digest carries at most (50 by default, as the notifier sends) */
    digest?: { limit?: number; sort?: 'recent' | 'trending' };
    /** when a digest goes out (its schedule): said with the cadence, "a daily digest at 08:00 UTC" */
    schedule?: { hour?: number; minute?: number; timeZone?: string; weekday?: number };
  };
  /** topic slug -> display name: the topics are named as the subscription's name says them */
  topicNames?: Readonly<Record<string, string>>;
  /** when the link stops working, if it expires */
  expiresAt?: Date;
  timeZone?: string;
}

const OTHER_TOPIC = 'Other';
const MAX_AUTHORS = 4;
const MAX_ABSTRACT = 1200;
/** a digest's abstracts: a few lines each, as the Daily Papers cards show them */
const DIGEST_ABSTRACT = 300;
const FONT = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;';

function requireUrl(name: string, raw: string): string {
  const u = safeUrl(raw);
  if (!u) throw new Error(`${name} must be an absolute http(s) URL`);
  return u;
}

function authorLine(p: MatchablePaper): string {
  const names = p.authors.map((a) => a.name);
  if (names.length <= MAX_AUTHORS) return names.join(', ');
  return `${names.slice(0, MAX_AUTHORS).join(', ')} et al.`;
}

function formatDate(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(d);
}

function topicName(slug: string | null | undefined, names?: Readonly<Record<string, string>>): string {
  if (!slug) return OTHER_TOPIC;
  return names?.[slug] ?? slug;
}

interface PaperLink {
  label: string;
  /** what the HTML link reads (a code link: its repository, `github.com/owner/repo`) */
  name: string;
  url: string;
}

/**
 * arXiv abs, PDF and code links that are safe to put in an email: the abstract and PDF links as the pages show
 * them (renderableLinks: the stored http(s) link, else arXiv's page from the arXiv id).
 */
export function paperLinks(p: MatchablePaper): PaperLink[] {
  const out: PaperLink[] = [];
  const shown = renderableLinks(p);
  const abs = safeUrl(shown.abs);
  const pdf = safeUrl(shown.pdf);
  if (abs) out.push({ label: 'arXiv', name: 'arXiv', url: abs });
  if (pdf) out.push({ label: 'PDF', name: 'PDF', url: pdf });
  // each code and project link by what it is, as the paper page says it (labelledLinks: "Code", "Model", "Dataset",
  // "Space", "Project"), and by its name (linkName: a repository or model whole, any other address whole or cut with
  // "…", never a truncation that reads as another page; two read "Code · Code" before); the plain text shows the address;
  // at most two code-listed links and the first project page
  const listed = labelledLinks({ code: [...(p.links?.code ?? []), ...p.codeLinks], project: p.links?.project ?? [] });
  const shownLinks = listed.map((l) => ({ ...l, url: safeUrl(l.url) })).filter((l): l is typeof l & { url: string } => !!l.url);
  const code = shownLinks.filter((l) => l.listedAs === 'code').slice(0, 2);
  const project = shownLinks.filter((l) => l.listedAs === 'project').slice(0, 1);
  for (const l of [...code, ...project]) out.push({ label: l.short, name: `${l.short}: ${linkName(l.url, l.kind)}`, url: l.url });
  return out;
}

/**
 * Groups papers by topic, input order kept inside a group. With the subscription's own topics (`own`), a paper goes
 * under the first of them it has (a score above `minScore`, or above 0), their groups first in the subscription's
 * order; a paper with none of them (or without `own`) goes under its primary topic, biggest group first, "Other" last.
 */
export function groupByTopic<P extends MatchablePaper>(
  papers: P[],
  names?: Readonly<Record<string, string>>,
  own?: { slugs: readonly string[]; minScore?: number },
): { topic: string; slug: string | null; papers: P[] }[] {
  const groups = new Map<string | null, P[]>();
  // a topic counts as the matcher counts it: from minScore, else any score above 0
  const has = (p: P, slug: string) => p.topics.some((t) => t.slug === slug && (own?.minScore === undefined ? t.score > 0 : t.score >= own.minScore));
  for (const p of papers) {
    const key = own?.slugs.find((slug) => has(p, slug)) ?? p.primaryTopic ?? null;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const ownRank = (slug: string | null) => (slug === null || !own ? -1 : own.slugs.indexOf(slug));
  return [...groups.entries()]
    .map(([slug, ps]) => ({ topic: topicName(slug, names), slug, papers: ps }))
    .sort((a, b) => {
      const [ra, rb] = [ownRank(a.slug), ownRank(b.slug)];
      if (ra >= 0 || rb >= 0) return ra < 0 ? 1 : rb < 0 ? -1 : ra - rb;
      if (a.slug === null) return 1;
      if (b.slug === null) return -1;
      return b.papers.length - a.papers.length || a.topic.localeCompare(b.topic);
    });
}

/**
 * Which of the subscription's own topics a paper of a ranked digest has (as groupByTopic counts them), by name: one
 * numbered list mixes a reader's topics, so each paper says which of them it is in. Only for two topics or more.
 */
export function ownTopicsOf(p: MatchablePaper, names?: Readonly<Record<string, string>>, own?: { slugs: readonly string[]; minScore?: number }): string[] {
  if (!own || own.slugs.length < 2) return [];
  return own.slugs
    .filter((slug) => p.topics.some((t) => t.slug === slug && (own.minScore === undefined ? t.score > 0 : t.score >= own.minScore)))
    .map((slug) => topicName(slug, names));
}

// ---- shared pieces --------------------------------------------------------------------------------

function htmlDocument(title: string, body: string, footer: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f7f9;${FONT}color:#1f2328">`,
    '<div style="max-width:680px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">',
    body,
    `<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 12px">`,
    `<p style="font-size:12px;color:#57606a">${footer}</p>`,
    '</div></body></html>',
  ].join('\n');
}

/** `abstract`: the whole abstract (clipped at MAX_ABSTRACT) or a short one (DIGEST_ABSTRACT), or none. */
type AbstractShown = boolean | 'short';
// Titles and abstracts read as PaperWire's pages read them (inline LaTeX: "$O(n^2)$" is "O(n²)"), as plain text.
const abstractOf = (p: EmailPaper, shown: AbstractShown): string | null =>
  shown && p.abstract ? clipAtWord(oneLine(abstractText(p.abstract)), shown === 'short' ? DIGEST_ABSTRACT : MAX_ABSTRACT) : null;
/** The signals a paper has (upvotes, comments, GitHub stars), those above zero, as one line; null for none. */
export function signalsOf(p: Pick<EmailPaper, 'upvotes' | 'comments' | 'githubStars'>): string | null {
  const parts = [
    p.upvotes ? `▲ ${plural(p.upvotes, 'upvote')}` : null,
    p.comments ? plural(p.comments, 'comment') : null,
    p.githubStars ? `★ ${p.githubStars.toLocaleString('en-US')} GitHub star${p.githubStars === 1 ? '' : 's'}` : null,
  ].filter((x): x is string => !!x);
  return parts.length ? parts.join(' · ') : null;
}

/** "Topic: RAG" / "Topics: RAG, Efficiency" (ownTopicsOf), or null. */
const topicsLine = (topics: readonly string[] | undefined) => (topics?.length ? `${topics.length === 1 ? 'Topic' : 'Topics'}: ${topics.join(', ')}` : null);

function paperHtml(p: EmailPaper, appUrl: string, opts: { abstract: AbstractShown; reasons?: string[]; topics?: string[] }): string {
  const links = paperLinks(p);
  // The title opens the paper's page on PaperWire (claims, topics, versions, similar papers).
  const titleUrl = safeUrl(paperPageUrl(appUrl, p)) ?? links.find((l) => l.label !== 'Code')?.url ?? null;
  const parts = [
    `<div style="margin:0 0 20px">`,
    `<div style="font-size:16px;font-weight:600">${link(titleUrl, titleText(p.title), 'color:#0969da;text-decoration:none')}</div>`,
  ];
  const authors = authorLine(p);
  const byline = [signalsOf(p), authors].filter((x): x is string => !!x).join(' · ');
  if (byline) parts.push(`<div style="font-size:13px;color:#57606a">${escapeHtml(byline)}</div>`);
  const topics = topicsLine(opts.topics);
  if (topics) parts.push(`<div style="font-size:13px;color:#57606a">${escapeHtml(topics)}</div>`);
  if (p.headline)
    parts.push(`<div style="font-size:14px;margin-top:4px"><strong>${escapeHtml(p.headline)}</strong></div>`);
  const abstract = abstractOf(p, opts.abstract);
  if (abstract) parts.push(`<p style="font-size:14px;line-height:1.5">${escapeHtml(abstract)}</p>`);
  const reasons = opts.reasons ?? p.reasons;
  if (reasons?.length) {
    parts.push(
      `<div style="font-size:12px;color:#57606a">Matched: ${reasons.map(escapeHtml).join(' · ')}</div>`,
    );
  }
  if (links.length) {
    parts.push(
      `<div style="font-size:13px;margin-top:4px">${links.map((l) => link(l.url, l.name)).join(' · ')}</div>`,
    );
  }
  parts.push('</div>');
  return parts.join('\n');
}

/** A paper in plain text: its title after `marker` (a bullet, or a ranked list's number: one marker, never both). */
function paperText(p: EmailPaper, appUrl: string, opts: { abstract: AbstractShown; reasons?: string[]; marker?: string; topics?: string[] }): string {
  const lines = [`${opts.marker ?? '*'} ${oneLine(titleText(p.title))}`, `  ${paperPageUrl(appUrl, p)}`];
  const byline = [signalsOf(p), authorLine(p)].filter((x): x is string => !!x).join(' · ');
  if (byline) lines.push(`  ${oneLine(byline)}`);
  const topics = topicsLine(opts.topics);
  if (topics) lines.push(`  ${oneLine(topics)}`);
  if (p.headline) lines.push(`  Headline: ${oneLine(p.headline)}`);
  const abstract = abstractOf(p, opts.abstract);
  if (abstract) lines.push('', wrap(abstract, 76, '  '), '');
  const reasons = opts.reasons ?? p.reasons;
  if (reasons?.length) lines.push(`  Matched: ${reasons.map(oneLine).join('; ')}`);
  for (const l of paperLinks(p)) lines.push(`  ${l.label}: ${l.url}`);
  return lines.join('\n');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function wrap(s: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}

function footerParts(
  subscriptionName: string,
  unsubscribeUrl: string,
  appUrl: string,
): { html: string; text: string } {
  const name = subscriptionName;
  return {
    html:
      `You receive this because you subscribed to “${escapeHtml(name)}” on ${link(appUrl, 'PaperWire')}. ` +
      `${link(unsubscribeUrl, 'Unsubscribe')} with one click.`,
    text: `You receive this because you subscribed to "${name}" on PaperWire (${appUrl}).\nUnsubscribe: ${unsubscribeUrl}`,
  };
}

const subjectWords = (s: string) => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/s$/, ''));
/** Whether every word of `name` is already in `phrase` ("Trending papers" in "5 trending papers"), plurals aside. */
function repeats(name: string, phrase: string): boolean {
  const inPhrase = new Set(subjectWords(phrase));
  const named = subjectWords(name);
  return named.length > 0 && named.every((w) => inPhrase.has(w));
}

/**
 * What a digest's subject adds for its subscription's name, saying each thing once: nothing when the name only says
 * what the subject already does ("Daily digest", "Trending papers"); the rest of a name that opens with it ("Trending
 * papers: Efficiency", the home page's topic subscriptions → " in Efficiency"; "Daily digest: RAG" → ` for “RAG”`);
 * any other name whole (` for “My RAG feed”`).
 */
function subjectName(name: string, head: string, count: string): string {
  if (repeats(name, `${head} ${count}`)) return '';
  const m = /^(.+?)\s*(?::|\s[-–—])\s*(\S.*)$/u.exec(name);
  if (m && repeats(m[1], `${head} ${count}`) && !repeats(m[2], `${head} ${count}`))
    return repeats(m[1], count) ? ` in ${m[2]}` : ` for “${m[2]}”`;
  return ` for “${name}”`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---- digest ---------------------------------------------------------------------------------------

export function renderDigestEmail(input: DigestEmailInput): EmailContent {
  const unsubscribeUrl = requireUrl('unsubscribeUrl', input.unsubscribeUrl);
  const appUrl = requireUrl('appUrl', input.appUrl);
  const tz = input.timeZone ?? 'UTC';
  const kind = input.mode ? `${input.mode} digest` : 'digest';
  const name = mailedName(input.subscription.name, modeName(input.mode ?? 'daily'));
  const [from, to] = [formatDate(input.period.start, tz), formatDate(input.period.end, tz)];
  // An on-demand digest covers part of one day: that day, not "6 Dec 2026 – 6 Dec 2026".
  const range = from === to ? to : `${from} – ${to}`;
  const shown = input.papers.length;
  const total = Math.max(input.total ?? 0, shown);
  const totalText = `${total.toLocaleString('en-US')}${input.totalCapped ? '+' : ''}`;
  const word = input.ranked ? 'trending paper' : 'new paper';
  // "50 of 126 new papers" when the digest is a cut, never a bare "50 new papers" that reads as complete.
  const count = total > shown ? `${shown} of ${totalText} ${word}s` : plural(shown, word);
  const moreUrl = total > shown ? safeUrl(input.moreUrl ?? appUrl) ?? appUrl : null;
  const more = `and ${(total - shown).toLocaleString('en-US')}${input.totalCapped ? '+' : ''} more: this digest carries the first ${shown}`;
  // a subscription named like what the digest says it carries ("Trending papers", "Daily digest") is not repeated
  const subject = headerSafe(`PaperWire ${kind}: ${count}${subjectName(name, `PaperWire ${kind}`, count)} (${formatDate(input.period.end, tz)})`);
  const groups = input.ranked
    ? input.papers.length > 0
      ? [{ topic: 'Top trending, highest score first', papers: input.papers }]
      : []
    : groupByTopic(input.papers, input.topicNames, input.topics);
  const footer = footerParts(name, unsubscribeUrl, appUrl);
  // "Your daily digest", not "Your daily digest: Daily digest" (a default name says only what the digest is); a
  // home-page sign-up's "Trending papers: RAG, Efficiency" is "of trending papers in RAG, Efficiency", never
  // "Your daily digest: Trending papers: RAG, Efficiency"; any other name is quoted ("for “My RAG feed”")
  const said = subjectName(name, `PaperWire ${kind}`, count);
  const named = said.startsWith(' in ') ? ` of ${word}s${said}` : said;
  const marker = (i: number) => (input.ranked ? `${i + 1}.` : '*');
  const heading = (g: { topic: string; papers: readonly EmailPaper[] }) => (input.ranked ? g.topic : `${g.topic} (${g.papers.length})`);
  // a ranked digest is one list across the reader's topics: each paper names which of them it is in
  const rankedTopics = (p: EmailPaper) => (input.ranked ? ownTopicsOf(p, input.topicNames, input.topics) : []);

  const htmlBody = [
    `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(`Your ${kind}${named}`)}</h1>`,
    `<p style="font-size:13px;color:#57606a;margin:0 0 20px">${escapeHtml(`${count}, ${range}`)}</p>`,
    ...(groups.length === 0 ? ['<p>No new papers matched this period.</p>'] : []),
    ...groups.map((g) =>
      [
        `<h2 style="font-size:16px;border-bottom:1px solid #d0d7de;padding-bottom:4px">${escapeHtml(heading(g))}</h2>`,
        ...g.papers.map((p, i) =>
          input.ranked
            ? `<ol start="${i + 1}" style="margin:0;padding-left:20px"><li>${paperHtml(p, appUrl, { abstract: 'short', topics: rankedTopics(p) })}</li></ol>`
            : paperHtml(p, appUrl, { abstract: 'short' }),
        ),
      ].join('\n'),
    ),
    ...(moreUrl
      ? [`<p style="font-size:14px;margin:20px 0 0">${escapeHtml(`…${more}.`)} ${link(moreUrl, 'See the rest on PaperWire')}</p>`]
      : []),
  ].join('\n');

  const text = [
    `Your PaperWire ${kind}${named}`,
    `${count}, ${range}`,
    '',
    ...(groups.length === 0 ? ['No new papers matched this period.', ''] : []),
    ...groups.flatMap((g) => [
      `== ${heading(g)} ==`,
      '',
      ...g.papers.map((p, i) => `${paperText(p, appUrl, { abstract: 'short', marker: marker(i), topics: rankedTopics(p) })}\n`),
    ]),
    ...(moreUrl ? [`...${more}. See the rest on PaperWire: ${moreUrl}`, ''] : []),
    '--',
    footer.text,
  ].join('\n');

  return { subject, html: htmlDocument(subject, htmlBody, footer.html), text };
}

// ---- instant --------------------------------------------------------------------------------------

export function renderInstantEmail(input: InstantEmailInput): EmailContent {
  const unsubscribeUrl = requireUrl('unsubscribeUrl', input.unsubscribeUrl);
  const appUrl = requireUrl('appUrl', input.appUrl);
  const p = input.paper;
  const subject = headerSafe(`[PaperWire] ${titleText(p.title)}`);
  const topic = p.primaryTopic ? topicName(p.primaryTopic, input.topicNames) : null;
  const name = mailedName(input.subscription.name, modeName('instant'));
  const footer = footerParts(name, unsubscribeUrl, appUrl);
  const opts = { abstract: true, reasons: input.reasons };
  const intro = `New paper for “${name}”${topic ? ` in ${topic}` : ''}`;
  const html = htmlDocument(
    subject,
    [
      `<p style="font-size:13px;color:#57606a;margin:0 0 12px">${escapeHtml(intro)}</p>`,
      paperHtml(p, appUrl, opts),
    ].join('\n'),
    footer.html,
  );
  const text = [intro, '', paperText(p, appUrl, opts), '', '--', footer.text].join('\n');
  return { subject, html, text };
}

// ---- confirmation (double opt-in) -----------------------------------------------------------------

/** The notifier's cap on a digest without a limit of its own. */
export const DIGEST_DEFAULT_LIMIT = 50;

/**
 * What the subscription sends, one line per condition, and for a digest how many papers it carries at most: a
 * digest is capped, so an empty filter does not mean "every paper" (the Trending papers signup sends the day's
 * 10 most trending, not everything that appeared).
 */
function confirmationLines(sub: ConfirmationEmailInput['subscription'], topicNames?: Readonly<Record<string, string>>): string[] {
  const conditions = sub.filter ? describeFilter(sub.filter, topicNames) : [];
  if (sub.mode !== 'daily' && sub.mode !== 'weekly') return conditions;
  const limit = sub.digest?.limit ?? DIGEST_DEFAULT_LIMIT;
  const per = sub.mode === 'daily' ? 'a day' : 'a week';
  const anything = conditions.length === 0 || (conditions.length === 1 && conditions[0] === 'every paper');
  const which = sub.digest?.sort === 'trending' ? 'trending papers' : 'new papers';
  const sent =
    sub.digest?.sort === 'trending'
      ? `up to ${limit} ${anything ? '' : 'matching '}${which} ${per}, the most trending first; each paper once`
      : `up to ${limit} ${anything ? '' : 'matching '}${which} ${per}; each paper once`;
  return [...(anything ? [] : conditions), `sent: ${sent}`];
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** When a digest goes out, after its cadence: " on Wednesdays at 08:00 UTC", " at 07:30 Europe/Paris time"; "" without an hour. */
export function digestTime(mode: 'daily' | 'weekly', schedule: ConfirmationEmailInput['subscription']['schedule']): string {
  if (schedule?.hour === undefined) return '';
  const at = `${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute ?? 0).padStart(2, '0')}`;
  const zone = schedule.timeZone ?? 'UTC';
  const day = mode === 'weekly' && schedule.weekday !== undefined ? ` on ${WEEKDAYS[schedule.weekday] ?? `day ${schedule.weekday}`}s` : '';
  return `${day} at ${at} ${zone === 'UTC' ? 'UTC' : `${zone} time`}`;
}

/**
 * What a subscription sends and when, as its confirmation mail and the confirmed page say it: "a daily digest at
 * 08:00 UTC", "a weekly digest on Mondays at 07:30 Europe/Paris time", "an email per new paper"; null without a mode.
 */
export function cadenceOf(mode: ConfirmationEmailInput['subscription']['mode'], schedule: ConfirmationEmailInput['subscription']['schedule'] | null): string | null {
  if (mode === 'daily' || mode === 'weekly') return `a ${mode} digest${digestTime(mode, schedule ?? undefined)}`;
  return mode === 'instant' ? 'an email per new paper' : null;
}

export function renderConfirmationEmail(input: ConfirmationEmailInput): EmailContent {
  const confirmUrl = requireUrl('confirmUrl', input.confirmUrl);
  const appUrl = requireUrl('appUrl', input.appUrl);
  const name = mailedName(input.subscription.name, modeName(input.subscription.mode));
  const subject = headerSafe(`Confirm your PaperWire subscription “${name}”`);
  const what = confirmationLines(input.subscription, input.topicNames);
  const cadence = cadenceOf(input.subscription.mode, input.subscription.schedule);
  const expires = input.expiresAt
    ? `This link expires on ${new Intl.DateTimeFormat('en-GB', { timeZone: input.timeZone ?? 'UTC', dateStyle: 'medium', timeStyle: 'short' }).format(input.expiresAt)} (${input.timeZone ?? 'UTC'}).`
    : null;
  const ignore = 'If you did not ask for this, ignore this email: nothing will be sent unless you confirm.';

  const htmlBody = [
    `<h1 style="font-size:20px;margin:0 0 12px">Confirm your subscription</h1>`,
    `<p>Someone (hopefully you) subscribed this address to “${escapeHtml(name)}” on ${link(appUrl, 'PaperWire')}${cadence ? `, delivered as ${escapeHtml(cadence)}` : ''}.</p>`,
    ...(what.length ? [`<ul>${what.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`] : []),
    `<p><a href="${escapeHtml(confirmUrl)}" style="display:inline-block;background:#1f883d;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm subscription</a></p>`,
    `<p style="font-size:12px;color:#57606a">Or open this link: ${escapeHtml(confirmUrl)}</p>`,
    ...(expires ? [`<p style="font-size:12px;color:#57606a">${escapeHtml(expires)}</p>`] : []),
  ].join('\n');

  const text = [
    'Confirm your PaperWire subscription',
    '',
    `Someone (hopefully you) subscribed this address to "${name}" on PaperWire (${appUrl})${cadence ? `, delivered as ${cadence}` : ''}.`,
    ...(what.length ? ['', ...what.map((w) => `- ${w}`)] : []),
    '',
    `Confirm: ${confirmUrl}`,
    ...(expires ? ['', expires] : []),
    '',
    ignore,
  ].join('\n');

  return { subject, html: htmlDocument(subject, htmlBody, escapeHtml(ignore)), text };
}

// ---- headers --------------------------------------------------------------------------------------

/** RFC 2369 / RFC 8058 one-click unsubscribe headers; the URL must accept a POST. */
export function listUnsubscribeHeaders(unsubscribeUrl: string, mailto?: string): Record<string, string> {
  const url = requireUrl('unsubscribeUrl', unsubscribeUrl);
  const targets = [`<${url}>`, ...(mailto ? [`<mailto:${headerSafe(mailto)}>`] : [])];
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
