import { Controller, Get, HttpException, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { integerText, plainIssues, queryEnum } from '@paperwire/actions';
import { itemPublishedOfPapers } from '@paperwire/db';
import { CONFIG, DATA_SOURCE } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { ApiEtag, HF_ERROR_SCHEMA, ApiIntQuery } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { ProblemException } from '../common/problem';
import type { PaperDetailDto } from '../papers/paper.dto';
import { PapersService, idOfSegments } from '../papers/papers.service';
import { ListingsService, type PaperCardRow } from '../listings/listings.service';
import { parsePeriod } from '../listings/period';
import { loadPresentation, type Presentation } from '../home/presentation';
import { HF_SOURCE_ONLY, HF_UNKNOWABLE, toHfDailyItem, toHfPaper, paperwireExtra, type HfDailyItem, type HfSource } from './hf-shape';

const intParam = (min: number, max: number, def: number) =>
  integerText(min, max)
    .optional()
    .transform((v) => v ?? def);

const dailyQuery = z.object({
  date: z.string().max(20).optional(),
  week: z.string().max(20).optional(),
  month: z.string().max(20).optional(),
  sort: queryEnum(['publishedAt', 'trending']).optional(),
  p: intParam(0, 10_000, 0),
  limit: intParam(1, 100, 50),
  submitter: z.string().trim().min(1).max(100).optional(),
});

const searchQuery = z.object({
  q: z.string().trim().min(1, 'q is required').max(500),
  limit: intParam(1, 100, 50),
});

/** HF answers a bad request with `{"error": "..."}`; so does this drop-in. */
class HfError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new HfError(400, plainIssues(schema, r.error.issues, input ?? {}, 'query').map((i) => i.message).join('; '));
  return r.data;
}

const one = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

export function cardToHfSource(c: PaperCardRow, extra?: Presentation, itemPublishedAt?: Date | null): HfSource {
  return {
    id: c.id,
    arxivId: c.arxivId,
    title: c.title,
    abstract: c.abstract,
    authors: c.authors,
    publishedAt: c.publishedAt,
    firstSeenAt: c.t0 ?? c.featuredAt ?? c.publishedAt ?? new Date(0).toISOString(),
    listedAt: c.t0 ?? c.featuredAt,
    itemPublishedAt: itemPublishedAt ? itemPublishedAt.toISOString() : null,
    featuredAt: c.featuredAt,
    upvotes: c.upvotes,
    numComments: c.numComments,
    githubStars: c.githubStars,
    submittedBy: c.submittedBy,
    organization: extra?.organization ?? null,
    thumbnailUrl: extra?.thumbnailUrl ?? null,
    mediaUrls: extra?.mediaUrls ?? null,
    authorParticipating: extra?.authorParticipating ?? null,
    hf: extra?.hf ?? null,
    links: c.links,
    primaryTopic: c.primaryTopic,
    topics: c.topics,
    headlineClaim: c.headlineClaim,
    trendingScore: c.trendingScore,
    hasTrendingSignal: c.hasTrendingSignal,
    sources: c.sources,
  };
}

export function detailToHfSource(p: PaperDetailDto): HfSource {
  const max = (xs: (number | null)[]) => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);
  const featured = p.sightings.map((s) => s.featuredAt).filter((x): x is string => !!x).sort();
  const hf = p.sightings.find((s) => s.submittedBy);
  return {
    id: p.id,
    arxivId: p.arxivId,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    publishedAt: p.publishedAt,
    firstSeenAt: p.sightings.map((s) => s.firstSeenAt).sort()[0] ?? p.createdAt,
    featuredAt: featured[0] ?? null,
    upvotes: max(p.sightings.map((s) => s.upvotes)),
    numComments: max(p.sightings.map((s) => s.comments)),
    githubStars: max(p.sightings.map((s) => s.githubStars)),
    submittedBy: hf?.submittedBy ?? null,
    links: p.links,
    primaryTopic: p.primaryTopic,
    topics: p.topics.map((t) => ({ slug: t.slug, score: t.score })),
    headlineClaim: p.headlineClaim,
    claims: p.claims,
    trendingScore: p.trendingScore,
    hasTrendingSignal: p.hasTrendingSignal,
    sources: [...new Map(p.sightings.map((s) => [s.sourceName, { kind: s.sourceKind, name: s.sourceName }])).values()],
  };
}

