import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { getPaper, listPapers, type PaperFilters } from '@paperwire/actions';
import type { PaperSort } from '@paperwire/db';
import { decodeCursor, encodeCursor, type CursorKey } from '../common/cursor';
import { notFound } from '../common/problem';
import { READ_DATA_SOURCE } from '../common/read-db';
import type { PaperDetailDto, PaperPageDto, PaperSummaryDto } from './paper.dto';

export interface ListOptions {
  filters: PaperFilters;
  sort: PaperSort;
  limit: number;
  cursor?: string;
}

// What each sort's keyset holds, in order (see listPaperRows in @paperwire/db).
const CURSOR_SHAPE: Record<PaperSort, readonly CursorKey[]> = {
  recent: ['timestamp', 'uuid'],
  relevance: ['number', 'uuid'],
  trending: ['number', 'timestamp', 'uuid'],
};

/** The papers actions behind the API: opaque cursors and 404s around listPapers / getPaper. */
@Injectable()
export class PapersService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  async list(opts: ListOptions): Promise<PaperPageDto> {
    const { sort } = opts;
    const after = opts.cursor ? decodeCursor(opts.cursor, sort, CURSOR_SHAPE[sort]).k : undefined;
    const page = await listPapers(this.ds, { filters: opts.filters, sort, limit: opts.limit, after });
    return { items: page.items, nextCursor: page.nextKey ? encodeCursor({ s: sort, k: page.nextKey }) : null };
  }

  /** Latest papers for feeds (no cursor). */
  async latest(filters: PaperFilters, limit: number): Promise<PaperSummaryDto[]> {
    return (await this.list({ filters, sort: 'recent', limit })).items;
  }

  async detail(idOrArxiv: string): Promise<PaperDetailDto> {
    const paper = await getPaper(this.ds, idOrArxiv);
    if (!paper) throw notFound(`no paper with id ${JSON.stringify(idOrArxiv.slice(0, 100))}`);
    return paper;
  }
}
