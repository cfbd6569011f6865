import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { TOPIC_SLUG_RE, closestTopics, plainIssues, queueConfirmation, reserveConfirmation } from '@paperwire/actions';
import { RELEVANCE_CANDIDATES, allTopicSlugs, enabledTopicNames, insertEmailSignup, lockEmailSignup, pendingEmailSignup, searchedPaperIds, updatePendingEmailSignup } from '@paperwire/db';
import { z } from 'zod';
import type { QueueSet } from '@paperwire/queue';
import type { Redis } from 'ioredis';
import { parseEmailTarget } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { listParam } from '../common/validation';
import { PageTemplate, paperPath, sendHtml, sendHtmlBuffer } from '../common/html';
import { MicroCache } from '../common/overload';
import { ProblemException } from '../common/problem';
import { SEARCH_MAX, searchParam, TRENDING_WINDOWS, type TrendingWindow } from '../daily/daily-query';
import { ListingsService, type PaperCardRow } from '../listings/listings.service';
import { ONE_PERIOD, parsePeriod } from '../listings/period';
import { renderStatusPage } from '../paper-page/paper-page';
import { PapersService } from '../papers/papers.service';
import { checkCsrf, issueCsrf, sameOrigin } from './csrf';
import { homeHref, renderHomePage, renderMessagePage, trendingWindowName, type CardView, type HomeView } from './home-page';
import { loadPresentation, type Presentation } from './presentation';

// any case, as the page's and the API's topic filters take it
const slug = z.string().trim().toLowerCase().pipe(z.string().regex(TOPIC_SLUG_RE, 'no such topic (topic slugs are lower-case letters, digits and dashes)'));
// date, week, month and window are not dropped when bad (a 400 page answers them), whatever their length.
const homeQuerySchema = z.object({
  // in any case; another value is a 400 page linking the two tabs (it used to show the daily tab as if asked for)
  // an empty one is no tab (the daily tab), as an empty topic, date or search asks for nothing
  tab: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().toLowerCase().optional()),
  date: z.string().optional(),
  week: z.string().optional(),
  month: z.string().optional(),
  // Kept as written: a topic PaperWire does not have is a 404 page, never the unfiltered listing.
  topic: z.string().optional(),
  q: searchParam.catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
  window: z.string().optional(),
});

/** The page's own parameters: each names one value (homeQuerySchema). */
const PAGE_PARAMS = ['tab', 'date', 'week', 'month', 'window', 'topic', 'q', 'cursor'] as const;

const isTrendingWindow = (w: string): w is TrendingWindow => Object.hasOwn(TRENDING_WINDOWS, w);

const subscribeSchema = z.object({
  // The one email-target check (libs/notifications); addresses from the form are kept in lower case.
  email: z.string().max(300).transform((v, ctx) => {
    const r = parseEmailTarget(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `enter a valid email address (${r.error})` });
      return z.NEVER;
    }
    return r.address.toLowerCase();
  }),
  topics: z.preprocess(listParam, z.array(slug).max(50).optional()),
  csrf: z.string().max(200).optional(),
  // the listing the form was on (its link, as the page wrote it): a refused form is shown on it again
  from: z.unknown().optional(),
});

/**
 * The listing a subscribe form came from, as the home page's query: its `from` field is a link to the home page
 * ("/?topic=rag"); anything else, or a listing that is no longer there, is the home page itself.
 */
function listingOfForm(from: unknown): z.infer<typeof homeQuerySchema> {
  if (typeof from !== 'string' || from.length > 2000 || !(from === '/' || from.startsWith('/?'))) return {};
  const params = new URLSearchParams(from.slice(2));
  const one = (k: string) => params.get(k) || undefined;
  const r = homeQuerySchema.safeParse({
    tab: one('tab'),
    date: one('date'),
    week: one('week'),
    month: one('month'),
    window: one('window'),
    topic: one('topic')?.toLowerCase(),
    q: one('q')?.trim().slice(0, SEARCH_MAX),
  });
  return r.success ? r.data : {};
}