/**
 * Hugging Face lists arXiv papers only (its papers are pages by arXiv id: every item of its captured responses in the
 * fixtures has one). PaperWire lists every paper it read, and some have none (a Daily Papers text capture or a JSON Lines
 * upload that gave none): what such a paper's `paper.id` is, and how a client that needs an arXiv id tells it apart,
 * the same on every route.
 */
export const HF_ID_NOTE =
  '`paper.id` is the arXiv id without version, as on Hugging Face, where every paper has one. A paper PaperWire read without an arXiv id ' +
  '(from a Daily Papers text capture or a JSON Lines upload that gave none) is listed too, with its PaperWire uuid as `paper.id`; ' +
  '`paperwire.arxivId` is then null (else the same arXiv id), and GET /api/papers/{that uuid} answers the same paper: ' +
  'a client that needs an arXiv id (links to arxiv.org or huggingface.co/papers) skips the items whose `paperwire.arxivId` is null.';

const UNKNOWN_NOTE = `${HF_ID_NOTE} Keys Hugging Face sends that PaperWire cannot know are left out (as HF leaves optional keys out): item ${HF_UNKNOWABLE.item.join(', ')}; paper ${HF_UNKNOWABLE.paper.join(', ')}; authors[] ${HF_UNKNOWABLE.author.join(', ')}; submittedBy / submittedOnDailyBy ${HF_UNKNOWABLE.user.join(', ')} (fullname is Hugging Face's display name when a Hugging Face source gave it, else the handle); authors[].hidden is Hugging Face's (false for a paper no Hugging Face source listed), and an item's \`title\` is Hugging Face's item title (one line) where its paper title keeps line breaks. thumbnail, organization and mediaUrls (item and paper) are present when the source gave them; paper ${HF_SOURCE_ONLY.paper.join(', ')} are Hugging Face's own, present when a Hugging Face source gave them (githubRepoAddedBy with HF's repository only), and \`summary\` is the summary as Hugging Face gave it (line breaks, "--") for such a paper, PaperWire's normalised abstract otherwise; isAuthorParticipating is Hugging Face's, false for a paper no Hugging Face source listed (no author takes part there). PaperWire's own fields (uuid, arXiv id or null, page url, topics, headline claim, claims, trending score and hasTrendingSignal, sources) are under \`paperwire\`.`;

/**
 * The orders this route serves, each an index read whose cost is the page's (read-model.ts listedDayPage and
 * listedRangePage): what it says is what the read model's indexes hold, not more. A day without sort is HF's own API
 * order (the fixtures: not upvotes, not publishedAt, not the id), kept by the parser as each item's position in the
 * newest HF response (paper_days.capture_pos, idx_paper_days_source). No upvote order is kept for a
 * week or a month, and no order by the arXiv date for any period, so those are not promised.
 */
export const ORDER_NOTE =
  'Order without sort: a day in Hugging Face\'s own API order, as its source listed the day (HF\'s API orders a day neither by upvotes nor by any date it gives: see its captured responses in the tests\' fixtures; PaperWire keeps the position of each item in the newest response it read), then the papers no such source listed, most upvoted first (the Daily Papers page\'s order); a week or a month by trending score (`paperwire.trendingScore`, highest first; papers without a signal last, newest first), not by upvotes. sort=publishedAt: newest first by when the paper first appeared on a listing (HF\'s submittedOnDailyAt, the arXiv announcement, else first seen; on a day, that day\'s appearance, the same for a paper listed once), not by the item\'s `publishedAt`. The item\'s `publishedAt` is HF\'s own item timestamp (its submission time) when a Hugging Face source gave it, else that listing time; `paper.publishedAt` is the paper\'s own date (arXiv), null when no source stated one (a text capture states none). sort=trending: by trending score.';

