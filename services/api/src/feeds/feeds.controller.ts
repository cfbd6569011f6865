import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiParam, ApiResponse, ApiTags, type ApiResponseOptions } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { TOPIC_SLUG_RE, checkFilterValues, unknownTopicMessage } from '@paperwire/actions';
import { allTopicSlugs, enabledTopic } from '@paperwire/db';
import { z } from 'zod';
import { CONFIG } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { ApiEtag, ApiPaperFilters, ApiProblems } from '../common/api-docs';
import { sendWithEtag } from '../common/etag';
import { notFound } from '../common/problem';
import { parseInput } from '../common/validation';
import { paperFilterShape } from '../papers/paper-query';
import { PapersService } from '../papers/papers.service';
import { renderAtom, renderJsonFeed, type FeedMeta } from './feed-render';
import { READ_DATA_SOURCE } from '../common/read-db';

const FEED_SIZE = 50;
// any case: a slug or format typed with capitals is the feed of its lower-case form
const FILE_RE = /^([^.]+)\.(atom|json)$/i;
const searchFeedSchema = z.object({
  q: paperFilterShape.q,
  topic: paperFilterShape.topic,
  source: paperFilterShape.source,
  hasCode: paperFilterShape.hasCode,
  contribution: paperFilterShape.contribution,
  claimMetric: paperFilterShape.claimMetric,
  claimKind: paperFilterShape.claimKind,
  claimUnit: paperFilterShape.claimUnit,
  claimMin: paperFilterShape.claimMin,
  claimMax: paperFilterShape.claimMax,
});

type Format = 'atom' | 'json';

const FEED_RESPONSE: ApiResponseOptions = {
    status: 200,
    description: 'the feed',
    content: {
      'application/atom+xml': { schema: { type: 'string', description: 'Atom 1.0' } },
      'application/feed+json': {
        schema: {
          type: 'object',
          description: 'JSON Feed 1.1',
          required: ['version', 'title', 'items'],
          properties: { version: { type: 'string', format: 'uri' }, title: { type: 'string' }, items: { type: 'array', items: { type: 'object' } } },
        },
      },
    },
  };

/** The page a search feed's reader opens as its website: the home page's search (and its one topic), as the feed filters. */
function searchPageUrl(base: string, q: string | undefined, topics: readonly string[] | undefined): string {
  const page = new URLSearchParams();
  if (q) page.set('q', q);
  if (topics?.length === 1) page.set('topic', topics[0]);
  const qs = page.toString();
  return `${base}/${qs ? `?${qs}` : ''}`;
}

/**
 * What a search feed lists, in words (`matching “rag”, in Retrieval-augmented generation, with code`; a topic by its
 * name when `names` has it), null when it filters nothing.
 */
