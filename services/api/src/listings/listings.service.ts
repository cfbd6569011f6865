import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { webLinks, type PaperAuthor, type PaperLinks } from '@paperwire/contracts';
import { pickHeadline, toClaimView } from '@paperwire/actions';
import { clipAtWord } from '@paperwire/notifications';
import { abstractText } from '../common/inline-latex';
import {
  cardSourcesOfPapers,
  cardTopicsOfPapers,
  claimsOfPapers,
  groupByPaper,
  isUuid,
  latestListedDay,
  listedDayNeighbours,
  listedDayPage,
  listedPeriodNeighbours,
  listedRangePage,
  listingPapers,
  newestTrendingSince,
  servedTrendScore,
  topicDayNeighbours,
  trendingWindowCount,
  trendingWindowPage,
  type DayOrderKey,
  type ListingSort,
} from '@paperwire/db';
import { decodeCursor, encodeCursor, validTimestamp } from '../common/cursor';
import { DAY_KEY_CELLS, cursorCells, dayKeyCells, dayKeyOfCells } from '../common/day-cursor';
import { badRequest } from '../common/problem';
import { READ_DATA_SOURCE } from '../common/read-db';
import type { ClaimDto } from '../papers/paper.dto';
import { periodKey, periodKeyOfDay, periodRange, type ListingPeriod } from './period';

/**
 * The listings' data layer (issue #16; contract in the brief's listing-contract.md): day / ISO week /
 * month listings and trending windows, read from the read model (`paper_read`, `paper_days`, kept by
 * the parser) through indexes in each listing's order. Each query costs what its page costs: keyset
 * cursors for weeks, months and windows; a day is at most a day's papers.
 */
export type { ListingSort } from '@paperwire/db';
export type TrendingWindow = '24h' | '7d' | '30d';
export const TRENDING_WINDOW_HOURS: Record<TrendingWindow, number> = { '24h': 24, '7d': 168, '30d': 720 };
/** HF-style paging (p, only the HF drop-in pages by offset) stops here. */
export const MAX_OFFSET = 10_000;
/** What a client of the HF drop-in can do past MAX_OFFSET: that API has no cursor, but each shorter period is listed whole. */
const TOO_DEEP = `p × limit may be at most ${MAX_OFFSET}: ask for a shorter period to reach the rest (week=YYYY-Www or date=YYYY-MM-DD instead of month=, date= instead of week=)`;

export interface ListingQuery {
  period?: ListingPeriod;
  sort?: ListingSort;
  topic?: string[];
  submitter?: string;
  limit: number;
  cursor?: string;
  p?: number;
}

export interface TrendingQuery {
  window: TrendingWindow;
  topic?: string[];
  submitter?: string;
  limit: number;
  cursor?: string;
  p?: number;
}

export interface PaperCardRow {
  id: string;
  arxivId: string | null;
  title: string;
  abstract: string;
  abstractPreview: string;
  authors: PaperAuthor[];
  publishedAt: string | null;
  t0: string | null;
  featuredAt: string | null;
  upvotes: number | null;
  numComments: number | null;
  githubStars: number | null;
  submittedBy: string | null;
  organization: null;
  thumbnailUrl: null;
  githubRepo: string | null;
  projectPage: string | null;
  links: PaperLinks;
  sources: { kind: string; name: string }[];
  topics: { slug: string; name: string; score: number }[];
  primaryTopic: string | null;
  headlineClaim: ClaimDto | null;
  trendingScore: number;
  /** whether it has a trending signal at all (its trend key): a trendingScore of 0 may be a decayed one */
  hasTrendingSignal: boolean;
  rank: number;
}

export interface ListingPage {
  period: { kind: ListingPeriod['kind']; key: string; from: string; to: string } | null;
  /** the nearest earlier / later period of the same kind that lists a paper (under the topic filter); null: none */
  previous: string | null;
  next: string | null;
  sort: ListingSort;
  total: number;
  items: PaperCardRow[];
  nextCursor: string | null;
  p: number | null;
}

export interface TrendingPage {
  window: TrendingWindow;
  items: PaperCardRow[];
  nextCursor: string | null;
}

const INT4_MAX = 2 ** 31 - 1;
const badCursor = () => badRequest('cursor is not valid', [{ field: 'cursor', detail: 'not a cursor returned by this API' }]);

