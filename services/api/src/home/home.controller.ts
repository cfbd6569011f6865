import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { QueueSet } from '@paperwire/queue';
import type { Redis } from 'ioredis';
import { parseEmailTarget } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE, QUEUE_SET, REDIS } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { EARLIEST_DAY } from '../common/dates';
import { listParam } from '../common/validation';
import { DailyService } from '../daily/daily.service';
import { dayParam, searchParam, TRENDING_WINDOWS, type TrendingWindow } from '../daily/daily-query';
import type { PaperCardDto } from '../daily/paper-card';
import { PapersService } from '../papers/papers.service';
import { TrendingService } from '../trending/trending.service';
import { queueConfirmation, reserveConfirmation } from '../subscriptions/confirmation';
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

@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(
    private readonly daily: DailyService,
    private readonly trendingService: TrendingService,
    private readonly papers: PapersService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: ApiConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

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
    const csrf = issueCsrf(req, res, this.config);
    // A day that is not a real date in the catalogue's range is a 400 page: dropping it would show
    // another day's papers under the asked-for URL.
    if (raw.date !== undefined && raw.date !== '' && !dayParam.safeParse(raw.date).success) {
      this.send(res, 400, nonce, renderMessagePage(nonce, 'No such day', `The date must be a day YYYY-MM-DD between ${EARLIEST_DAY} and one year from today.`));
      return;
    }
    // Other bad parameters on a page are dropped rather than answered with a problem document.
    const query = homeQuerySchema.parse({
      ...raw,
      topic: typeof raw.topic === 'string' && raw.topic ? raw.topic : undefined,
      q: raw.q || undefined,
    });
    this.send(res, 200, nonce, renderHomePage(await this.view(query, nonce, csrf)));
  }

  @Post('subscribe')
  @RequireScope('public')
  // Rate-limited by the api's global per-client budget (KeyOrIpThrottlerGuard); a per-route limit would
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
    const parsed = subscribeSchema.safeParse(form);
    if (!parsed.success) {
      const csrf = issueCsrf(req, res, this.config);
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
    // One pending subscription per address (whatever the topics: the first request's are kept, as its
    // mail described them); asking again re-sends its confirmation, within the per-recipient budget.
    // Serialised per address by an advisory lock, so concurrent posts cannot create two.
    const mail = await this.ds.transaction(async (em): Promise<{ id: string; resend: boolean; delayMs: number } | null> => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('pw-subscribe:' || $1::text, 0))`, [email]);
      const pending: { id: string }[] = await em.query(
        `SELECT id FROM subscriptions WHERE owner_key_id IS NULL AND channel = 'email' AND status = 'pending_confirmation' AND lower(target) = $1
          ORDER BY created_at LIMIT 1`,
        [email],
      );
      if (pending[0]) {
        const delay = await reserveConfirmation(this.redis, this.config.QUEUE_PREFIX, email, 0);
        return delay === null ? null : { id: pending[0].id, resend: true, delayMs: 0 };
      }
      const rows: { id: string }[] = await em.query(
        `INSERT INTO subscriptions (owner_key_id, name, channel, target, filters, mode, schedule, status)
         VALUES (NULL, $1, 'email', $2, $3::jsonb, 'daily', $4::jsonb, 'pending_confirmation') RETURNING id`,
        [
          chosen.length > 0 ? `Trending papers: ${chosen.join(', ')}` : 'Trending papers',
          email,
          JSON.stringify(filters),
          JSON.stringify(TRENDING_DIGEST_SCHEDULE),
        ],
      );
      // Over the day's budget: the subscription waits; asking again tomorrow sends its mail.
      const delay = await reserveConfirmation(this.redis, this.config.QUEUE_PREFIX, email, 86_400_000);
      return delay === null ? null : { id: rows[0].id, resend: false, delayMs: delay };
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
        `A confirmation link is on its way to ${email} (at most one every 10 minutes per address). Your digest starts once you confirm.`,
      ),
    );
  }
}
