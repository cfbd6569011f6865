import { createHash } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { countPapers, getPaper, listPapers, suggestSearch, type PaperFilters } from '@paperwire/actions';
import { PAPER_ID_FORMS, httpHref, parsePaperId, type PaperIdRef } from '@paperwire/contracts';
import { locatePaper, type PaperSort } from '@paperwire/db';
import { decodeCursor, encodeCursor, type Cursor, type CursorKey } from '../common/cursor';
import { badRequest, notFound } from '../common/problem';
import { READ_DATA_SOURCE } from '../common/read-db';
import type { PaperDetailDto, PaperPageDto, PaperSummaryDto } from './paper.dto';

export interface ListOptions {
  filters: PaperFilters;
  sort: PaperSort;
  limit: number;
  cursor?: string;
}

/**
 * A paper id from a path, read by the one shared parser (parsePaperId): pasted forms are read, and what can
 * never be an id is a 400 (an id of no paper is the caller's 404).
 */
export function readPaperId(raw: string): PaperIdRef {
  const ref = parsePaperId(raw);
  if (!ref) throw badRequest(`${JSON.stringify(raw.slice(0, 100))} is not a paper id: give ${PAPER_ID_FORMS}`, [{ field: 'id', detail: 'not a paper id' }]);
  return ref;
}

/**
 * The id of a path whose id spans several segments (`:first/*rest`): an old-style arXiv id with its slash
 * (hep-th/9901001), a DOI, or an arxiv.org URL pasted unencoded (https://arxiv.org/abs/2401.12345).
 */
export const idOfSegments = (first: string, rest: string | string[]): string => [first, ...(Array.isArray(rest) ? rest : [rest])].join('/');

// What each sort's keyset holds, in order (see listPaperRows in @paperwire/db). A trending cursor is
// [trend key, id] among the papers with a signal, then [date, id] among the others; the three-key cursors
// of the older trending order ([score, date, id]) are answered 400, never read as another order's keys.
const CURSOR_SHAPES: Record<PaperSort, readonly (readonly CursorKey[])[]> = {
  recent: [['timestamp', 'uuid']],
  relevance: [['number', 'uuid']],
  trending: [
    ['number', 'uuid'],
    ['timestamp', 'uuid'],
  ],
};

/** A cursor of `sort`, read by the first of the sort's shapes it fits (the last one's 400 otherwise). */
function readCursor(raw: string, sort: PaperSort): Cursor {
  const shapes = CURSOR_SHAPES[sort];
  for (const shape of shapes.slice(0, -1)) {
    try {
      return decodeCursor(raw, sort, shape);
    } catch {
      // not this shape: try the next
    }
  }
  return decodeCursor(raw, sort, shapes[shapes.length - 1]);
}

/** `v` with its keys sorted, lists sorted, dates as ISO text, and what says nothing (undefined, null, []) left out. */
function canonical(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== null && !(Array.isArray(x) && x.length === 0))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/**
 * A short fingerprint of the filters a page was read under: each next cursor carries it, and a cursor given with other
 * filters is a 400 (it used to continue from its position under the new filters: a `topic=rag` page's cursor without
 * the topic went on through every paper). The same filters in another order or case of keys, and a search in another case or spacing, give the same print.
 */
export function filtersFingerprint(filters: PaperFilters): string {
  // a search in another case or spacing matches and ranks the same papers (the full-text query folds both)
  const q = filters.q?.toLowerCase().replace(/\s+/g, ' ');
  return createHash('sha256').update(JSON.stringify(canonical({ ...filters, q }))).digest('base64url').slice(0, 12);
}

/** The papers actions behind the API: opaque cursors and 404s around listPapers / getPaper. */
@Injectable()
export class PapersService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  async list(opts: ListOptions): Promise<PaperPageDto> {
    const { items, nextCursor } = await this.listNumbered(opts);
    return { items, nextCursor };
  }

  /**
   * A page as list() reads it, with `before`: the number of papers listed before it (the page's cards are numbered on
   * from the previous page's). Each next cursor carries that count and the filters' fingerprint (filtersFingerprint);
   * a cursor made before it did pages the same, numbered from 1, under whatever filters it is given with.
   */
  async listNumbered(opts: ListOptions): Promise<PaperPageDto & { before: number }> {
    const { sort } = opts;
    const cursor = opts.cursor ? readCursor(opts.cursor, sort) : undefined;
    const f = filtersFingerprint(opts.filters);
    if (cursor?.f !== undefined && cursor.f !== f)
      throw badRequest('cursor belongs to other filters', [
        { field: 'cursor', detail: 'cursor was made for a list with other filters: give the filters of the request that returned it, or start again without a cursor' },
      ]);
    const before = cursor?.n ?? 0;
    const page = await listPapers(this.ds, { filters: opts.filters, sort, limit: opts.limit, after: cursor?.k });
    return {
      items: page.items,
      nextCursor: page.nextKey ? encodeCursor({ s: sort, k: page.nextKey, n: before + page.items.length, f }) : null,
      before,
    };
  }

  /** How many papers match, counted to `cap` + 1 at most (a page says "1,000+" beyond `cap`). */
  count(filters: PaperFilters, cap: number): Promise<number> {
    return countPapers(this.ds, filters, cap);
  }

  /** A search that matched nothing: the same search with its misspelt words corrected, when that one matches (null: none). */
  suggest(filters: PaperFilters): Promise<string | null> {
    return suggestSearch(this.ds, filters);
  }

  /** Latest papers for feeds (no cursor). */
  async latest(filters: PaperFilters, limit: number): Promise<PaperSummaryDto[]> {
    return (await this.list({ filters, sort: 'recent', limit })).items;
  }

  /**
   * Where a paper is, by any form of its id (readPaperId: 400 for what is no id; 404 when there is none): the key
   * of its page (arXiv id, else uuid) and its PDF link when one is stored that is an http(s) address on arxiv.org.
   * The PDF link is a redirect target, so it is allow-listed, not just checked to be http(s): a stored link elsewhere
   * (the parser writes none; seeded or legacy data could) would make /pdf/{id} an open redirect through this host,
   * and goes to the paper page instead, which shows it as a plain link. One lookup by key that reads those columns
   * only (locatePaper), for the arXiv-style paths (/abs, /pdf) that only redirect.
   */
  async locate(idOrArxiv: string): Promise<{ pageKey: string; pdf?: string }> {
    const ref = readPaperId(idOrArxiv);
    const p = await locatePaper(this.ds, ref.value);
    if (!p) throw notFound(`There is no paper ${JSON.stringify(idOrArxiv.slice(0, 100))} in PaperWire. Check the id or search from the Daily Papers page.`);
    const pdf = arxivPdfHref(p.pdf);
    return { pageKey: p.arxiv_id ?? p.id, ...(pdf ? { pdf } : {}) };
  }

  /** One paper by any form of its id (readPaperId: 400 for what is no id), 404 when there is none. */
  async detail(idOrArxiv: string): Promise<PaperDetailDto> {
    const ref = readPaperId(idOrArxiv);
    const paper = await getPaper(this.ds, ref.value);
    if (!paper) throw notFound(`no paper with id ${JSON.stringify(ref.value.slice(0, 100))}`);
    return paper;
  }
}

/** The link when it is an http(s) address on arxiv.org (or one of its subdomains), else undefined. */
function arxivPdfHref(link: string | null | undefined): string | undefined {
  const href = httpHref(link);
  if (!href) return undefined;
  const { hostname } = new URL(href);
  return hostname === 'arxiv.org' || hostname.endsWith('.arxiv.org') ? href : undefined;
}
