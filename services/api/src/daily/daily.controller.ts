import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { checkFilterValues } from '@paperwire/actions';
import { cardPaperRowsByIds } from '@paperwire/db';
import { READ_DATA_SOURCE } from '../common/read-db';
import { ApiEtag, ApiProblems, PAGED_EXTENSION, ApiIntQuery } from '../common/api-docs';
import { sendJsonWithEtag } from '../common/etag';
import { parseInput } from '../common/validation';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DAY_KEY_CELLS, dayKeyOfCells } from '../common/day-cursor';
import { ProblemException, badRequest } from '../common/problem';
import { ListingsService } from '../listings/listings.service';
import { parsePeriod, periodRange } from '../listings/period';
import { DAILY_SORTS, dailyCursorName, dailyCursorSort, dailyQuerySchema, dailyRangeQuerySchema, dayParam } from './daily-query';
import { DailyService, type DailyPage, type DailyStart } from './daily.service';
import { loadCards, PaperCardDto } from './paper-card';

class DailyItemDto extends PaperCardDto {
  @ApiProperty({ type: 'integer', description: '1-based rank within the day' }) rank: number;
}

class DailyPeriodDto {
  @ApiProperty({ enum: ['week', 'month'] }) kind: 'week' | 'month';
  @ApiProperty({ description: 'the week (YYYY-Www) or month (YYYY-MM) as asked for' }) key: string;
  @ApiProperty({ description: 'its first day (UTC)' }) from: string;
  @ApiProperty({ description: 'its last day (UTC)' }) to: string;
}

class DailyPageDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the day listed (UTC), null on an empty catalogue and with `week` or `month` (see `period`)',
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
  @ApiPropertyOptional({ type: DailyPeriodDto, description: 'with `week` or `month`: the period listed (then `date`, `previousDate` and `nextDate` are null)' })
  period?: DailyPeriodDto;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'with `week` or `month`: the closest earlier week or month with papers (with topic: with a paper of one of those topics)' })
  previous?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'with `week` or `month`: the closest later week or month with papers' })
  next?: string | null;
}

/** The `s` of /v1/daily's cursors of a week or a month: [papers before the next page, the period listing's cursor]. */
const RANGE_CURSOR = 'daily:period';

/** What a week or a month of /v1/daily answers: DailyPage's fields, the day ones null, and the period's. */
type DailyRangePage = DailyPage & Required<Pick<DailyPageDto, 'period' | 'previous' | 'next'>>;

@ApiTags('papers')
@Controller('v1/daily')
export class DailyController {
  constructor(
    private readonly daily: DailyService,
    private readonly listings: ListingsService,
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: "A day's papers, ranked like Daily Papers (upvotes, then the capture's order, then recency), or by publication or trend; or a week's or a month's",
    description:
      "A paper's day is per sighting: HF featured date or arXiv announcement; arXiv API/OAI publication date; else the day PaperWire first saw it (uploads, text captures). Days are UTC. With `week` or `month`: the papers listed in that period, as the page's week and month views list them (a paper counts in the period holding the day it was listed: its first day), by trending score (sort rank or trending: papers with a signal first, highest score first, then the others newest first) or newest listed first (sort published); `q` and `offset` are a day's only; `after` is the period listing's own cursor, given with the same `week` or `month`.",
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
  @ApiQuery({ name: 'week', required: false, description: 'ISO week YYYY-Www (UTC): that week\'s papers instead of a day\'s; not with date or month' })
  @ApiQuery({ name: 'month', required: false, description: 'YYYY-MM (UTC): that month\'s papers instead of a day\'s; not with date or week' })
  @ApiQuery({ name: 'topic', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'q', required: false, description: 'full-text query within the day (titles, abstracts, authors\' names); not with week or month' })
  @ApiIntQuery('limit', { min: 1, max: 500, default: 100 })
  @ApiIntQuery('offset', { min: 0, max: 100000, default: 0 }, 'papers of the day to skip; not with `after`')
  @ApiQuery({
    name: 'after',
    required: false,
    description:
      "opaque cursor from a page's `nextAfter`: the next page in the day's order, read from where the previous one ended (however deep, it costs one page); its day and order are the cursor's (`date` and `sort`, when given, must be those); a week's or a month's is given with the same `week` or `month` and `sort`. A cursor this API did not return is a 400.",
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
    if (query.week !== undefined || query.month !== undefined) return sendJsonWithEtag(req, res, await this.range(query));
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

  /** A week or a month (the page's listing of it: ListingsService.rangeListing), as /v1/daily's cards. */
  private async range(query: Record<string, unknown>): Promise<DailyRangePage> {
    const parsed = parseInput(dailyRangeQuerySchema, query, 'query');
    for (const field of ['q', 'offset'] as const)
      if (parsed[field] !== undefined)
        throw badRequest(`${field} works within a day only`, [{ field, detail: `not with ${query.week !== undefined ? 'week' : 'month'}: page a week or a month with after` }]);
    const period = parsePeriod({ date: parsed.date, week: parsed.week, month: parsed.month });
    if (!period || period.kind === 'day') throw badRequest('give one of date, week or month');
    await checkFilterValues(this.ds, { topic: parsed.topic });
    // /v1's cursor of a period: the papers before the next page (its ranks go on), then the listing's own cursor
    let before = 0;
    let cursor: string | undefined;
    if (parsed.after !== undefined) {
      try {
        const c = decodeCursor(parsed.after, RANGE_CURSOR, 2, 'after');
        if (typeof c.k[0] !== 'number' || !Number.isInteger(c.k[0]) || c.k[0] < 0 || typeof c.k[1] !== 'string') throw badRequest('after is not valid');
        [before, cursor] = [c.k[0], c.k[1]];
      } catch (e) {
        if (e instanceof ProblemException) throw badRequest('after is not valid', [{ field: 'after', detail: 'not a nextAfter of a week or a month' }]);
        throw e;
      }
    }
    let page;
    try {
      page = await this.listings.rangeListing(period, parsed.sort, { topic: parsed.topic, limit: parsed.limit, cursor });
    } catch (e) {
      // a cursor of another period, order or listing, or none of this API's
      if (e instanceof ProblemException && parsed.after !== undefined && e.getStatus() === 400)
        throw badRequest('after is not valid', [{ field: 'after', detail: `not a nextAfter of this ${period.kind} in sort=${parsed.sort}` }]);
      throw e;
    }
    const cards = await loadCards(this.ds, await cardPaperRowsByIds(this.ds, page.ids));
    const key = period.kind === 'week' ? period.week : period.month;
    const range = periodRange(period);
    return {
      date: null,
      previousDate: null,
      nextDate: null,
      period: { kind: period.kind, key, from: range.from, to: range.to },
      previous: page.previous,
      next: page.next,
      total: page.total,
      offset: before,
      nextOffset: null,
      nextAfter: page.nextCursor ? encodeCursor({ s: RANGE_CURSOR, k: [before + page.ids.length, page.nextCursor] }) : null,
      items: cards.map((c, i) => ({ ...c, rank: before + i + 1 })),
    };
  }
}