/** A float cursor key: finite or -Infinity (papers without signal sort last). */
function floatKey(x: string | number): number {
  const n = typeof x === 'number' ? x : x === '-Infinity' ? -Infinity : Number(x);
  if (typeof x === 'string' && !/^(-Infinity|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(x)) throw badCursor();
  if (Number.isNaN(n)) throw badCursor();
  return n;
}
/**
 * A cursor's time: as this service writes it (ISO 8601, UTC, to the microsecond: utcMicros), and one Postgres reads
 * (validTimestamp). A cursor made before session 25 held the time to the millisecond only, which cannot say where
 * among papers of one millisecond its page ended (the next page could repeat or skip one): a 400 that says so.
 */
function tsKey(x: string | number): string {
  if (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(x))
    throw badRequest('cursor was made by an older version of this API and is no longer read: open the listing again from its first page', [
      { field: 'cursor', detail: 'a cursor from before cursors kept microseconds' },
    ]);
  if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(x) || !validTimestamp(x)) throw badCursor();
  return x;
}
function idKey(x: string | number): string {
  if (typeof x !== 'string' || !isUuid(x)) throw badCursor();
  return x;
}

/** A card's abstract preview: the mails' clip (clipAtWord), so a card and a digest cut an abstract alike. */
export function abstractPreview(s: string, max = 300): string {
  return clipAtWord(s, max);
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A keyset read asks for one row past the page; that row only says there is a next page (from the page's last row). */
function keysetPage<T>(rows: T[], limit: number, cursorAfter: (last: T) => string): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? cursorAfter(last) : null };
}

/**
 * A keyset cursor's cells and the number of cards before its page: cursors made since session 26 carry that count as
 * a last cell (`cells` + 1 in all), so a page's cards are numbered on from the previous page's; an older cursor holds
 * the keys only (its page is numbered from 1).
 */
function keysetCursor(raw: string, name: string, cells: number): { k: (string | number)[]; before: number } {
  if (cursorCells(raw) !== cells + 1) return { k: decodeCursor(raw, name, cells).k, before: 0 };
  const k = decodeCursor(raw, name, cells + 1).k;
  const before = k[cells];
  if (typeof before !== 'number' || !Number.isSafeInteger(before) || before < 0 || before > INT4_MAX) throw badCursor();
  return { k: k.slice(0, cells), before };
}

