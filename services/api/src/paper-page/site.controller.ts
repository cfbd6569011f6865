import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { sitemapDayPapers, sitemapDays } from '@paperwire/db';
import { CONFIG, DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { inDateRange } from '../common/dates';
import { sendWithEtag } from '../common/etag';
import { paperPath, publicUrl } from '../common/html';
import { xmlEscape } from '../feeds/feed-render';
import { LINK_TOKEN_PARAM } from '../unsubscribe/unsubscribe.controller';

// What crawlers read: robots.txt (the pages, not the API, the search results or the operator pages) and a sitemap
// index of one sitemap per listed day (its listing and its papers' pages), so a crawler finds every paper page
// without following search or pagination links. Each costs what it lists: one index descent per day, one day's rows.

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.xml$/;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/** an hour: a day's sitemap changes while its papers are still arriving (late sightings, replays) */
const SITEMAP_MAX_AGE_S = 3600;

/** A real calendar day in the range every date parameter takes (common/dates.ts: year 0 would fail in Postgres). */
const isCalendarDay = (day: string): boolean => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day && inDateRange(day);
};

@ApiExcludeController()
@Controller()
export class SiteController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('robots.txt')
  @RequireScope('public')
  robots(@Res() res: Response): void {
    const body = [
      'User-agent: *',
      'Allow: /',
      // the API and the feeds (machines read them by their documentation), search results (endless), the
      // operator pages and the mail links (one person's tokens: /v1/unsubscribe, /v1/subscriptions/confirm, the
      // digest pages /digests/{id}, and any address carrying a link token)
      'Disallow: /v1/',
      'Disallow: /api/',
      'Disallow: /ops',
      'Disallow: /subscribe',
      'Disallow: /unsubscribe',
      'Disallow: /digests/',
      `Disallow: /*?${LINK_TOKEN_PARAM}=`,
      `Disallow: /*&${LINK_TOKEN_PARAM}=`,
      'Disallow: /*?q=',
      'Disallow: /*&q=',
      `Sitemap: ${publicUrl(this.config.PUBLIC_URL, '/sitemap.xml')}`,
      '',
    ].join('\n');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.status(200).type('text/plain; charset=utf-8').send(body);
  }

  @Get('sitemap.xml')
  @RequireScope('public')
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const base = this.config.PUBLIC_URL;
    const days = await sitemapDays(this.ds);
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<sitemapindex xmlns="${SITEMAP_NS}">`,
      ...days.map((d) => `<sitemap><loc>${xmlEscape(publicUrl(base, `/sitemaps/${d}.xml`))}</loc></sitemap>`),
      '</sitemapindex>',
      '',
    ].join('\n');
    sendWithEtag(req, res, body, 'application/xml; charset=utf-8', SITEMAP_MAX_AGE_S);
  }

  @Get('sitemaps/:file')
  @RequireScope('public')
  async day(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const day = DAY_FILE.exec(file)?.[1];
    const papers = day && isCalendarDay(day) ? await sitemapDayPapers(this.ds, day) : [];
    if (!day || papers.length === 0) throw new NotFoundException('no such sitemap: /sitemap.xml lists one per day that lists papers');
    const base = this.config.PUBLIC_URL;
    const url = (path: string, lastmod?: Date) =>
      `<url><loc>${xmlEscape(publicUrl(base, path))}</loc>${lastmod ? `<lastmod>${new Date(lastmod).toISOString()}</lastmod>` : ''}</url>`;
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<urlset xmlns="${SITEMAP_NS}">`,
      url(`/?date=${day}`),
      ...papers.map((p) => url(paperPath(p.arxiv_id ?? p.id), p.updated_at)),
      '</urlset>',
      '',
    ].join('\n');
    sendWithEtag(req, res, body, 'application/xml; charset=utf-8', SITEMAP_MAX_AGE_S);
  }
}
