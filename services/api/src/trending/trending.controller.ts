import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkFilterValues } from '@paperwire/actions';
import { READ_DATA_SOURCE } from '../common/read-db';
import { ApiEtag, ApiProblems, ApiIntQuery } from '../common/api-docs';
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
    summary: 'Trending papers listed within a window (half-life 48 h)',
    description:
      'signal = upvotes + 2·comments + GitHub stars (max over sightings) + 3 when both Hugging Face and arXiv listed the paper (more sources of one of them add nothing); score = signal · 2^(−hours since the paper was listed / 48), listed: the earliest day a source listed it (the Daily Papers\' feature or arXiv\'s announcement, else its publication date, else the day PaperWire first saw it), evaluated at the start of the current minute (so a page and its ETag hold for the minute). Papers with signal 0 are not trending. Ordered by the stored trend_key = ln(signal) + ln2/48 · hours_since_epoch(listed), which orders exactly like the score at any moment (no decay job). window keeps papers listed within it. Each item\'s hasTrendingSignal is true (its trendingScore can round to 0 late in a 30d window).',
  })
  @ApiQuery({
    name: 'window',
    required: false,
    enum: Object.keys(TRENDING_WINDOWS),
    description: 'default 7d',
  })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiIntQuery('limit', { min: 1, max: 100, default: 30 })
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
