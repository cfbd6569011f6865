import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { TRENDING_WINDOWS, trendingQuerySchema } from '../daily/daily-query';
import { PaperCardDto } from '../daily/paper-card';
import { TrendingService } from './trending.service';

class TrendingItemDto extends PaperCardDto {
  @ApiProperty() rank: number;
}

class TrendingPageDto {
  @ApiProperty({ enum: Object.keys(TRENDING_WINDOWS) }) window: string;
  @ApiProperty({ type: [TrendingItemDto] }) items: TrendingItemDto[];
}

@ApiTags('papers')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller('v1/trending')
export class TrendingController {
  constructor(private readonly trendingService: TrendingService) {}

  @Get()
  @ApiOperation({
    summary: 'Trending papers sighted within a window',
    description:
      'score = (upvotes + 2·comments + 5·ln(1 + GitHub stars) + 3·sightings) / (hours since the latest sighting + 2)^1.5, recomputed when signals change and periodically for decay.',
  })
  @ApiQuery({
    name: 'window',
    required: false,
    enum: Object.keys(TRENDING_WINDOWS),
    description: 'default 7d',
  })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–100, default 30' })
  @ApiOkResponse({ type: TrendingPageDto })
  @ApiProblems(400, 401, 429)
  async list(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { window, topic, limit } = parseInput(trendingQuerySchema, query, 'query');
    sendJsonWithEtag(req, res, await this.trendingService.trending(window, topic, limit));
  }
}
