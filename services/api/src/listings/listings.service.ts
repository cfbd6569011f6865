import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';
import { trendScore } from '@paperwire/db';
import { CLAIM_COLUMNS, pickHeadline, toClaimDto, type ClaimRow } from '../claims/claim-row';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { badRequest } from '../common/problem';
import { READ_DATA_SOURCE } from '../common/read-db';
import { SqlParams } from '../common/sql-builder';
import type { ClaimDto } from '../papers/paper.dto';
import { periodKey, periodRange, shiftPeriod, type ListingPeriod } from './period';

/**
 * The listings' data layer (issue #16; contract in the brief's listing-contract.md): day / ISO week /
 * month listings and trending windows, read from the read model (`paper_read`, `paper_days`, kept by
 * the parser) through indexes in each listing's order. Each query costs what its page costs: keyset
 * cursors for weeks, months and windows; a day is at most a day's papers.
 */
export type ListingSort = 'rank' | 'published' | 'trending';
export type TrendingWindow = '24h' | '7d' | '30d';
export const TRENDING_WINDOW_HOURS: Record<TrendingWindow, number> = { '24h': 24, '7d': 168, '30d': 720 };
/** HF-style paging stops here: deeper pages need the cursor. */
export const MAX_OFFSET = 10_000;

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
  trendingScore: number | null;
  rank: number;
}

