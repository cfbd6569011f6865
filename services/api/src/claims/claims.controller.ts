import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { CLAIM_SCAN_BUDGET } from '@paperwire/db';
import { checkFilterValues, queryEnum, searchClaims } from '@paperwire/actions';
import { z } from 'zod';
import { ApiClaimFilters, ApiEtag, ApiPaging, ApiProblems } from '../common/api-docs';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { ClaimDto } from '../papers/paper.dto';
import { claimFilterShape, isoDate, limitParam, topicListParam } from '../papers/paper-query';
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
    claimCategory: queryEnum(['result', 'setup']).optional(),
    topic: topicListParam,
    since: isoDate.optional(),
    until: isoDate.optional(),
    limit: limitParam,
    cursor: z.string().min(1).max(1000).optional(),
  })
  .refine((v) => v.claimMin === undefined || v.claimMax === undefined || v.claimMin <= v.claimMax, {
    path: ['claimMin'],
    message: 'claimMin is greater than claimMax',
  });

/** What a client following the cursor must know: a read walks a bounded number of claims (CLAIM_SCAN_BUDGET). */
const PARTIAL_PAGES =
  `Partial pages: one request examines at most ${CLAIM_SCAN_BUDGET.toLocaleString('en')} candidate claims in listing order (per topic and metric ` +
  'when both are given), so that a filter matching few or no claims has a bounded cost. When that budget runs out ' +
  'before `limit` hits are found, the page holds the hits found so far (possibly none) and a non-null `nextCursor` ' +
  'that continues the search where it stopped. Keep requesting while `nextCursor` is non-null: only `nextCursor: null` ' +
  'means there are no more hits; an empty or short page does not. Followed to the end, the pages hold every hit once, in order.';

@ApiTags('claims')
@Controller('v1/claims')
export class ClaimsController {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Search numeric claims across papers (newest papers first)', description: PARTIAL_PAGES })
  @ApiClaimFilters()
  @ApiQuery({ name: 'claimCategory', required: false, enum: ['result', 'setup'] })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'since', required: false })
  @ApiQuery({ name: 'until', required: false })
  @ApiPaging()
  @ApiOkResponse({ type: ClaimPageDto })
  @ApiEtag()
  @ApiProblems(400, 401, 429)
  async search(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { limit, cursor, claimCategory, topic, since, until, ...claim } = parseInput(claimQuerySchema, query, 'query');
    await checkFilterValues(this.ds, { topic, claimMetric: claim.claimMetric });
    const after = cursor ? (decodeCursor(cursor, 'claims', ['timestamp', 'uuid']).k as [string, string]) : undefined;
    const page = await searchClaims(this.ds, { ...claim, claimCategory, topic, since, until, limit, after });
    const body: ClaimPageDto = { items: page.items, nextCursor: page.nextKey ? encodeCursor({ s: 'claims', k: page.nextKey }) : null };
    sendJsonWithEtag(req, res, body);
  }
}