/** The digest the Subscribe box creates: up to 10 of the day’s new papers with a signal, top trending first (papersNotifiedInWindow), daily at 08:00 UTC. */
export const TRENDING_DIGEST_SCHEDULE = { hour: 8, timeZone: 'UTC', limit: 10, sort: 'trending' } as const;

/** Trending cards per page ("More papers" follows the cursor), and the most the trending tab counts ("1,000+" beyond). */
export const TRENDING_PAGE_SIZE = 30;
export const TRENDING_COUNT_CAP = 1000;

/**
 * Search results per page ("More papers" follows the relevance cursor), and the most the search tab counts: the
 * RELEVANCE_CANDIDATES newest matches are the ones search ranks (and pages through), so beyond them it says "1,000+".
 */
export const SEARCH_PAGE_SIZE = 50;
export const SEARCH_COUNT_CAP = RELEVANCE_CANDIDATES;

/** Cards listed per page (the read model serves at most 100 a page; "More papers" follows the cursor). */
const PAGE_SIZE = 100;

const toView = (c: PaperCardRow, extra?: Presentation): CardView => ({
  id: c.id,
  rank: c.rank,
  arxivId: c.arxivId,
  title: c.title,
  authors: c.authors,
  upvotes: c.upvotes,
  topics: c.topics.map((t) => ({ slug: t.slug, name: t.name })),
  claim: c.headlineClaim?.summary ?? null,
  links: c.links,
  abstractPreview: c.abstractPreview,
  numComments: c.numComments,
  submittedBy: c.submittedBy,
  organization: extra?.organization ? (extra.organization.fullname ?? extra.organization.name) : null,
  thumbnailUrl: extra?.thumbnailUrl ?? null,
  hasSignal: c.hasTrendingSignal,
});

/** The home page's cards for these rows (with their presentation: organisation, thumbnail). */
export async function cardViews(ds: DataSource, rows: PaperCardRow[]): Promise<CardView[]> {
  const extra = await loadPresentation(ds, rows.map((r) => r.id));
  return rows.map((r) => toView(r, extra.get(r.id)));
}

/** Page input that names nothing PaperWire has (a date, week or month, a trending window): answered with a 400 page. */
class BadPageInput extends Error {
  constructor(
    readonly title: string,
    message: string,
    readonly status = 400,
    readonly suggestions: { href: string; label: string }[] = [],
    /** the sentence the suggestions complete (renderStatusPage's `lead`) */
    readonly lead?: string,
  ) {
    super(message);
  }
}

const badPeriod = (detail: string) =>
  new BadPageInput('No such date', `That is not a date PaperWire can list (${detail}). Dates are YYYY-MM-DD, weeks YYYY-Www, months YYYY-MM.`);
/**
 * A "More papers" link PaperWire cannot continue from (its position is not one PaperWire wrote: edited, cut short, or
 * an older version's): the listing it came from, from its first page. It is not said to have expired: nothing says
 * it ever worked.
 */
const badPageLink = (href: string, label: string) =>
  new BadPageInput(
    'Page link not valid',
    'PaperWire cannot continue from that “More papers” link: the position it carries was changed, cut short or written by an older version.',
    400,
    [{ href, label }],
    'Start again from',
  );

// Stand-ins for the per-request CSP nonce and CSRF token in a page rendered once and shared for a few
// seconds (random per process, so no content can contain them).
const NONCE_SLOT = `n${randomBytes(16).toString('hex')}`;
const CSRF_SLOT = `c${randomBytes(16).toString('hex')}`;

@ApiExcludeController()
@Controller()
export class HomeController {
  /** The rendered page per normalised query, shared for API_CACHE_MS (single-flight). */
  private readonly pages: MicroCache;

  constructor(
    private readonly listings: ListingsService,
    private readonly papers: PapersService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: ApiConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.pages = new MicroCache(config.API_CACHE_MS);
  }

