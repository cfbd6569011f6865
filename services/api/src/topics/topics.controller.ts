import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { ApiProblems } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { SORT_AT } from '../papers/paper-query';
import { READ_DATA_SOURCE } from '../common/read-db';

export class TopicTrendDto {
  @ApiProperty({ description: 'papers in the last 7 days' }) last7: number;
  @ApiProperty({ description: 'papers in the 7 days before that' }) prev7: number;
  @ApiProperty() last30: number;
  @ApiProperty() prev30: number;
  @ApiProperty({ nullable: true, type: Number, description: 'relative change last7 vs prev7 (null when prev7 = 0)' }) change7: number | null;
  @ApiProperty({ nullable: true, type: Number }) change30: number | null;
}

export class TopicDto {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: "'default' (shipped taxonomy) or 'user'" }) origin: string;
  @ApiProperty({ description: 'papers with this topic' }) paperCount: number;
  @ApiProperty({ description: 'papers with this as primary topic' }) primaryCount: number;
  @ApiProperty({ type: TopicTrendDto }) trend: TopicTrendDto;
}

export class TopicListDto {
  @ApiProperty({ type: [TopicDto] }) items: TopicDto[];
}

const change = (now: number, before: number) => (before === 0 ? null : Math.round(((now - before) / before) * 1000) / 1000);

@ApiTags('topics')
@Controller('v1/topics')
export class TopicsController {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Topics with paper counts and 7/30-day trend (by publication date, else first seen)' })
  @ApiOkResponse({ type: TopicListDto })
  @ApiProblems(401, 429)
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const rows: Record<string, string | number>[] = await this.ds.query(
      `SELECT t.slug, t.name, t.description, t.origin,
              count(p.id)::int AS papers,
              count(p.id) FILTER (WHERE pt.is_primary)::int AS primary_count,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '7 days')::int AS last7,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '14 days' AND ${SORT_AT} < now() - interval '7 days')::int AS prev7,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '30 days')::int AS last30,
              count(p.id) FILTER (WHERE ${SORT_AT} >= now() - interval '60 days' AND ${SORT_AT} < now() - interval '30 days')::int AS prev30
         FROM topics t
         LEFT JOIN paper_topics pt ON pt.topic_slug = t.slug
         LEFT JOIN papers p ON p.id = pt.paper_id
        WHERE t.enabled
        GROUP BY t.slug
        ORDER BY t.slug`,
    );
    const items: TopicDto[] = rows.map((r) => {
      const [last7, prev7, last30, prev30] = [r.last7, r.prev7, r.last30, r.prev30].map(Number);
      return {
        slug: String(r.slug),
        name: String(r.name),
        description: String(r.description),
        origin: String(r.origin),
        paperCount: Number(r.papers),
        primaryCount: Number(r.primary_count),
        trend: { last7, prev7, last30, prev30, change7: change(last7, prev7), change30: change(last30, prev30) },
      };
    });
    sendJsonWithEtag(req, res, { items } satisfies TopicListDto);
  }
}
