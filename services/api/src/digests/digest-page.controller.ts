import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { digestLeftOutPage } from '@paperwire/db';
import { INTEGER_TEXT, INTEGER_WORDS } from '@paperwire/actions';
import { mailedName, modeName } from '@paperwire/notifications';
import { CONFIG, DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { ApiProblems, HTML_PAGE_EXTENSION } from '../common/api-docs';
import { sendHtml } from '../common/html';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../common/problem';
import { cardViews } from '../home/home.controller';
import { ListingsService } from '../listings/listings.service';
import { renderStatusPage } from '../paper-page/paper-page';
import { wantsHtml } from '../unsubscribe/link-page';
import { LINK_TOKEN_PARAM, linkClaims, sendInvalidLink } from '../unsubscribe/unsubscribe.controller';
import { DIGEST_PAGE_SIZE, digestPeriodText, renderDigestPage } from './digest-page';

/** The most pages a digest's list can have (the notifier's scan cap over the page size is far below). */
const MAX_PAGE = 100_000;

/**
 * The page a capped digest's "See the rest" link opens: exactly the papers that digest left out, in its order, 50 a
 * page. Public only with the link's signed, purpose-bound token (`digest`, naming this delivery): a missing, forged or
 * expired token, or one for another digest, is the same 400 "link does not work" page as a bad unsubscribe link.
 */
@ApiTags('subscriptions')
@RequireScope('public')
@Controller('digests')
export class DigestPageController {
  constructor(
    private readonly listings: ListingsService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary: 'The papers a capped digest left out (the "See the rest" link of its mail, the `url` of its digest.ready webhook)',
    description: `${DIGEST_PAGE_SIZE} papers a page, in the digest's order; \`Link: rel="next"\` names the next page. HTML for browsers, JSON for \`Accept: application/json\`. A digest sent before the list was kept answers \`leftOut: null\` and its period page as \`periodUrl\`.`,
  })
  @ApiParam({ name: 'id', description: "the digest's delivery id", schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: LINK_TOKEN_PARAM, required: true, description: 'signed digest token (from the link)' })
  @ApiQuery({ name: 'page', required: false, description: `page number, from 1 to the list's last page (${DIGEST_PAGE_SIZE} papers a page; a page past it is a 400 naming the last)`, schema: { type: 'integer', minimum: 1 } })
  @ApiResponse({
    status: 200,
    description: 'the page (HTML for browsers; JSON otherwise)',
    content: {
      'text/html': { schema: { type: 'string' } },
      'application/json': {
        schema: {
          type: 'object',
          required: ['id', 'subscription', 'mode', 'periodKey', 'period', 'total', 'leftOut', 'page', 'pageSize', 'items', 'next'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            subscription: { type: 'object', properties: { name: { type: 'string' } } },
            mode: { type: 'string', enum: ['daily', 'weekly'] },
            periodKey: { type: 'string', description: "the digest's key, the one its digest.ready webhook carries: the period's date (`2026-12-07`) or ISO week (`2026-W49`), or `on-demand:{ISO time}` for a digest asked for out of schedule" },
            period: { type: 'object', nullable: true, properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } } },
            description: { type: 'string', description: 'the digest in words: "daily digest 2026-12-07, … UTC – … UTC"' },
            total: { type: 'integer', nullable: true, description: 'papers of the period that matched' },
            capped: { type: 'boolean', description: 'the count stopped at the notifier scan cap: at least this many' },
            leftOut: { type: 'integer', nullable: true, description: 'papers the digest left out; null: not kept (an older digest)' },
            page: { type: 'integer' },
            pageSize: { type: 'integer' },
            items: { type: 'array', items: { type: 'object', description: 'a paper card, as /v1/daily lists it' } },
            next: { type: 'string', nullable: true, description: 'the next page (same token)' },
            periodUrl: { type: 'string', nullable: true, description: 'an older digest: the period page it linked' },
          },
        },
      },
    },
  })
  @ApiExtension(HTML_PAGE_EXTENSION, true)
  @ApiProblems(400, 404, 429)
  async page(
    @Param('id') id: string,
    @Query(LINK_TOKEN_PARAM) token: unknown,
    @Query('page') rawPage: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const claims = linkClaims(token, 'digest', this.config);
    if (!claims || claims.sub !== id) return sendInvalidLink(req, res, 'digest');
    const html = wantsHtml(req);
    const nonce = randomBytes(16).toString('base64');
    // plainIssues' words for a page that is no whole number; the range (1 to the list's last page) once the list is read
    const shown = typeof rawPage === 'string' ? rawPage.slice(0, 40) : JSON.stringify(rawPage)?.slice(0, 40);
    if (rawPage !== undefined && (typeof rawPage !== 'string' || !INTEGER_TEXT.test(rawPage)))
      return this.problem(req, res, html, nonce, 400, 'No such page', `page ${INTEGER_WORDS} (got ${shown}).`);
    const page = rawPage === undefined ? 1 : Number(rawPage);
    if (page < 1) return this.problem(req, res, html, nonce, 400, 'No such page', `page must be at least 1 (got ${shown}).`);
    // (a page past any list reads the first: the answer is the refusal below, naming the last page)
    const offset = page <= MAX_PAGE ? (page - 1) * DIGEST_PAGE_SIZE : 0;
    const stored = await digestLeftOutPage(this.ds, id, offset, DIGEST_PAGE_SIZE);
    if (!stored) return this.problem(req, res, html, nonce, 404, 'Digest not found', 'This digest no longer exists (its subscription was deleted).');
    // the page a digest's link opens (forwardable) names the subscription as its mail does: never an address
    const mode = stored.mode === 'weekly' ? 'weekly' : 'daily';
    const digest = { ...stored, subscriptionName: mailedName(stored.subscriptionName, modeName(mode)) };
    const lastPage = digest.leftOutCount === null ? 1 : Math.max(1, Math.ceil(digest.leftOutCount / DIGEST_PAGE_SIZE));
    if (page > lastPage)
      return this.problem(req, res, html, nonce, 400, 'No such page', `page must be at most ${lastPage} (got ${shown}): this digest's list has ${lastPage === 1 ? '1 page' : `${lastPage} pages`}.`);
    const cards = await this.listings.cards(digest.ids, new Date(), (page - 1) * DIGEST_PAGE_SIZE + 1);
    const href = (p: number) => `/digests/${encodeURIComponent(id)}?${LINK_TOKEN_PARAM}=${encodeURIComponent(token as string)}${p > 1 ? `&page=${p}` : ''}`;
    const more = digest.leftOutCount !== null && page * DIGEST_PAGE_SIZE < digest.leftOutCount;
    const nextHref = more ? href(page + 1) : null;
    const previousHref = page > 1 ? href(page - 1) : null;
    const periodHref = digest.leftOutCount === null && digest.restUrl && /^https?:\/\//i.test(digest.restUrl) ? digest.restUrl : null;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    if (nextHref) res.setHeader('Link', `<${nextHref}>; rel="next"`);
    if (!html) {
      res.status(200).json({
        id: digest.id,
        subscription: { name: digest.subscriptionName },
        mode: digest.mode,
        periodKey: digest.digestKey,
        period: digest.period,
        description: digestPeriodText(digest),
        total: digest.total,
        capped: digest.capped,
        leftOut: digest.leftOutCount,
        page,
        pageSize: DIGEST_PAGE_SIZE,
        items: cards,
        next: nextHref,
        ...(digest.leftOutCount === null ? { periodUrl: periodHref } : {}),
      });
      return;
    }
    sendHtml(res, 200, nonce, renderDigestPage({ nonce, digest, page, cards: await cardViews(this.ds, cards), nextHref, previousHref, periodHref }));
  }

  private problem(req: Request, res: Response, html: boolean, nonce: string, status: number, title: string, detail: string): void {
    if (!html) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...problemBody(status, detail), instance: req.path }));
      return;
    }
    sendHtml(res, status, nonce, renderStatusPage(nonce, status, title, detail));
  }
}