  private send(res: Response, status: number, nonce: string, html: string): void {
    sendHtml(res, status, nonce, html);
  }

  private async topics(): Promise<{ slug: string; name: string }[]> {
    return enabledTopicNames(this.ds);
  }

  private cardViews(rows: PaperCardRow[]): Promise<CardView[]> {
    return cardViews(this.ds, rows);
  }

  private async view(query: z.infer<typeof homeQuerySchema>, nonce: string, csrf: string): Promise<HomeView> {
    if (query.tab !== undefined && query.tab !== 'daily' && query.tab !== 'trending')
      throw new BadPageInput(
        'No such tab',
        `That is not a tab of the Daily Papers page (tab: ${JSON.stringify(query.tab.slice(0, 40))}). The page has two: Daily (the papers listed each day) and Trending (the papers readers upvote most).`,
        400,
        [
          { href: homeHref({ date: query.date, week: query.week, month: query.month, topic: query.topic }), label: 'Daily' },
          { href: homeHref({ tab: 'trending', window: query.window, topic: query.topic }), label: 'Trending' },
        ],
        'Go to',
      );
    const topics = await this.topics();
    const topic = query.topic;
    if (topic !== undefined && !topics.some((t) => t.slug === topic)) {
      // A disabled topic is listed as the API lists it (its past papers keep it: their chips link here); a topic
      // that never existed is a 404 offering the closest topics.
      const all = await allTopicSlugs(this.ds);
      const disabled = all.find((t) => t.slug === topic);
      if (disabled) topics.push({ slug: disabled.slug, name: disabled.name });
      else
        throw new BadPageInput(
          'No such topic',
          `There is no topic ${JSON.stringify(topic.slice(0, 80))}: pick one from the Topic menu of the Daily Papers page.`,
          404,
          closestTopics(topic, all).map((slug) => ({
            href: homeHref({ tab: query.tab, window: query.window, date: query.date, week: query.week, month: query.month, q: query.q, topic: slug }),
            label: all.find((t) => t.slug === slug)!.name,
          })),
        );
    }
    const listing = homeHref({ tab: query.tab, date: query.date, week: query.week, month: query.month, window: query.window, topic, q: query.q });
    const base = { nonce, csrf, topics, topic, q: query.q, baseUrl: this.config.PUBLIC_URL, listing };
    if (query.q) {
      // Search spans every day: a reader looking for a method wants all of its papers, a page at a time.
      const filters = { q: query.q, topic: topic ? [topic] : undefined };
      let page;
      try {
        page = await this.papers.listNumbered({ filters, sort: 'relevance', limit: SEARCH_PAGE_SIZE, cursor: query.cursor });
      } catch (e) {
        if (e instanceof ProblemException && e.getStatus() === 400 && query.cursor)
          throw badPageLink(homeHref({ q: query.q, topic }), `the first page of the search for “${query.q.slice(0, 80)}”`);
        throw e;
      }
      // the matches, counted to SEARCH_COUNT_CAP + 1 at most (countPaperRows: no match past the cap is read)
      const [total, rows] = await Promise.all([this.papers.count(filters, SEARCH_COUNT_CAP), this.listings.cards(page.items.map((p) => p.id), undefined, page.before + 1)]);
      // nothing matched: the search with its misspelt words corrected, when that one matches (searchSuggestion)
      const suggestion = total === 0 && !query.cursor ? await this.papers.suggest(filters) : null;
      return {
        ...base,
        suggestion,
        tab: 'search',
        total: Math.min(total, SEARCH_COUNT_CAP),
        totalMore: total > SEARCH_COUNT_CAP,
        cards: await this.cardViews(rows),
        nextPageHref: page.nextCursor ? homeHref({ q: query.q, topic, cursor: page.nextCursor }) : null,
        firstPageHref: query.cursor ? homeHref({ q: query.q, topic }) : null,
      };
    }
    if (query.tab === 'trending') {
      const window = query.window ?? '7d';
      if (!isTrendingWindow(window))
        throw new BadPageInput(
          'No such window',
          `That is not a trending window (window: ${JSON.stringify(window.slice(0, 40))}). The windows are ${Object.keys(TRENDING_WINDOWS).join(', ')}: the last 24 hours, 7 days and 30 days.`,
        );
      const topics = topic ? [topic] : undefined;
      let page;
      try {
        page = await this.listings.trending({ window, topic: topics, limit: TRENDING_PAGE_SIZE, cursor: query.cursor });
      } catch (e) {
        if (e instanceof ProblemException && e.getStatus() === 400 && query.cursor)
          throw badPageLink(homeHref({ tab: 'trending', window, topic }), `the first page of Trending (${trendingWindowName(window)})`);
        throw e;
      }
      // the window's count, bounded: one walk of the t0 index back to the window's start or TRENDING_COUNT_CAP + 1
      const [total, elsewhere] = await Promise.all([
        this.listings.trendingCount(window, topics, TRENDING_COUNT_CAP),
        // an empty window links a longer one only when that one lists papers (one index probe, on empty pages only)
        page.items.length === 0 && !query.cursor ? this.listings.trendingElsewhere(window, topics) : null,
      ]);
      return {
        ...base,
        tab: 'trending',
        window,
        total: Math.min(total, TRENDING_COUNT_CAP),
        totalMore: total > TRENDING_COUNT_CAP,
        cards: await this.cardViews(page.items),
        trendingElsewhere: elsewhere,
        nextPageHref: page.nextCursor ? homeHref({ tab: 'trending', window, topic, cursor: page.nextCursor }) : null,
        firstPageHref: query.cursor ? homeHref({ tab: 'trending', window, topic }) : null,
      };
    }
    let period;
    try {
      period = parsePeriod({ date: query.date, week: query.week, month: query.month });
    } catch (e) {
      if (!(e instanceof ProblemException)) throw e;
      if (e.message === ONE_PERIOD) throw new BadPageInput('One period at a time', `${ONE_PERIOD[0].toUpperCase()}${ONE_PERIOD.slice(1)}.`);
      throw badPeriod(e.message);
    }
    let page;
    try {
      page = await this.listings.list({ period, sort: 'rank', topic: topic ? [topic] : undefined, limit: PAGE_SIZE, cursor: query.cursor });
    } catch (e) {
      if (e instanceof ProblemException && e.getStatus() === 400 && query.cursor) {
        // (the period as the link gave it: a week's or month's link opens that week or month again)
        throw badPageLink(homeHref({ date: query.date, week: query.week, month: query.month, topic }), `the ${period?.kind ?? 'day'}’s first page`);
      }
      throw e;
    }
    const p = page.period;
    const periodParam = p ? { [p.kind === 'day' ? 'date' : p.kind]: p.key } : {};
    // a topic's empty day links the topic's latest day with papers (one index read, on empty pages only)
    const latestTopicDay = topic && p?.kind === 'day' && page.total === 0 ? await this.listings.latestDay([topic]) : null;
    return {
      ...base,
      tab: 'daily',
      period: p,
      date: p?.kind === 'day' ? p.key : null,
      periodChosen: period != null,
      previousDate: page.previous,
      nextDate: page.next,
      latestTopicDay,
      total: page.total,
      cards: await this.cardViews(page.items),
      nextPageHref: page.nextCursor ? homeHref({ ...periodParam, topic, cursor: page.nextCursor }) : null,
      firstPageHref: query.cursor ? homeHref({ ...periodParam, topic }) : null,
    };
  }

