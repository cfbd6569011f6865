import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { listTopics } from '@paperwire/actions';
import { ApiEtag, ApiProblems } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { READ_DATA_SOURCE } from '../common/read-db';

export class TopicTrendDto {
  @ApiProperty({ type: 'integer', description: 'papers whose listing date (publication date, else the day a source featured it, else first seen) is in the last 7 days: not papers PaperWire first saw then' }) last7: number;
  @ApiProperty({ type: 'integer', description: 'papers in the 7 days before that' }) prev7: number;
  @ApiProperty({ type: 'integer', description: 'the same over the last 30 days' }) last30: number;
  @ApiProperty({ type: 'integer' }) prev30: number;
  @ApiProperty({ nullable: true, type: Number, description: 'relative change last7 vs prev7 (null when prev7 = 0)' }) change7: number | null;
  @ApiProperty({ nullable: true, type: Number }) change30: number | null;
}

export class TopicDto {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: "'default' (shipped taxonomy) or 'user'" }) origin: string;
  @ApiProperty({ type: 'integer', description: 'papers with this topic (above ~100k papers an estimate from a sample of the topic rows, within a few percent)' }) paperCount: number;
  @ApiProperty({ type: 'integer', description: 'papers with this as primary topic (an estimate above ~100k papers, as paperCount)' }) primaryCount: number;
  @ApiProperty({ type: TopicTrendDto }) trend: TopicTrendDto;
}

export class TopicListDto {
  @ApiProperty({ type: [TopicDto] }) items: TopicDto[];
}

@ApiTags('topics')
@Controller('v1/topics')
export class TopicsController {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Topics with paper counts and 7/30-day trend (by publication date, else the day a source featured it, else first seen)',
    description:
      'Above ~100k papers the counts and trends are read from a rollup the sweeper refreshes about every minute: ' +
      'they may be up to about a minute old (a topic added since shows zeros until the next refresh). Below, they are current.',
  })
  @ApiOkResponse({ type: TopicListDto })
  @ApiEtag()
  @ApiProblems(401, 429)
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { items } = await listTopics(this.ds);
    sendJsonWithEtag(req, res, { items } satisfies TopicListDto);
  }
}
