import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkFilterValues } from '@paperwire/actions';
import { READ_DATA_SOURCE } from '../common/read-db';
import { ApiEtag, ApiPaging, ApiPaperFilters, ApiProblems } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { PaperDetailDto, PaperPageDto } from './paper.dto';
import { PAPER_SORTS, paperListQuerySchema } from './paper-query';
import { PapersService, idOfSegments } from './papers.service';

@ApiTags('papers')
@Controller('v1/papers')
export class PapersController {
  constructor(
    private readonly papers: PapersService,
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search and list papers (cursor pagination, stable order)' })
  @ApiPaperFilters()
  @ApiQuery({
    name: 'sort',
    required: false,
    enum: PAPER_SORTS,
    description:
      'recent (default: newest first by the listing date: publication date, else the day a source featured a paper no source dated, else when PaperWire first saw it), relevance (needs q; ranks the 1,000 newest matches, so a page costs the same at any catalogue size), trending (the order of /v1/trending without its window: papers with a community signal by decayed signal, highest first, then the papers without one, newest first; every matching paper is listed)',
  })
  @ApiPaging()
  @ApiOkResponse({ type: PaperPageDto, description: 'weak ETag; 304 on If-None-Match' })
  @ApiEtag()
  @ApiProblems(400, 401, 429)
  async list(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { sort, limit, cursor, ...filters } = parseInput(paperListQuerySchema, query, 'query');
    await checkFilterValues(this.ds, filters);
    const page = await this.papers.list({ filters, sort: sort ?? 'recent', limit, cursor });
    // a search that matched nothing says what it may have meant (the page's "Did you mean …?")
    if (filters.q && page.items.length === 0 && !cursor) {
      const didYouMean = await this.papers.suggest(filters);
      if (didYouMean !== null) page.didYouMean = didYouMean;
    }
    sendJsonWithEtag(req, res, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One paper: topics with evidence, claims, sightings, versions and pipeline stage' })
  @ApiParam({
    name: 'id',
    description:
      'paper uuid, arXiv id (2401.00001, version suffix ignored; old-style ids as hep-th%2F9901001 or /v1/papers/hep-th/9901001), the way people paste it too (arXiv:2401.00001v2, https://arxiv.org/abs/2401.00001, https://huggingface.co/papers/2401.00001, surrounding spaces), or a DOI (bare or as a doi.org link)',
  })
  @ApiOkResponse({ type: PaperDetailDto, description: 'weak ETag; 304 on If-None-Match; cached like the lists' })
  @ApiEtag()
  @ApiProblems(400, 401, 404, 429)
  async one(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendJsonWithEtag(req, res, await this.papers.detail(id));
  }

  /** An id with slashes written as path separators: an old-style arXiv id (hep-th/9901001), a DOI, an arxiv.org URL (idOfSegments). */
  @Get(':first/*rest')
  @ApiExcludeEndpoint()
  async oneOldStyle(
    @Param('first') first: string,
    @Param('rest') rest: string[],
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendJsonWithEtag(req, res, await this.papers.detail(idOfSegments(first, rest)));
  }
}