const TRENDING_NOTE =
  '`paperwire.trendingScore` is /v1\'s trendingScore (rounded to 3 decimals: 0 without a signal, and for a signal decayed below 0.0005). sort=trending: signal = upvotes + 2·comments + GitHub stars (max over sightings) + 3 when both Hugging Face and arXiv listed the paper (more sources of one of them add nothing); a paper with signal 0 is not trending; score = signal · 2^(−age/48 h), age from when it was listed (HF featured / arXiv announcement, else publication, else first seen).';

// HF answers its own errors as {"error": "..."}; so does every error on these routes (the guard's and the overload
// middleware's too: sendProblem).
const HF_ERROR: SchemaObject = { ...HF_ERROR_SCHEMA, required: [...HF_ERROR_SCHEMA.required] };
const HF_ITEMS: SchemaObject = { type: 'array', items: { type: 'object', required: ['paper'], properties: { paper: { type: 'object' } } } };

/**
 * A drop-in for the Hugging Face Daily Papers API: the same paths, parameters, shapes and field names,
 * so HF clients and scripts work against a PaperWire instance unchanged.
 */
@ApiTags('hugging-face-compatible')
@Controller('api')
export class HfController {
  constructor(
    private readonly listings: ListingsService,
    private readonly papers: PapersService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  private async items(cards: PaperCardRow[]): Promise<HfDailyItem[]> {
    const ids = cards.map((c) => c.id);
    const [extra, itemDates] = await Promise.all([loadPresentation(this.ds, ids, true), itemPublishedOfPapers(this.ds, ids)]);
    const itemDate = new Map(itemDates.map((r) => [r.paper_id, new Date(r.item_published_at)]));
    return cards.map((c) => toHfDailyItem(cardToHfSource(c, extra.get(c.id), itemDate.get(c.id)), this.config.PUBLIC_URL));
  }

  private fail(res: Response, e: unknown): void {
    if (e instanceof HfError) {
      res.status(e.status).json({ error: e.message });
      return;
    }
    if (e instanceof HttpException && e.getStatus() < 500) {
      const body = e.getResponse() as { detail?: string } | string;
      const msg = typeof body === 'string' ? body : (body.detail ?? e.message);
      res.status(e.getStatus()).json({ error: e.getStatus() === 404 ? 'Paper not found' : msg });
      return;
    }
    throw e;
  }

  @Get('daily_papers')
  @RequireScope('public')
  @ApiOperation({
    summary: 'Hugging Face Daily Papers, drop-in: GET https://huggingface.co/api/daily_papers',
    description: `One page of a day's (default: the latest day), an ISO week's or a month's papers, in HF's own item shape. ${ORDER_NOTE} ${TRENDING_NOTE} ${UNKNOWN_NOTE}`,
  })
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD (UTC)' })
  @ApiQuery({ name: 'week', required: false, description: 'ISO week YYYY-Www' })
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'sort', required: false, enum: ['publishedAt', 'trending'], description: ORDER_NOTE })
  @ApiIntQuery('p', { min: 0, max: 10000, default: 0 }, '0-based page; p·limit ≤ 10,000')
  @ApiIntQuery('limit', { min: 1, max: 100, default: 50 })
  @ApiQuery({ name: 'submitter', required: false, description: 'HF user name of the submitter' })
  @ApiOkResponse({ description: 'a JSON array of daily-paper items (HF shape plus `paperwire`)', schema: HF_ITEMS })
  @ApiEtag()
  @ApiResponse({ status: 400, description: 'an invalid date, week, month, sort, p or limit', schema: HF_ERROR })
  async daily(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const q = parse(dailyQuery, Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)])));
      let period;
      try {
        period = parsePeriod({ date: q.date, week: q.week, month: q.month });
      } catch (e) {
        // one sentence naming the parameter and its form ("date must be a real calendar date YYYY-MM-DD"), said once
        if (e instanceof ProblemException) throw new HfError(400, e.message);
        throw e;
      }
      const page = await this.listings.list({
        period,
        sort: q.sort === 'trending' ? 'trending' : q.sort === 'publishedAt' ? 'published' : 'source',
        submitter: q.submitter,
        limit: q.limit,
        p: q.p,
      });
      sendJsonWithEtag(req, res, await this.items(page.items));
    } catch (e) {
      this.fail(res, e);
    }
  }

  @Get('papers/search')
  @RequireScope('public')
  @ApiOperation({ summary: 'Hugging Face paper search, drop-in: GET https://huggingface.co/api/papers/search?q=', description: UNKNOWN_NOTE })
  @ApiQuery({ name: 'q', required: true, description: 'full-text query over titles, abstracts and authors\' names' })
  @ApiIntQuery('limit', { min: 1, max: 100, default: 50 })
  @ApiOkResponse({ description: 'a JSON array of daily-paper items, best match first', schema: HF_ITEMS })
  @ApiEtag()
  @ApiResponse({ status: 400, description: 'a missing q or an invalid limit', schema: HF_ERROR })
  async search(@Query() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const q = parse(searchQuery, Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)])));
      const hits = await this.papers.list({ filters: { q: q.q }, sort: 'relevance', limit: q.limit });
      const cards = await this.listings.cards(hits.items.map((h) => h.id));
      sendJsonWithEtag(req, res, await this.items(cards));
    } catch (e) {
      this.fail(res, e);
    }
  }

  @Get('papers/:id')
  @RequireScope('public')
  @ApiOperation({ summary: 'Hugging Face paper record, drop-in: GET https://huggingface.co/api/papers/{arxivId}', description: UNKNOWN_NOTE })
  @ApiParam({
    name: 'id',
    description:
      'arXiv id (2401.00001, version suffix ignored; old-style ids as hep-th%2F9901001 or /api/papers/hep-th/9901001), the way people paste it too (arXiv:2401.00001v2, https://arxiv.org/abs/2401.00001), or PaperWire uuid',
  })
  @ApiOkResponse({
    description: "HF's paper object plus `paperwire` (with every claim)",
    schema: { type: 'object', required: ['id', 'title', 'paperwire'], properties: { id: { type: 'string' }, title: { type: 'string' }, paperwire: { type: 'object' } } },
  })
  @ApiEtag()
  @ApiResponse({ status: 400, description: 'not a paper id (no lookup can find it)', schema: HF_ERROR })
  @ApiResponse({ status: 404, description: 'Paper not found', schema: HF_ERROR })
  async paper(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.paperById(id, req, res);
  }

  /** An id with slashes written as path separators: an old-style arXiv id (hep-th/9901001), an arxiv.org URL (idOfSegments). */
  @Get('papers/:first/*rest')
  @RequireScope('public')
  @ApiExcludeEndpoint()
  async paperOldStyle(@Param('first') first: string, @Param('rest') rest: string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.paperById(idOfSegments(first, rest), req, res);
  }

  private async paperById(id: string, req: Request, res: Response): Promise<void> {
    try {
      const detail = await this.papers.detail(id);
      // the paper's media and HF's own fields as HF gave them (one indexed read of its sightings)
      const extra = (await loadPresentation(this.ds, [detail.id], true)).get(detail.id);
      const src = { ...detailToHfSource(detail), mediaUrls: extra?.mediaUrls ?? null, hf: extra?.hf ?? null };
      sendJsonWithEtag(req, res, { ...toHfPaper(src), paperwire: paperwireExtra(src, this.config.PUBLIC_URL) });
    } catch (e) {
      this.fail(res, e);
    }
  }
}
