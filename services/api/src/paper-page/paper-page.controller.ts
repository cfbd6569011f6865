import { Controller, Get, HttpException, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { PAPER_ID_FORMS, parsePaperId } from '@paperwire/contracts';
import { listedDaysOfPaper, topicNamesOf } from '@paperwire/db';
import { CONFIG, DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { sendWithEtag } from '../common/etag';
import { abstractText, titleText } from '../common/inline-latex';
import { problemBody } from '../common/problem';
import { sendProblem } from '../common/problem.filter';
import { FAVICON_SVG, PageTemplate, paperPath, publicUrl, sendHtml, sendHtmlBuffer } from '../common/html';
import { MicroCache } from '../common/overload';
import { renderAtom } from '../feeds/feed-render';
import type { PaperDetailDto, PaperSummaryDto } from '../papers/paper.dto';
import { PapersService, idOfSegments } from '../papers/papers.service';
import { claimsOf, diffClaims } from './claims-diff';
import { renderPaperPage, renderStatusPage, type VersionChangeView } from './paper-page';
import { SimilarService } from './similar.service';
import { diffWords } from './text-diff';

/** Versions compared on one page: the newest MAX_CHANGES changes (each costs two extractions and a diff). */
const MAX_CHANGES = 10;

export function versionChanges(p: PaperDetailDto): VersionChangeView[] {
  const vs = p.versions.slice(-(MAX_CHANGES + 1));
  const out: VersionChangeView[] = [];
  let prevClaims = vs[0] ? claimsOf(vs[0].abstract) : [];
  for (let i = 1; i < vs.length; i++) {
    const [a, b] = [vs[i - 1], vs[i]];
    const claims = claimsOf(b.abstract);
    out.push({
      version: b.version,
      seenAt: b.seenAt,
      previous: { version: a.version, seenAt: a.seenAt },
      // the texts as the page shows them (inline LaTeX rendered: "O(n²)", never "$O(n^2)$"), then compared
      title: diffWords(titleText(a.title), titleText(b.title)),
      abstract: diffWords(abstractText(a.abstract), abstractText(b.abstract)),
      claims: diffClaims(prevClaims, claims),
    });
    prevClaims = claims;
  }
  return out.reverse();
}

export function detailAsSummary(p: PaperDetailDto): PaperSummaryDto {
  return {
    id: p.id,
    arxivId: p.arxivId,
    doi: p.doi,
    title: p.title,
    authors: p.authors,
    abstract: p.abstract,
    publishedAt: p.publishedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    links: p.links,
    hasCode: p.hasCode,
    primaryTopic: p.primaryTopic,
    topics: p.topics.map((t) => ({ slug: t.slug, score: t.score })),
    contribution: p.contribution,
    headlineClaim: p.headlineClaim,
    sightings: p.sightings.length,
    trendingScore: p.trendingScore,
    hasTrendingSignal: p.hasTrendingSignal,
    upvotes: p.upvotes,
    comments: p.comments,
    githubStars: p.githubStars,
  };
}

function redirect(res: Response, status: 301 | 302 | 303, location: string, maxAge: number): void {
  res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
  res.redirect(status, location);
}

/** The id of a page path and its `.atom` (the paper's one-entry feed) or `.json` (the paper as JSON) suffix. */
const ID_RE = /^(.*?)(\.atom|\.json)?$/s;

/** Stand-in for the per-response nonce in a cached page (random: it cannot occur in content). */
const NONCE_SLOT = `n${randomBytes(16).toString('hex')}`;

@ApiExcludeController()
@Controller()
export class PaperPageController {
  constructor(
    private readonly papers: PapersService,
    private readonly similarPapers: SimilarService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {
    this.pages = new MicroCache(config.API_CACHE_MS);
  }

  /** Rendered pages by paper id, for API_CACHE_MS: a hot paper is rendered once, each response gets its own nonce. */
  private readonly pages: MicroCache;

  @Get(['favicon.svg', 'favicon.ico'])
  @RequireScope('public')
  favicon(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.status(200).type('image/svg+xml').send(FAVICON_SVG);
  }

  private async load(idOrArxiv: string): Promise<PaperDetailDto | null> {
    try {
      return await this.papers.detail(idOrArxiv);
    } catch (e) {
      if (e instanceof HttpException && e.getStatus() === 404) return null;
      throw e;
    }
  }

  /**
   * An id with slashes written as path separators: an old-style arXiv id (/papers/hep-th/9901001, as arXiv
   * links it), or an arxiv.org URL pasted after /papers/ (idOfSegments).
   */
  @Get('papers/:first/*rest')
  @RequireScope('public')
  async oldStylePage(@Param('first') first: string, @Param('rest') rest: string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.page(idOfSegments(first, rest), req, res);
  }

  /**
   * arxiv.org's abstract address on this host (/abs/2401.00001v2, /abs/hep-th/9901001, any form parsePaperId
   * reads): a permanent redirect to the paper's page. No paper: the 404 page (a problem document for API clients).
   */
  @Get('abs/:id')
  @RequireScope('public')
  async abs(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { pageKey } = await this.papers.locate(id);
    redirect(res, 301, paperPath(pageKey), 86_400);
  }

  @Get('abs/:first/*rest')
  @RequireScope('public')
  async absOldStyle(@Param('first') first: string, @Param('rest') rest: string[], @Res() res: Response): Promise<void> {
    return this.abs(idOfSegments(first, rest), res);
  }

  /**
   * arxiv.org's PDF address on this host (/pdf/2401.00001v2, with or without .pdf): the arxiv.org PDF link the sources gave
   * (302: it may change), else the paper's page (301, held an hour: a source may give a PDF link later).
   */
  @Get('pdf/:id')
  @RequireScope('public')
  async pdf(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { pageKey, pdf } = await this.papers.locate(id.replace(/\.pdf$/i, ''));
    if (pdf) redirect(res, 302, pdf, 300);
    else redirect(res, 301, paperPath(pageKey), 3600);
  }

  @Get('pdf/:first/*rest')
  @RequireScope('public')
  async pdfOldStyle(@Param('first') first: string, @Param('rest') rest: string[], @Res() res: Response): Promise<void> {
    return this.pdf(idOfSegments(first, rest), res);
  }

  @Get('papers/:id')
  @RequireScope('public')
  async page(@Param('id') raw: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const [, written, suffix = ''] = ID_RE.exec(raw) ?? ['', raw];
    // The id read by the one shared parser: what can never be an id is a 400 page, an id written another
    // way than as read (arXiv: prefix, an arxiv.org URL, spaces, a version suffix) moves permanently to
    // the page of the id as read, so a paper has one address whatever was pasted.
    const ref = parsePaperId(written);
    const wantsJson = suffix === '.json' || (!suffix && req.accepts(['html', 'json']) === 'json');
    res.vary('Accept');
    if (!ref) {
      const message = `${JSON.stringify(raw.slice(0, 100))} is not a paper id. Give ${PAPER_ID_FORMS}.`;
      // a client that asked for the paper as JSON is told so in JSON, as /v1 would
      if (wantsJson) sendProblem(res, problemBody(400, message));
      else sendHtml(res, 400, nonce, renderStatusPage(nonce, 400, 'Not a paper id', message));
      return;
    }
    if (ref.value !== written) {
      redirect(res, 301, `${paperPath(ref.value)}${suffix}`, 86_400);
      return;
    }
    const id = ref.value;
    // The paper as JSON is the API's resource (its key rules, ETag and cache apply): /papers/X.json, or a client
    // that prefers JSON to HTML on the page's own address, is sent there. Every page answer varies by Accept.
    if (wantsJson) {
      redirect(res, 303, `/v1/papers/${encodeURIComponent(id)}`, 86_400);
      return;
    }
    if (!suffix) {
      const page = await this.pages.get(`paper:${id}`, () => this.render(id));
      if (page) {
        sendHtmlBuffer(res, 200, nonce, page.fill({ [NONCE_SLOT]: nonce }), 'public, max-age=60');
        return;
      }
    }
    const paper = suffix ? await this.load(id) : null;
    if (!paper) {
      sendHtml(
        res,
        404,
        nonce,
        renderStatusPage(
          nonce,
          404,
          'Paper not found',
          `There is no paper ${JSON.stringify(raw.slice(0, 100))} in PaperWire. Check the id or search from the Daily Papers page.`,
          // a shared link to an arXiv paper PaperWire has not read (yet): the paper itself is one click away
          ref.kind === 'arxiv' ? [{ href: `https://arxiv.org/abs/${encodeURIComponent(ref.value).replace(/%2F/g, '/')}`, label: `arXiv:${ref.value} on arxiv.org` }] : [],
          'It may be on arXiv:',
        ),
      );
      return;
    }
    const base = this.config.PUBLIC_URL;
    if (suffix) {
      const key = paper.arxivId ?? paper.id;
      const self = publicUrl(base, `${paperPath(key)}.atom`);
      sendWithEtag(
        req,
        res,
        renderAtom(
          {
            id: self,
            title: paper.title,
            description: `${paper.title} on PaperWire`,
            selfUrl: self,
            alternateUrl: publicUrl(base, `/v1/papers/${paper.id}`),
            alternateType: 'application/json',
            homeUrl: base.replace(/\/+$/, ''),
            pageUrl: publicUrl(base, paperPath(key)),
          },
          [detailAsSummary(paper)],
        ),
        'application/atom+xml; charset=utf-8',
        300,
      );
      return;
    }
    // Only the Atom alternate reaches here with a paper: the HTML page is rendered above.
    sendHtml(res, 404, nonce, renderStatusPage(nonce, 404, 'Paper not found', 'There is no such paper in PaperWire.'));
  }

  /** The paper's page with NONCE_SLOT where each response's CSP nonce goes, or null for an unknown paper. */
  private async render(id: string): Promise<PageTemplate | null> {
    const paper = await this.load(id);
    if (!paper) return null;
    const base = this.config.PUBLIC_URL;
    const nonce = NONCE_SLOT;
    const [similar, topics, listedDays] = await Promise.all([
      this.similarPapers.similar({ id: paper.id, title: paper.title, abstract: paper.abstract, primaryTopic: paper.primaryTopic }),
      topicNamesOf(this.ds, paper.topics.map((t) => t.slug)),
      listedDaysOfPaper(this.ds, paper.id),
    ]);
    const html = renderPaperPage({
      nonce,
      baseUrl: base,
      paper,
      topicNames: new Map(topics.map((t) => [t.slug, t.name])),
      similar,
      listedDays,
      changes: versionChanges(paper),
    });
    return PageTemplate.from(html, [NONCE_SLOT]);
  }
}