export interface ListingPage {
  period: { kind: ListingPeriod['kind']; key: string; from: string; to: string } | null;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => badRequest('cursor is not valid', [{ field: 'cursor', detail: 'not a cursor returned by this API' }]);

/** A float cursor key: finite or -Infinity (papers without signal sort last). */
function floatKey(x: string | number): number {
  const n = typeof x === 'number' ? x : x === '-Infinity' ? -Infinity : Number(x);
  if (typeof x === 'string' && !/^(-Infinity|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(x)) throw badCursor();
  if (Number.isNaN(n)) throw badCursor();
  return n;
}
function tsKey(x: string | number): string {
  if (typeof x !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(x) || Number.isNaN(Date.parse(x))) throw badCursor();
  return x;
}
function idKey(x: string | number): string {
  if (typeof x !== 'string' || !UUID.test(x)) throw badCursor();
  return x;
}

export function abstractPreview(s: string, max = 300): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

@Injectable()
export class ListingsService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  /** The latest UTC day that has papers (an index lookup). */
  async latestDay(): Promise<string | null> {
    const rows: { d: string | null }[] = await this.ds.query(`SELECT max(day)::text AS d FROM paper_days`);
    return rows[0]?.d ?? null;
  }

  async dayNeighbours(day: string): Promise<{ previous: string | null; next: string | null }> {
    const rows: { prev: string | null; next: string | null }[] = await this.ds.query(
      `SELECT (SELECT max(day) FROM paper_days WHERE day < $1::date)::text AS prev, (SELECT min(day) FROM paper_days WHERE day > $1::date)::text AS next`,
      [day],
    );
    return { previous: rows[0]?.prev ?? null, next: rows[0]?.next ?? null };
  }

  private offsetOf(q: { limit: number; p?: number }): number {
    const offset = (q.p ?? 0) * q.limit;
    if (offset > MAX_OFFSET) throw badRequest(`p × limit may be at most ${MAX_OFFSET}; use the cursor to go deeper`, [{ field: 'p', detail: 'too deep' }]);
    return offset;
  }

  /** Filters on a read-model row aliased `alias` (paper id column `idCol`). */
  private filters(params: SqlParams, q: { topic?: string[]; submitter?: string }, idCol: string, readAlias: string | null): string[] {
    const conds: string[] = [];
    if (q.topic?.length) conds.push(`EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = ${idCol} AND pt.topic_slug = ANY(${params.add(q.topic, 'text[]')}))`);
    if (q.submitter) {
      const s = params.add(q.submitter);
      conds.push(readAlias ? `${readAlias}.submitted_by = ${s}` : `EXISTS (SELECT 1 FROM paper_read r2 WHERE r2.paper_id = ${idCol} AND r2.submitted_by = ${s})`);
    }
    return conds;
  }

  async list(q: ListingQuery, now: Date = new Date()): Promise<ListingPage> {
    const sort = q.sort ?? 'rank';
    const period: ListingPeriod | null = q.period ?? (await this.latestDay().then((d) => (d ? { kind: 'day' as const, day: d } : null)));
    if (!period) return { period: null, previous: null, next: null, sort, total: 0, items: [], nextCursor: null, p: null };
    const range = periodRange(period);
    const key = periodKey(period);
    const head = { period: { kind: period.kind, key, ...range }, sort };
    if (period.kind === 'day') {
      const [page, neighbours] = await Promise.all([this.dayPage(period.day, sort, q), this.dayNeighbours(period.day)]);
      return { ...head, ...neighbours, ...page, items: await this.cards(page.ids, now, page.firstRank) };
    }
    const page = await this.rangePage(period, sort, q);
    return {
      ...head,
      previous: shiftPeriod(period, -1),
      next: shiftPeriod(period, 1),
      ...page,
      items: await this.cards(page.ids, now, page.firstRank),
    };
  }

  /** A day: at most that day's papers, paged by offset within the day. */
  private async dayPage(day: string, sort: ListingSort, q: ListingQuery) {
    let offset: number;
    if (q.cursor) {
      const c = decodeCursor(q.cursor, `day:${sort}:${day}`, 1);
      offset = typeof c.k[0] === 'number' && Number.isInteger(c.k[0]) && c.k[0] >= 0 ? c.k[0] : -1;
      if (offset < 0) throw badCursor();
    } else offset = this.offsetOf(q);
    const params = new SqlParams();
    const d = params.add(day, 'date');
    const conds = [`d.day = ${d}`, ...this.filters(params, q, 'd.paper_id', null)];
    const order =
      sort === 'rank'
        ? 'd.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id'
        : sort === 'published'
          ? 'd.sighted_at DESC, d.paper_id DESC'
          : `coalesce(r.trend_key, '-Infinity'::float8) DESC, d.sighted_at DESC, d.paper_id DESC`;
    const join = sort === 'trending' ? 'LEFT JOIN paper_read r ON r.paper_id = d.paper_id' : '';
    const where = conds.join(' AND ');
    const countParams = params.values.slice();
    const [rows, count] = await Promise.all([
      this.ds.query(
        `SELECT d.paper_id FROM paper_days d ${join} WHERE ${where} ORDER BY ${order} LIMIT ${params.add(q.limit + 1, 'int')} OFFSET ${params.add(offset, 'int')}`,
        params.values,
      ) as Promise<{ paper_id: string }[]>,
      this.ds.query(`SELECT count(*)::int AS n FROM paper_days d WHERE ${where}`, countParams) as Promise<{ n: number }[]>,
    ]);
    const ids = rows.slice(0, q.limit).map((r) => r.paper_id);
    const more = rows.length > q.limit;
    return {
      ids,
      firstRank: offset + 1,
      total: count[0]?.n ?? 0,
      nextCursor: more ? encodeCursor({ s: `day:${sort}:${day}`, k: [offset + ids.length] }) : null,
      p: q.cursor ? null : (q.p ?? 0),
    };
  }

  /** A week or a month: papers whose first appearance falls in it, by keyset through the period's index. */
  private async rangePage(period: Exclude<ListingPeriod, { kind: 'day' }>, sort: ListingSort, q: ListingQuery) {
    const params = new SqlParams();
    const range = periodRange(period);
    const byTrend = sort !== 'published';
    const col = period.kind === 'week' ? 'week0' : 'month0';
    const conds = byTrend
      ? [`r.${col} = ${params.add(range.from, 'date')}`]
      : [`r.t0 >= ${params.add(range.from, 'date')}::timestamptz`, `r.t0 < (${params.add(range.to, 'date')} + 1)::timestamptz`];
    conds.push(...this.filters(params, q, 'r.paper_id', 'r'));
    const countWhere = conds.join(' AND ');
    const countParams = params.values.slice();
    const tk = `coalesce(r.trend_key, '-Infinity'::float8)`;
    const cursorName = `${period.kind}:${sort}:${periodKey(period)}`;
    let offset = 0;
    if (q.cursor) {
      const c = decodeCursor(q.cursor, cursorName, byTrend ? 3 : 2);
      if (byTrend)
        conds.push(`(${tk}, r.t0, r.paper_id) < (${params.add(floatKey(c.k[0]), 'float8')}, ${params.add(tsKey(c.k[1]), 'timestamptz')}, ${params.add(idKey(c.k[2]), 'uuid')})`);
      else conds.push(`(r.t0, r.paper_id) < (${params.add(tsKey(c.k[0]), 'timestamptz')}, ${params.add(idKey(c.k[1]), 'uuid')})`);
    } else offset = this.offsetOf(q);
    const order = byTrend ? `${tk} DESC, r.t0 DESC, r.paper_id DESC` : 'r.t0 DESC, r.paper_id DESC';
    const [rows, count] = await Promise.all([
      this.ds.query(
        `SELECT r.paper_id, r.trend_key, r.t0 FROM paper_read r WHERE ${conds.join(' AND ')} ORDER BY ${order}
          LIMIT ${params.add(q.limit + 1, 'int')} OFFSET ${params.add(offset, 'int')}`,
        params.values,
      ) as Promise<{ paper_id: string; trend_key: number | null; t0: Date }[]>,
      this.ds.query(`SELECT count(*)::int AS n FROM paper_read r WHERE ${countWhere}`, countParams) as Promise<{ n: number }[]>,
    ]);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    let nextCursor: string | null = null;
    if (rows.length > q.limit && last) {
      const t0 = new Date(last.t0).toISOString();
      nextCursor = encodeCursor({
        s: cursorName,
        k: byTrend ? [last.trend_key === null ? '-Infinity' : String(last.trend_key), t0, last.paper_id] : [t0, last.paper_id],
      });
    }
    return { ids: page.map((r) => r.paper_id), firstRank: offset + 1, total: count[0]?.n ?? 0, nextCursor, p: q.cursor ? null : (q.p ?? 0) };
  }

  /** Papers that first appeared within the window and have a signal, by trend_key (= decayed score). */
  async trending(q: TrendingQuery, now: Date = new Date()): Promise<TrendingPage> {
    const params = new SqlParams();
    const conds = [
      'r.trend_key IS NOT NULL',
      `r.t0 >= ${params.add(now.toISOString(), 'timestamptz')} - make_interval(hours => ${params.add(TRENDING_WINDOW_HOURS[q.window], 'int')})`,
      ...this.filters(params, q, 'r.paper_id', 'r'),
    ];
    let offset = 0;
    if (q.cursor) {
      const c = decodeCursor(q.cursor, `trending:${q.window}`, 2);
      conds.push(`(r.trend_key, r.paper_id) < (${params.add(floatKey(c.k[0]), 'float8')}, ${params.add(idKey(c.k[1]), 'uuid')})`);
    } else offset = this.offsetOf(q);
    const rows: { paper_id: string; trend_key: number }[] = await this.ds.query(
      `SELECT r.paper_id, r.trend_key FROM paper_read r WHERE ${conds.join(' AND ')}
        ORDER BY r.trend_key DESC, r.paper_id DESC LIMIT ${params.add(q.limit + 1, 'int')} OFFSET ${params.add(offset, 'int')}`,
      params.values,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      window: q.window,
      items: await this.cards(
        page.map((r) => r.paper_id),
        now,
        offset + 1,
      ),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ s: `trending:${q.window}`, k: [String(last.trend_key), last.paper_id] }) : null,
    };
  }

  /** Cards for these papers, in this order (unknown ids dropped): four indexed lookups by id. */
  async cards(ids: string[], now: Date = new Date(), firstRank = 1): Promise<PaperCardRow[]> {
    if (ids.length === 0) return [];
    const [papers, topics, claims, sources] = await Promise.all([
      this.ds.query(
        `SELECT p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.published_at, p.links, p.primary_topic,
                r.t0, r.featured_at, r.upvotes, r.comments, r.stars, r.submitted_by, r.trend_key
           FROM papers p LEFT JOIN paper_read r ON r.paper_id = p.id WHERE p.id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<
        {
          id: string;
          arxiv_id: string | null;
          title: string;
          abstract: string;
          authors: PaperAuthor[];
          published_at: Date | null;
          links: PaperLinks;
          primary_topic: string | null;
          t0: Date | null;
          featured_at: Date | null;
          upvotes: number | null;
          comments: number | null;
          stars: number | null;
          submitted_by: string | null;
          trend_key: number | null;
        }[]
      >,
      this.ds.query(
        `SELECT pt.paper_id, pt.topic_slug, coalesce(t.name, pt.topic_slug) AS name, pt.score
           FROM paper_topics pt LEFT JOIN topics t ON t.slug = pt.topic_slug
          WHERE pt.paper_id = ANY($1::uuid[]) ORDER BY pt.is_primary DESC, pt.score DESC, pt.topic_slug`,
        [ids],
      ) as Promise<{ paper_id: string; topic_slug: string; name: string; score: number }[]>,
      this.ds.query(`SELECT ${CLAIM_COLUMNS} FROM paper_claims c WHERE c.paper_id = ANY($1::uuid[]) ORDER BY c.start`, [ids]) as Promise<ClaimRow[]>,
      this.ds.query(
        `SELECT DISTINCT ps.paper_id, ps.source_kind AS kind, s.name FROM paper_sources ps JOIN sources s ON s.id = ps.source_id
          WHERE ps.paper_id = ANY($1::uuid[]) ORDER BY ps.paper_id, s.name`,
        [ids],
      ) as Promise<{ paper_id: string; kind: string; name: string }[]>,
    ]);
    const group = <T extends { paper_id: string }>(xs: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) {
        const l = m.get(x.paper_id);
        if (l) l.push(x);
        else m.set(x.paper_id, [x]);
      }
      return m;
    };
    const byId = new Map(papers.map((p) => [p.id, p]));
    const topicsBy = group(topics);
    const claimsBy = group(claims);
    const sourcesBy = group(sources);
    const out: PaperCardRow[] = [];
    for (const id of ids) {
      const p = byId.get(id);
      if (!p) continue;
      const headline = pickHeadline(claimsBy.get(id) ?? []);
      const links = p.links ?? { code: [], project: [] };
      out.push({
        id,
        arxivId: p.arxiv_id,
        title: p.title,
        abstract: p.abstract,
        abstractPreview: abstractPreview(p.abstract),
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
        githubRepo: links.code?.[0] ?? null,
        projectPage: links.project?.[0] ?? null,
        links,
        sources: (sourcesBy.get(id) ?? []).map((s) => ({ kind: s.kind, name: s.name })),
        topics: (topicsBy.get(id) ?? []).map((t) => ({ slug: t.topic_slug, name: t.name, score: t.score })),
        primaryTopic: p.primary_topic,
        headlineClaim: headline ? toClaimDto(headline) : null,
        trendingScore: trendScore(p.trend_key, now),
        rank: firstRank + out.length,
      });
    }
    return out;
  }
}