  @Get()
  @RequireScope('public')
  async home(
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const csrf = issueCsrf(req, res, this.config);
    // A parameter given twice is a 400 page in the API's words ("date is given twice; give it once"), linking the
    // listing of each value: the page shows one period, one topic and one search at a time, and never picks one.
    const twice = PAGE_PARAMS.find((k) => Array.isArray(raw[k]));
    if (twice) {
      const values = [...new Set((raw[twice] as unknown[]).filter((v): v is string => typeof v === 'string' && v !== ''))];
      const n = (raw[twice] as unknown[]).length;
      // the other parameters as given once (a link keeps the listing's topic or period), never a cursor
      const keep = Object.fromEntries(PAGE_PARAMS.filter((k) => k !== twice && k !== 'cursor' && typeof raw[k] === 'string').map((k) => [k, (raw[k] as string).slice(0, SEARCH_MAX)]));
      this.send(
        res,
        400,
        nonce,
        renderStatusPage(
          nonce,
          400,
          'One value at a time',
          `${twice} is given ${n === 2 ? 'twice' : `${n} times`}; give it once.`,
          twice === 'cursor'
            ? []
            : values.slice(0, 3).map((v) => ({ href: homeHref({ ...keep, [twice]: v.slice(0, SEARCH_MAX) }), label: `${twice}=${v.slice(0, 80)}` })),
        ),
      );
      return;
    }
    // Bad filters on a page are dropped rather than answered with a problem document; a bad date, week, month
    // or trending window is a 400 page (the reader asked for a period that does not exist).
    const str = (v: unknown) => (typeof v === 'string' && v ? v : Array.isArray(v) ? String(v[0] ?? '') || undefined : undefined);
    const query = homeQuerySchema.parse({
      ...raw,
      date: str(raw.date),
      week: str(raw.week),
      month: str(raw.month),
      window: str(raw.window),
      // any case, as the API's topic filter: `Efficiency` is `efficiency`
      topic: str(raw.topic)?.toLowerCase(),
      // A search longer than the box takes is searched on its first SEARCH_MAX characters, not dropped.
      q: str(raw.q)?.trim().slice(0, SEARCH_MAX),
    });
    // A search that is the id or link of exactly one paper goes to its page (one index lookup; several papers with
    // that id, or none, are listed as any search).
    const named = query.q ? await searchedPaperIds(this.ds, query.q) : null;
    if (named?.length === 1) {
      res.redirect(302, paperPath(named[0].arxiv_id ?? named[0].id));
      return;
    }
    try {
      // Rendering a page of cards costs more than reading them: the page is rendered once per query for a
      // few seconds with stand-ins, and each request gets its own nonce and CSRF token substituted in.
      const shared = await this.pages.get(JSON.stringify(query), async () =>
        PageTemplate.from(renderHomePage(await this.view(query, NONCE_SLOT, CSRF_SLOT)), [NONCE_SLOT, CSRF_SLOT]),
      );
      sendHtmlBuffer(res, 200, nonce, shared.fill({ [NONCE_SLOT]: nonce, [CSRF_SLOT]: csrf }));
    } catch (e) {
      if (!(e instanceof BadPageInput)) throw e;
      this.send(res, e.status, nonce, renderStatusPage(nonce, e.status, e.title, e.message, e.suggestions, e.lead));
    }
  }