@Injectable()
export class ListingsService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  /** The latest UTC day that has papers (of one of `topics`, when given): index lookups. */
  latestDay(topics?: string[]): Promise<string | null> {
    return latestListedDay(this.ds, topics);
  }

  /** The nearest earlier and later days with papers (of one of `topics`, when given): index lookups. */
  dayNeighbours(day: string, topics?: string[]): Promise<{ previous: string | null; next: string | null }> {
    return listedDayNeighbours(this.ds, day, topics);
  }

  /**
   * A week's or month's previous / next period: the nearest earlier / later one that lists a paper (of one of
   * `topics`, when given), as the day view steps to the nearest day with papers; each an index probe, however many
   * empty periods lie between (listedPeriodNeighbours; topicDayNeighbours with topics).
   */
  private async rangeNeighbours(
    period: Exclude<ListingPeriod, { kind: 'day' }>,
    topics: string[] | undefined,
  ): Promise<{ previous: string | null; next: string | null }> {
    const range = periodRange(period);
    const days = topics?.length
      ? await topicDayNeighbours(this.ds, { ...range, topics, firstDays: true })
      : await listedPeriodNeighbours(this.ds, period.kind, range.from);
    return {
      previous: days.previous ? periodKeyOfDay(period.kind, days.previous) : null,
      next: days.next ? periodKeyOfDay(period.kind, days.next) : null,
    };
  }

  /**
   * When an empty trending window should send the reader: the shortest longer window that lists a trending paper
   * (of one of `topics`), else null. One probe: the newest trending paper of the longest window (newestTrendingSince).
   */
  /** How many papers a trending window lists, up to `cap` (more than `cap`: `cap + 1`). One bounded index walk. */
  trendingCount(window: TrendingWindow, topics: string[] | undefined, cap: number, now: Date = new Date()): Promise<number> {
    return trendingWindowCount(this.ds, { now, hours: TRENDING_WINDOW_HOURS[window], topic: topics, cap });
  }

  async trendingElsewhere(window: TrendingWindow, topics: string[] | undefined, now: Date = new Date()): Promise<TrendingWindow | null> {
    const longer = (Object.keys(TRENDING_WINDOW_HOURS) as TrendingWindow[])
      .filter((w) => TRENDING_WINDOW_HOURS[w] > TRENDING_WINDOW_HOURS[window])
      .sort((a, b) => TRENDING_WINDOW_HOURS[a] - TRENDING_WINDOW_HOURS[b]);
    if (longer.length === 0) return null;
    const hours = (w: TrendingWindow) => TRENDING_WINDOW_HOURS[w] * 3_600_000;
    const newest = await newestTrendingSince(this.ds, new Date(now.getTime() - hours(longer[longer.length - 1])), topics);
    return newest ? (longer.find((w) => newest.getTime() >= now.getTime() - hours(w)) ?? null) : null;
  }

  private offsetOf(q: { limit: number; p?: number }): number {
    const offset = (q.p ?? 0) * q.limit;
    if (offset > MAX_OFFSET) throw badRequest(TOO_DEEP, [{ field: 'p', detail: 'too deep' }]);
    return offset;
  }

  async list(q: ListingQuery, now: Date = new Date()): Promise<ListingPage> {
    const sort = q.sort ?? 'rank';
    const period: ListingPeriod | null = q.period ?? (await this.latestDay(q.topic).then((d) => (d ? { kind: 'day' as const, day: d } : null)));
    if (!period) return { period: null, previous: null, next: null, sort, total: 0, items: [], nextCursor: null, p: null };
    const range = periodRange(period);
    const key = periodKey(period);
    const head = { period: { kind: period.kind, key, ...range }, sort };
    if (period.kind === 'day') {
      const [page, neighbours] = await Promise.all([this.dayPage(period.day, sort, q), this.dayNeighbours(period.day, q.topic)]);
      return { ...head, ...neighbours, ...page, items: await this.cards(page.ids, now, page.firstRank) };
    }
    const page = await this.rangeListing(period, sort, q);
    return { ...head, ...page, items: await this.cards(page.ids, now, page.firstRank) };
  }

  /**
   * A week or a month as the page lists it, as paper ids: the page of `sort` (rank and trending: by trend key, papers
   * without a signal last, newest first; published: newest listed first), from `q.cursor` (this listing's own
   * cursor, named after the period and order) or the start, and the nearest earlier / later period with papers.
   * /v1/daily's week and month views read it and build their own cards.
   */
  async rangeListing(period: Exclude<ListingPeriod, { kind: 'day' }>, sort: ListingSort, q: Omit<ListingQuery, 'period' | 'sort'>) {
    const [page, neighbours] = await Promise.all([this.rangePage(period, sort, q), this.rangeNeighbours(period, q.topic)]);
    return { ...neighbours, ...page };
  }

  /**
   * A day: at most that day's papers. In rank, publication and trend order the next page's cursor holds where the page
   * ends in that order (day-cursor.ts: read by keyset from there, through the order's index); in the source order
   * (HF's, paged by `p`), and in cursors made before, an offset within the day.
   */
  private async dayPage(day: string, sort: ListingSort, q: ListingQuery) {
    const name = `day:${sort}:${day}`;
    const keyed = sort === 'source' ? null : sort;
    let offset = 0;
    let after: DayOrderKey | undefined;
    if (q.cursor && keyed && cursorCells(q.cursor) === DAY_KEY_CELLS[keyed]) {
      const c = dayKeyOfCells(keyed, decodeCursor(q.cursor, name, DAY_KEY_CELLS[keyed]).k, 'cursor');
      offset = c.before;
      after = c.after;
    } else if (q.cursor) {
      const c = decodeCursor(q.cursor, name, 1);
      // (an OFFSET is an int in SQL: a larger one was a 500)
      offset = typeof c.k[0] === 'number' && Number.isInteger(c.k[0]) && c.k[0] >= 0 && c.k[0] <= INT4_MAX ? c.k[0] : -1;
      if (offset < 0) throw badCursor();
    } else offset = this.offsetOf(q);
    const { ids: rows, keys, total } = await listedDayPage(this.ds, {
      day,
      sort,
      topic: q.topic,
      submitter: q.submitter,
      limit: q.limit,
      offset: after ? 0 : offset,
      after,
    });
    const ids = rows.slice(0, q.limit);
    const more = rows.length > q.limit;
    const next = offset + ids.length;
    return {
      ids,
      firstRank: offset + 1,
      total,
      nextCursor: more ? encodeCursor({ s: name, k: keyed ? dayKeyCells(keyed, next, keys[ids.length - 1]) : [next] }) : null,
      p: q.cursor ? null : (q.p ?? 0),
    };
  }

  /** A week or a month: papers whose first appearance falls in it, by keyset through the period's index. */
  private async rangePage(period: Exclude<ListingPeriod, { kind: 'day' }>, sort: ListingSort, q: ListingQuery) {
    const range = periodRange(period);
    const byTrend = sort !== 'published';
    const cursorName = `${period.kind}:${sort}:${periodKey(period)}`;
    let offset = 0;
    let before = 0;
    let after: (string | number)[] | undefined;
    if (q.cursor) {
      const c = keysetCursor(q.cursor, cursorName, byTrend ? 3 : 2);
      after = byTrend ? [floatKey(c.k[0]), tsKey(c.k[1]), idKey(c.k[2])] : [tsKey(c.k[0]), idKey(c.k[1])];
      before = c.before;
    } else offset = this.offsetOf(q);
    const { rows, total } = await listedRangePage(this.ds, {
      kind: period.kind,
      from: range.from,
      to: range.to,
      byTrend,
      topic: q.topic,
      submitter: q.submitter,
      after,
      limit: q.limit,
      offset,
    });
    const { page, nextCursor } = keysetPage(rows, q.limit, (last) =>
      encodeCursor({
        s: cursorName,
        k: [
          ...(byTrend ? [last.trend_key === null ? '-Infinity' : String(last.trend_key), last.t0_key, last.paper_id] : [last.t0_key, last.paper_id]),
          before + offset + q.limit,
        ],
      }),
    );
    return { ids: page.map((r) => r.paper_id), firstRank: before + offset + 1, total, nextCursor, p: q.cursor ? null : (q.p ?? 0) };
  }

  /** Papers that first appeared within the window and have a signal, by trend_key (= decayed score). */
  async trending(q: TrendingQuery, now: Date = new Date()): Promise<TrendingPage> {
    let offset = 0;
    let before = 0;
    let after: [number, string] | undefined;
    if (q.cursor) {
      const c = keysetCursor(q.cursor, `trending:${q.window}`, 2);
      after = [floatKey(c.k[0]), idKey(c.k[1])];
      before = c.before;
    } else offset = this.offsetOf(q);
    const rows = await trendingWindowPage(this.ds, {
      now,
      hours: TRENDING_WINDOW_HOURS[q.window],
      topic: q.topic,
      submitter: q.submitter,
      after,
      limit: q.limit,
      offset,
    });
    const { page, nextCursor } = keysetPage(rows, q.limit, (last) =>
      encodeCursor({ s: `trending:${q.window}`, k: [String(last.trend_key), last.paper_id, before + offset + q.limit] }),
    );
    return {
      window: q.window,
      items: await this.cards(
        page.map((r) => r.paper_id),
        now,
        before + offset + 1,
      ),
      nextCursor,
    };
  }

  /** Cards for these papers, in this order (unknown ids dropped): four indexed lookups by id. */
  async cards(ids: string[], now: Date = new Date(), firstRank = 1): Promise<PaperCardRow[]> {
    if (ids.length === 0) return [];
    const [papers, topics, claims, sources] = await Promise.all([
      listingPapers(this.ds, ids),
      cardTopicsOfPapers(this.ds, ids),
      claimsOfPapers(this.ds, ids),
      cardSourcesOfPapers(this.ds, ids),
    ]);
    const byId = new Map(papers.map((p) => [p.id, p]));
    const topicsBy = groupByPaper(topics);
    const claimsBy = groupByPaper(claims);
    const sourcesBy = groupByPaper(sources);
    const out: PaperCardRow[] = [];
    for (const id of ids) {
      const p = byId.get(id);
      if (!p) continue;
      const headline = pickHeadline(claimsBy.get(id) ?? [], p.abstract);
      const links = webLinks(p.links);
      out.push({
        id,
        arxivId: p.arxiv_id,
        title: p.title,
        abstract: p.abstract,
        abstractPreview: abstractPreview(abstractText(p.abstract)),
        authors: p.authors,
        publishedAt: iso(p.published_at),
        t0: iso(p.t0),
        featuredAt: iso(p.featured_at),
        upvotes: p.upvotes,
        numComments: p.comments,
        githubStars: p.stars,
        submittedBy: p.submitted_by,
        organization: null,
        thumbnailUrl: null,
        githubRepo: links.code[0] ?? null,
        projectPage: links.project[0] ?? null,
        links,
        sources: (sourcesBy.get(id) ?? []).map((s) => ({ kind: s.kind, name: s.name })),
        topics: (topicsBy.get(id) ?? []).map((t) => ({ slug: t.topic_slug, name: t.name, score: t.score })),
        primaryTopic: p.primary_topic,
        headlineClaim: headline ? toClaimView(headline) : null,
        trendingScore: servedTrendScore(p.trend_key, now),
        hasTrendingSignal: p.trend_key !== null,
        rank: firstRank + out.length,
      });
    }
    return out;
  }
}
