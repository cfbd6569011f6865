import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkFilterValues } from '@paperwire/actions';
import { READ_DATA_SOURCE } from '../common/read-db';
import { ApiEtag, ApiProblems, PAGED_EXTENSION } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { decodeCursor } from '../common/cursor';
import { DAY_KEY_CELLS, dayKeyOfCells } from '../common/day-cursor';
import { badRequest } from '../common/problem';
import { DAILY_SORTS, dailyCursorName, dailyCursorSort, dailyQuerySchema, dayParam } from './daily-query';
import { DailyService, type DailyStart } from './daily.service';
import { PaperCardDto } from './paper-card';

class DailyItemDto extends PaperCardDto {
  @ApiProperty({ type: 'integer', description: '1-based rank within the day' }) rank: number;
}

class DailyPageDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the day listed (UTC), null on an empty catalogue',
  })
  date: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the closest earlier day with papers (with topic: with a paper of one of those topics)' })
  previousDate: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the closest later day with papers (with topic: with a paper of one of those topics)' }) nextDate:
    string | null;
  @ApiProperty({ type: 'integer', description: 'papers of the day matching the filters' }) total: number;
  @ApiProperty({ type: 'integer', description: 'papers of the day before this page (its first rank − 1)' }) offset: number;
  @ApiProperty({ nullable: true, type: 'integer', description: 'the next page by offset (kept for older clients: `nextAfter` reads it at the cost of one page, however deep)' })
  nextOffset: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'opaque cursor of the next page: pass it as `after` (with the same filters); null on the last page',
  })
  nextAfter: string | null;
  @ApiProperty({ type: [DailyItemDto] }) items: DailyItemDto[];
}

@ApiTags('papers')
@Controller('v1/daily')
export class DailyController {
  constructor(
    private readonly daily: DailyService,
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: "A day's papers, ranked like Daily Papers (upvotes, then the capture's order, then recency), or by publication or trend",
    description:
      "A paper's day is per sighting: HF featured date or arXiv announcement; arXiv API/OAI publication date; else the day PaperWire first saw it (uploads, text captures). Days are UTC.",
  })
  @ApiQuery({
    name: 'date',
    required: false,
    description: 'YYYY-MM-DD (UTC); default: the latest day with papers (of the topic, when `topic` is given)',
  })
  @ApiQuery({
    name: 'sort',
    required: false,
    enum: DAILY_SORTS,
    description:
      "rank (default): the Daily Papers order; published: newest first by when the paper was listed that day; trending: by trending score (papers without a signal last, newest first). Each order pages by `after` at the cost of one page, however deep",
  })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'q', required: false, description: 'full-text query within the day (titles, abstracts, authors\' names)' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: '1–500, default 100' })
  @ApiQuery({ name: 'offset', required: false, type: 'integer', description: 'papers of the day to skip (0–100000); not with `after`' })
  @ApiQuery({
    name: 'after',
    required: false,
    description:
      "opaque cursor from a page's `nextAfter`: the next page in the day's order, read from where the previous one ended (however deep, it costs one page); its day and order are the cursor's (`date` and `sort`, when given, must be those). A cursor this API did not return is a 400.",
  })
  @ApiExtension(PAGED_EXTENSION, true)
  @ApiOkResponse({ type: DailyPageDto, description: 'weak ETag; 304 on If-None-Match' })
  @ApiEtag()
  @ApiProblems(400, 401, 429)
  async list(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = parseInput(dailyQuerySchema, query, 'query');
    const { date, topic, q, limit, offset, after } = parsed;
    let { sort } = parsed;
    await checkFilterValues(this.ds, { topic });
    let day = date;
    let start: DailyStart = { offset };
    if (after !== undefined) {
      if (query.offset !== undefined) throw badRequest('give offset or after, not both', [{ field: 'after', detail: 'not with offset' }]);
      const made = dailyCursorSort(after);
      // the cursor knows its order: `sort` need not be repeated beside it (given, it must be the cursor's)
      if (made !== null && query.sort === undefined) sort = made;
      if (made !== sort)
        throw badRequest('after belongs to another sort order', [{ field: 'after', detail: `the cursor was made for sort=${made}` }]);
      const c = decodeCursor(after, dailyCursorName(sort), 1 + DAY_KEY_CELLS[sort], 'after');
      const cursorDay = dayParam.safeParse(c.k[0]);
      if (!cursorDay.success) throw badRequest('after is not valid', [{ field: 'after', detail: 'not a cursor returned by this API' }]);
      if (date !== undefined && date !== cursorDay.data)
        throw badRequest('after belongs to another day', [{ field: 'after', detail: `the cursor was made for date=${cursorDay.data}` }]);
      day = cursorDay.data;
      const { before, after: key } = dayKeyOfCells(sort, c.k.slice(1), 'after');
      start = { offset: before, after: key };
    }
    sendJsonWithEtag(req, res, await this.daily.day(day, { topic, q }, limit, start, sort));
  }
}