  /** The form lives on the home page: reloading the "Check your inbox" answer (or a bookmark) lands there. */
  @Get('subscribe')
  @RequireScope('public')
  subscribeForm(@Res() res: Response): void {
    res.redirect(303, '/');
  }

  @Post('subscribe')
  @RequireScope('public')
  // Rate-limited by the api's global per-client budget (auth/throttle.ts countRequest); a per-route limit would
  // share that counter and trip on ordinary page views.
  async subscribe(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const form = (body ?? {}) as Record<string, unknown>;
    if (!sameOrigin(req, this.config.PUBLIC_URL) || !checkCsrf(req, this.config, form.csrf)) {
      this.send(
        res,
        403,
        nonce,
        renderMessagePage(
          nonce,
          'Form expired',
          'This form could not be verified. Reload the page and try again.',
        ),
      );
      return;
    }
    const refuse = async (message: string): Promise<void> => {
      // the page the form was on (a topic's listing, the Trending tab, a search), else the home page
      const csrf = issueCsrf(req, res, this.config);
      const view = await this.view(listingOfForm(form.from), nonce, csrf).catch((e: unknown) => {
        if (e instanceof BadPageInput) return this.view({}, nonce, csrf);
        throw e;
      });
      const email = typeof form.email === 'string' ? form.email.slice(0, 254) : '';
      // the form again as the reader filled it: the address and the topics they ticked that exist, whatever was
      // refused (a mistyped address kept none before, so fixing it subscribed to every topic)
      const known = new Set(view.topics.map((t) => t.slug));
      // (a topic taken in any case, as the schema takes it: "PEFT" is peft)
      const ticked = (Array.isArray(form.topics) ? form.topics : [form.topics])
        .filter((t): t is string => typeof t === 'string')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => known.has(t));
      this.send(res, 400, nonce, renderHomePage({ ...view, subscribeError: message, email, subscribeTopics: [...new Set(ticked)] }));
    };
    const parsed = subscribeSchema.safeParse(form);
    if (!parsed.success) return refuse(plainIssues(subscribeSchema, parsed.error.issues, form, 'body').map((i) => i.message).join('; '));
    const { email, topics } = parsed.data;
    const known = new Map((await this.topics()).map((t) => [t.slug, t.name]));
    const chosen = [...new Set(topics ?? [])];
    // A topic that does not exist (any more) would leave a digest of something else: say so, like the API.
    const unknown = chosen.filter((t) => !known.has(t));
    if (unknown.length > 0) return refuse(`no such topic: ${unknown.join(', ')} (pick topics from the list)`);
    const filters = chosen.length > 0 ? { topics: { slugs: chosen, match: 'any' } } : {};
    // The name the confirmation mail, every digest and the unsubscribe page show: the topics' names, not slugs.
    const name = chosen.length > 0 ? `Trending papers: ${chosen.map((t) => known.get(t)).join(', ')}` : 'Trending papers';
    // One pending subscription per address: asking again re-sends its confirmation, within the per-recipient budget,
    // with the topics of the latest request (when a mail may go: else nothing changes, as no mail would say so).
    // Confirming replaces the address's earlier sign-up (confirmPendingSubscription): asking again, with the same
    // topics or others, never leaves two digests, and the answer is the same whether or not the address subscribed.
    // Serialised per address by an advisory lock, so concurrent posts cannot create two.
    const mail = await this.ds.transaction(async (em): Promise<{ id: string; resend: boolean; delayMs: number } | null> => {
      await lockEmailSignup(em, email);
      const pending = await pendingEmailSignup(em, email);
      if (pending) {
        const delay = await reserveConfirmation(this.redis, this.config.QUEUE_PREFIX, email, 0);
        if (delay === null) return null;
        if (!isDeepStrictEqual(pending.filters, filters)) await updatePendingEmailSignup(em, pending.id, { name, filters });
        return { id: pending.id, resend: true, delayMs: 0 };
      }
      const id = await insertEmailSignup(em, { name, email, filters, schedule: TRENDING_DIGEST_SCHEDULE });
      // Over the day's budget: the subscription waits; asking again tomorrow sends its mail.
      const delay = await reserveConfirmation(this.redis, this.config.QUEUE_PREFIX, email, 86_400_000);
      return delay === null ? null : { id, resend: false, delayMs: delay };
    });
    // Queued after the commit, so the notifier finds the subscription.
    if (mail) await queueConfirmation(this.ds, this.queues, mail.id, { resend: mail.resend, delayMs: mail.delayMs });
    // The same answer whatever the address, so the form does not reveal who subscribed.
    this.send(
      res,
      200,
      nonce,
      renderMessagePage(
        nonce,
        'Check your inbox',
        `A confirmation link is on its way to ${email} (at most one every 10 minutes per address). Your digest starts once you confirm; if this address already gets a digest from this page, confirming replaces it (one digest per address).`,
      ),
    );
  }
}
