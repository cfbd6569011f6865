import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkFilterValues } from '@paperwire/actions';
import { READ_DATA_SOURCE } from '../common/read-db';
import { ApiEtag, ApiProblems } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { TRENDING_WINDOWS, trendingQuerySchema } from '../daily/daily-query';
import { PaperCardDto } from '../daily/paper-card';
import { TrendingService } from './trending.service';

class TrendingItemDto extends PaperCardDto {
  @ApiProperty({ type: 'integer' }) rank: number;
}

class TrendingPageDto {
  @ApiProperty({ enum: Object.keys(TRENDING_WINDOWS) }) window: string;
  @ApiProperty({ type: [TrendingItemDto] }) items: TrendingItemDto[];
}

@ApiTags('papers')
@Controller('v1/trending')
export class TrendingController {
  constructor(
    private readonly trendingService: TrendingService,
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Trending papers that first appeared within a window (half-life 48 h)',
    description:
      'signal = upvotes + 2·comments + 3·(distinct sources − 1) + GitHub stars (max over sightings); score = signal · 2^(−hours since first appearance / 48), evaluated at the start of the current minute (so a page and its ETag hold for the minute). Papers with signal 0 are not trending. Ordered by the stored trend_key = ln(signal) + ln2/48 · hours_since_epoch(first appearance), which orders exactly like the score at any moment (no decay job). window keeps papers that first appeared within it.',
  })
  @ApiQuery({
    name: 'window',
    required: false,
    enum: Object.keys(TRENDING_WINDOWS),
    description: 'default 7d',
  })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: '1–100, default 30' })
  @ApiOkResponse({ type: TrendingPageDto })
  @ApiEtag()
  @ApiProblems(400, 401, 429)
  async list(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { window, topic, limit } = parseInput(trendingQuerySchema, query, 'query');
    await checkFilterValues(this.ds, { topic });
    sendJsonWithEtag(req, res, await this.trendingService.trending(window, topic, limit));
  }
}