export function searchFeedLabel(f: z.infer<typeof searchFeedSchema>, names: Readonly<Record<string, string>> = {}): string | null {
  const claims = f.claimKind || f.claimUnit || f.claimMin !== undefined || f.claimMax !== undefined;
  const parts = [
    f.q && `matching “${f.q}”`,
    f.topic && `in ${f.topic.map((t) => names[t] ?? `topic ${t}`).join(' or ')}`,
    f.source && `from ${f.source.join(' or ')}`,
    f.hasCode !== undefined && (f.hasCode ? 'with code' : 'without code'),
    f.contribution && `of contribution ${f.contribution}`,
    f.claimMetric ? `with claims of ${f.claimMetric}` : claims && 'with the claims the address filters',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

@ApiTags('feeds')
@Controller('v1/feeds')
export class FeedsController {
  constructor(
    private readonly papers: PapersService,
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  /** topic slug -> name (the taxonomy: a few dozen rows), for the feeds' words and category labels */
  private async topicNames(): Promise<Record<string, string>> {
    return Object.fromEntries((await allTopicSlugs(this.ds)).map((t) => [t.slug, t.name]));
  }

  private send(req: Request, res: Response, format: Format, meta: FeedMeta, papers: Awaited<ReturnType<PapersService['latest']>>): void {
    if (format === 'atom') sendWithEtag(req, res, renderAtom(meta, papers), 'application/atom+xml; charset=utf-8', 300);
    else sendWithEtag(req, res, JSON.stringify(renderJsonFeed(meta, papers)), 'application/feed+json; charset=utf-8', 300);
  }

  @Get('topics/:file')
  @ApiOperation({ summary: 'Latest 50 papers of a topic as Atom (.atom) or JSON Feed 1.1 (.json), with ETag' })
  @ApiParam({ name: 'file', description: '{topic slug}.atom or {topic slug}.json', example: 'rag.atom' })
  @ApiResponse(FEED_RESPONSE)
  @ApiResponse({
    status: 301,
    description: 'the slug or format typed with capitals: Location is the lower-case address of the feed',
    headers: { Location: { description: 'the feed at its lower-case address', schema: { type: 'string' } } },
  })
  @ApiEtag()
  @ApiProblems(401, 404, 429)
  async topic(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const m = FILE_RE.exec(file);
    const slug = m?.[1].toLowerCase() ?? '';
    const format = m?.[2].toLowerCase() ?? '';
    if (!m) throw notFound('feeds are /v1/feeds/topics/{slug}.atom or .json');
    // a slug no topic can have ("vision_language"): no lookup, but the closest topics all the same
    const topic = TOPIC_SLUG_RE.test(slug) ? await enabledTopic(this.ds, slug) : null;
    // a topic none is: the closest feeds' topics (enabled ones: a disabled topic has no feed)
    if (!topic) throw notFound(unknownTopicMessage(slug.slice(0, 64), (await allTopicSlugs(this.ds)).filter((t) => t.enabled)));
    // Typed with capitals: moved for good to the lower-case address (one feed, one address for readers and caches).
    if (m[1] !== slug || m[2] !== format) {
      res.status(301).setHeader('Location', req.path.replace(/[^/]*$/, `${slug}.${format}`));
      res.end();
      return;
    }
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    const meta: FeedMeta = {
      id: `${base}/v1/feeds/topics/${slug}`,
      title: `PaperWire — ${topic.name}`,
      description: topic.description,
      selfUrl: `${base}/v1/feeds/topics/${slug}.${format}`,
      alternateUrl: `${base}/v1/feeds/topics/${slug}.${format === 'atom' ? 'json' : 'atom'}`,
      homeUrl: base,
      pageUrl: `${base}/?topic=${encodeURIComponent(slug)}`,
      topicNames: await this.topicNames(),
    };
    this.send(req, res, format as Format, meta, await this.papers.latest({ topic: [slug] }, FEED_SIZE));
  }

  @Get('search.:format')
  @ApiOperation({ summary: 'A saved search as a feed: the filters of GET /v1/papers but since/until, newest 50' })
  @ApiParam({ name: 'format', enum: ['atom', 'json'] })
  @ApiPaperFilters({ period: false })
  @ApiResponse(FEED_RESPONSE)
  @ApiEtag()
  @ApiProblems(400, 401, 404, 429)
  async search(@Param('format') format: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (format !== 'atom' && format !== 'json') throw notFound('feeds are search.atom or search.json');
    const filters = parseInput(searchFeedSchema, query, 'query');
    await checkFilterValues(this.ds, filters);
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    // The feed's id and links name the search by its filters only, in one order: tracking or unknown
    // parameters and their order do not make it another feed.
    const qs = new URLSearchParams();
    for (const k of Object.keys(searchFeedSchema.shape) as (keyof typeof filters)[]) {
      if (filters[k] === undefined) continue;
      const v = query[k];
      for (const x of Array.isArray(v) ? v : [v]) qs.append(k, String(x));
    }
    const suffix = qs.toString() ? `?${qs.toString()}` : '';
    const topicNames = await this.topicNames();
    const label = searchFeedLabel(filters, topicNames);
    const meta: FeedMeta = {
      id: `${base}/v1/feeds/search${suffix}`,
      title: `PaperWire — ${label ? `papers ${label}` : 'newest papers'}`,
      description: label ? `Newest papers ${label}` : 'The newest papers in PaperWire',
      selfUrl: `${base}/v1/feeds/search.${format}${suffix}`,
      alternateUrl: `${base}/v1/feeds/search.${format === 'atom' ? 'json' : 'atom'}${suffix}`,
      homeUrl: base,
      pageUrl: searchPageUrl(base, filters.q, filters.topic),
      topicNames,
    };
    this.send(req, res, format, meta, await this.papers.latest(filters, FEED_SIZE));
  }

  /** A topic's feed at /v1/feeds/{slug}.atom|json, the short address (after search.{format}, which it leaves alone). */
  @Get(':file')
  @ApiExcludeEndpoint()
  async topicShort(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.topic(file, req, res);
  }
}
