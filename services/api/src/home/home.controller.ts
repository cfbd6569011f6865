import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { MicroCache } from '../common/overload';
import { listParam } from '../common/validation';
import { DailyService } from '../daily/daily.service';
import { dayParam, searchParam, TRENDING_WINDOWS, type TrendingWindow } from '../daily/daily-query';
import type { PaperCardDto } from '../daily/paper-card';
import { PapersService } from '../papers/papers.service';
import { TrendingService } from '../trending/trending.service';
import { checkCsrf, issueCsrf, sameOrigin } from './csrf';
import { renderHomePage, renderMessagePage, type CardView, type HomeView } from './home-page';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const homeQuerySchema = z.object({
  tab: z.enum(['daily', 'trending']).optional().catch(undefined),
  date: dayParam.optional().catch(undefined),
  topic: slug.optional().catch(undefined),
  q: searchParam.catch(undefined),
  window: z
    .enum(Object.keys(TRENDING_WINDOWS) as [TrendingWindow, ...TrendingWindow[]])
    .optional()
    .catch(undefined),
});

const subscribeSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).email('enter a valid email address'),
  topics: z.preprocess(listParam, z.array(slug).max(50).optional()),
  csrf: z.string().max(200).optional(),
});

/** The digest the Subscribe box creates: the 10 top trending papers, daily at 08:00 UTC. */
export const TRENDING_DIGEST_SCHEDULE = { hour: 8, timeZone: 'UTC', limit: 10, sort: 'trending' } as const;

const toView = (c: PaperCardDto): CardView => ({
  id: c.id,
  arxivId: c.arxivId,
  title: c.title,
  authors: c.authors,
  upvotes: c.upvotes,
  topics: c.topics.map((t) => ({ slug: t.slug, name: t.name })),
  claim: c.headlineClaim?.summary ?? null,
  links: c.links,
});

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
    private readonly daily: DailyService,
    private readonly trendingService: TrendingService,
    private readonly papers: PapersService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {
    this.pages = new MicroCache(config.API_CACHE_MS);
  }

  private send(res: Response, status: number, nonce: string, html: string): void {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    // Same-origin referrers (the api's default is no-referrer) so the browser sends a real Origin on the
    // subscribe POST instead of "null"; other sites still get nothing.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('text/html; charset=utf-8').send(html);
  }

  private async topics(): Promise<{ slug: string; name: string }[]> {
    return this.ds.query(`SELECT slug, name FROM topics WHERE enabled ORDER BY name, slug`);
  }

  private async view(query: z.infer<typeof homeQuerySchema>, nonce: string, csrf: string): Promise<HomeView> {
    const topics = await this.topics();
    const topic = query.topic && topics.some((t) => t.slug === query.topic) ? query.topic : undefined;
    const base = { nonce, csrf, topics, topic, q: query.q };
    if (query.q) {
      // Search spans every day: a reader looking for a method wants all of its papers.
      const page = await this.papers.list({
        filters: { q: query.q, topic: topic ? [topic] : undefined },
        sort: 'relevance',
        limit: 50,
      });
      const names = new Map(topics.map((t) => [t.slug, t.name]));
      const cards: CardView[] = page.items.map((p) => ({
        id: p.id,
        arxivId: p.arxivId,
        title: p.title,
        authors: p.authors,
        upvotes: null,
        topics: p.topics.map((t) => ({ slug: t.slug, name: names.get(t.slug) ?? t.slug })),
        claim: p.headlineClaim?.summary ?? null,
        links: p.links,
      }));
      return { ...base, tab: 'search', total: cards.length, cards };
    }
    if (query.tab === 'trending') {
      const window = query.window ?? '7d';
      const page = await this.trendingService.trending(window, topic ? [topic] : undefined, 30);
      return { ...base, tab: 'trending', window, total: page.items.length, cards: page.items.map(toView) };
    }
    const page = await this.daily.day(query.date, { topic: topic ? [topic] : undefined }, 500, 0);
    return {
      ...base,
      tab: 'daily',
      date: page.date,
      previousDate: page.previousDate,
      nextDate: page.nextDate,
      total: page.total,
      cards: page.items.map(toView),
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
    const csrf = issueCsrf(req, res, this.config.TOKEN_SECRET);
    // Bad parameters on a page are dropped rather than answered with a problem document.
    const query = homeQuerySchema.parse({
      ...raw,
      topic: typeof raw.topic === 'string' && raw.topic ? raw.topic : undefined,
      q: raw.q || undefined,
    });
    // Rendering 500 cards costs more than reading them: the page is rendered once per query for a few
    // seconds with stand-ins, and each request gets its own nonce and CSRF token substituted in.
    const shared = await this.pages.get(JSON.stringify(query), async () => renderHomePage(await this.view(query, NONCE_SLOT, CSRF_SLOT)));
    this.send(res, 200, nonce, shared.split(NONCE_SLOT).join(nonce).split(CSRF_SLOT).join(csrf));
  }

  @Post('subscribe')
  @RequireScope('public')
  // Rate-limited by the api's global per-client budget (KeyOrIpThrottlerGuard); a per-route limit would
  // share that counter and trip on ordinary page views.
  async subscribe(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const form = (body ?? {}) as Record<string, unknown>;
    if (!sameOrigin(req, this.config.PUBLIC_URL) || !checkCsrf(req, this.config.TOKEN_SECRET, form.csrf)) {
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
    const parsed = subscribeSchema.safeParse(form);
    if (!parsed.success) {
      const csrf = issueCsrf(req, res, this.config.TOKEN_SECRET);
      const view = await this.view({}, nonce, csrf);
      const message = parsed.error.issues.map((i) => i.message).join('; ');
      this.send(
        res,
        400,
        nonce,
        renderHomePage({
          ...view,
          subscribeError: message,
          email: typeof form.email === 'string' ? form.email.slice(0, 254) : '',
        }),
      );
      return;
    }
    const { email, topics } = parsed.data;
    const known = new Set((await this.topics()).map((t) => t.slug));
    const chosen = [...new Set(topics ?? [])].filter((t) => known.has(t));
    const filters = chosen.length > 0 ? { topics: { slugs: chosen, match: 'any' } } : {};
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, filters, mode, schedule, status)
       VALUES (NULL, $1, 'email', $2, $3::jsonb, 'daily', $4::jsonb, 'pending_confirmation') RETURNING id`,
      [
        chosen.length > 0 ? `Trending papers: ${chosen.join(', ')}` : 'Trending papers',
        email,
        JSON.stringify(filters),
        JSON.stringify(TRENDING_DIGEST_SCHEDULE),
      ],
    );
    const id = rows[0].id;
    await this.queues.add('send-confirmation', { subscriptionId: id }, { jobId: `confirm-${id}` });
    // The same answer whatever the address, so the form does not reveal who subscribed.
    this.send(
      res,
      200,
      nonce,
      renderMessagePage(
        nonce,
        'Check your inbox',
        `We sent a confirmation link to ${email}. Your digest starts once you confirm.`,
      ),
    );
  }
}
