import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApiClaimFilters, ApiPaging, ApiProblems } from '../common/api-docs';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { sendJsonWithEtag } from '../common/etag';
import { SqlParams } from '../common/sql-builder';
import { listParam, parseInput } from '../common/validation';
import { ClaimDto } from '../papers/paper.dto';
import { SORT_AT, claimConditions, claimFilterShape, isoDate, limitParam, paperConditions } from '../papers/paper-query';
import { CLAIM_COLUMNS, toClaimDto, type ClaimRow } from './claim-row';
import { READ_DATA_SOURCE } from '../common/read-db';

export class ClaimHitDto extends ClaimDto {
  @ApiProperty({ format: 'uuid' }) paperId: string;
  @ApiProperty() paperTitle: string;
  @ApiProperty({ nullable: true, type: String }) arxivId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt: string | null;
}

export class ClaimPageDto {
  @ApiProperty({ type: [ClaimHitDto] }) items: ClaimHitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

const claimQuerySchema = z
  .object({
    ...claimFilterShape,
    claimCategory: z.enum(['result', 'setup']).optional(),
    topic: z.preprocess(listParam, z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/)).max(20).optional()),
    since: isoDate.optional(),
    until: isoDate.optional(),
    limit: limitParam,
    cursor: z.string().min(1).max(1000).optional(),
  })
  .refine((v) => v.claimMin === undefined || v.claimMax === undefined || v.claimMin <= v.claimMax, {
    path: ['claimMin'],
    message: 'claimMin is greater than claimMax',
  });

@ApiTags('claims')
@Controller('v1/claims')
export class ClaimsController {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Search numeric claims across papers (newest papers first)' })
  @ApiClaimFilters()
  @ApiQuery({ name: 'claimCategory', required: false, enum: ['result', 'setup'] })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'since', required: false })
  @ApiQuery({ name: 'until', required: false })
  @ApiPaging()
  @ApiOkResponse({ type: ClaimPageDto })
  @ApiProblems(400, 401, 429)
  async search(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { limit, cursor, claimCategory, topic, since, until, ...claim } = parseInput(claimQuerySchema, query, 'query');
    const params = new SqlParams();
    const conds = [...claimConditions(claim, params), ...paperConditions({ topic, since, until }, params)];
    if (claimCategory) conds.push(`c.category = ${params.add(claimCategory)}`);
    if (cursor) {
      const k = decodeCursor(cursor, 'claims', ['timestamp', 'uuid']).k;
      conds.push(`(${SORT_AT}, c.id) < (${params.add(k[0], 'timestamptz')}, ${params.add(k[1], 'uuid')})`);
    }
    const rows: (ClaimRow & { title: string; arxiv_id: string | null; published_at: Date | null; sort_at: string })[] = await this.ds.query(
      `SELECT ${CLAIM_COLUMNS}, p.title, p.arxiv_id, p.published_at, ${SORT_AT}::text AS sort_at
         FROM paper_claims c JOIN papers p ON p.id = c.paper_id
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY ${SORT_AT} DESC, c.id DESC
        LIMIT ${params.add(limit + 1, 'int')}`,
      params.values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const body: ClaimPageDto = {
      items: page.map((r) => ({
        ...toClaimDto(r),
        paperId: r.paper_id,
        paperTitle: r.title,
        arxivId: r.arxiv_id,
        publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ s: 'claims', k: [last.sort_at, last.id] }) : null,
    };
    sendJsonWithEtag(req, res, body);
  }
}
