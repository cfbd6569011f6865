import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';
import { decodeCursor, encodeCursor, type CursorKey } from '../common/cursor';
import { notFound } from '../common/problem';
import { SqlParams } from '../common/sql-builder';
import { isUuid } from '../common/sql';
import { CLAIM_COLUMNS, pickHeadline, toClaimDto, type ClaimRow } from '../claims/claim-row';
import type { PaperDetailDto, PaperPageDto, PaperSummaryDto, SightingDto, TopicDetailDto, VersionDto } from './paper.dto';
import { SORT_AT, paperConditions, type PaperFilters, type PaperSort } from './paper-query';
import { READ_DATA_SOURCE } from '../common/read-db';

interface PaperListRow {
  id: string;
  arxiv_id: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  links: PaperLinks;
  has_code: boolean;
  primary_topic: string | null;
  contribution: string | null;
  trending_score: number;
  sort_at: string;
  rank?: number;
  snippet?: string;
}

const ARXIV_NEW = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const ARXIV_OLD = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;
// Sentinels for ts_headline: the text is HTML-escaped afterwards and the sentinels become <mark>.
const HL_START = '\u27e6';
const HL_STOP = '\u27e7';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function markSnippet(raw: string): string {
  return escapeHtml(raw).split(HL_START).join('<mark>').split(HL_STOP).join('</mark>');
}

export function normaliseArxivId(s: string): string | null {
  const m = ARXIV_NEW.exec(s) ?? ARXIV_OLD.exec(s);
  return m ? m[1] : null;
}

export interface ListOptions {
  filters: PaperFilters;
  sort: PaperSort;
  limit: number;
  cursor?: string;
}

/** Matches ranked by a relevance search: the newest this many (the page's cost stays bounded at any size). */
export const RELEVANCE_CANDIDATES = 1_000;

// What each sort's keyset holds, in order (see the keyset expressions in list()).
const CURSOR_SHAPE: Record<PaperSort, readonly CursorKey[]> = {
  recent: ['timestamp', 'uuid'],
  relevance: ['number', 'uuid'],
  trending: ['number', 'timestamp', 'uuid'],
};

@Injectable()
export class PapersService {
  constructor(@Inject(READ_DATA_SOURCE) private readonly ds: DataSource) {}

  async list(opts: ListOptions): Promise<PaperPageDto> {
    const { filters, sort, limit } = opts;
    const params = new SqlParams();
    const qParam = filters.q ? params.add(filters.q) : null;
    const tsQuery = qParam ? ` CROSS JOIN websearch_to_tsquery('english', ${qParam}) AS query` : '';
    let from = `papers p${tsQuery}`;
    const conds = paperConditions(filters, params);
    // Relevance ranks the RELEVANCE_CANDIDATES newest matches, not every match: a common word matches a good part
    // of a catalogue of millions, and ranking them all costs what the catalogue costs (seconds at 2.5M papers).
    if (sort === 'relevance' && qParam) {
      from = `(SELECT p.* FROM papers p${tsQuery} WHERE ${conds.join(' AND ')}
                ORDER BY ${SORT_AT} DESC, p.id DESC LIMIT ${RELEVANCE_CANDIDATES}) p${tsQuery}`;
      conds.length = 0;
    }
    const rankExpr = `(SELECT ts_rank_cd(s.search, query) FROM paper_search s WHERE s.paper_id = p.id)`;
    let order: string;
    let keyset: (k: (string | number)[]) => string;
    switch (sort) {
      case 'recent':
        order = `${SORT_AT} DESC, p.id DESC`;
        keyset = (k) => `(${SORT_AT}, p.id) < (${params.add(k[0], 'timestamptz')}, ${params.add(k[1], 'uuid')})`;
        break;
      case 'relevance':
        order = `${rankExpr} DESC, p.id DESC`;
        keyset = (k) => `(${rankExpr}, p.id) < (${params.add(k[0], 'real')}, ${params.add(k[1], 'uuid')})`;
        break;
      case 'trending':
        order = `p.trending_score DESC, ${SORT_AT} DESC, p.id DESC`;
        keyset = (k) =>
          `(p.trending_score, ${SORT_AT}, p.id) < (${params.add(k[0], 'float8')}, ${params.add(k[1], 'timestamptz')}, ${params.add(k[2], 'uuid')})`;
        break;
      default: {
        const never: never = sort;
        throw new Error(`unknown sort ${String(never)}`);
      }
    }
    if (opts.cursor) conds.push(keyset(decodeCursor(opts.cursor, sort, CURSOR_SHAPE[sort]).k));
    const extra = filters.q
      ? `, ${rankExpr} AS rank, ts_headline('english', p.abstract, query, 'StartSel=${HL_START}, StopSel=${HL_STOP}, MaxFragments=2, MaxWords=35, MinWords=12, FragmentDelimiter=" … "') AS snippet`
      : '';
    const rows: PaperListRow[] = await this.ds.query(
      `SELECT p.id, p.arxiv_id, p.doi, p.title, p.abstract, p.authors, p.published_at, p.created_at, p.updated_at, p.links, p.has_code,
              p.primary_topic, p.contribution, p.trending_score, ${SORT_AT}::text AS sort_at${extra}
         FROM ${from}
        ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY ${order}
        LIMIT ${params.add(limit + 1, 'int')}`,
      params.values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    let nextCursor: string | null = null;
    if (rows.length > limit && last) {
      const k: (string | number)[] =
        sort === 'recent' ? [last.sort_at, last.id] : sort === 'relevance' ? [Number(last.rank), last.id] : [last.trending_score, last.sort_at, last.id];
      nextCursor = encodeCursor({ s: sort, k });
    }
    return { items: await this.summaries(page), nextCursor };
  }

  /** Latest papers for feeds (no cursor). */
  async latest(filters: PaperFilters, limit: number): Promise<PaperSummaryDto[]> {
    return (await this.list({ filters, sort: 'recent', limit })).items;
  }

  private async summaries(rows: PaperListRow[]): Promise<PaperSummaryDto[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [topics, claims, sightings] = await Promise.all([
      this.ds.query(
        `SELECT paper_id, topic_slug, score FROM paper_topics WHERE paper_id = ANY($1::uuid[]) ORDER BY score DESC, topic_slug`,
        [ids],
      ) as Promise<{ paper_id: string; topic_slug: string; score: number }[]>,
      this.ds.query(`SELECT ${CLAIM_COLUMNS} FROM paper_claims c WHERE c.paper_id = ANY($1::uuid[]) ORDER BY c.start`, [ids]) as Promise<
        ClaimRow[]
      >,
      this.ds.query(`SELECT paper_id, count(*)::int AS n FROM paper_sources WHERE paper_id = ANY($1::uuid[]) GROUP BY paper_id`, [
        ids,
      ]) as Promise<{ paper_id: string; n: number }[]>,
    ]);
    const group = <T extends { paper_id: string }>(xs: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) m.set(x.paper_id, [...(m.get(x.paper_id) ?? []), x]);
      return m;
    };
    const topicsBy = group(topics);
    const claimsBy = group(claims);
    const sightingsBy = new Map(sightings.map((s) => [s.paper_id, s.n]));
    return rows.map((r) => {
      const headline = pickHeadline(claimsBy.get(r.id) ?? []);
      const dto: PaperSummaryDto = {
        id: r.id,
        arxivId: r.arxiv_id,
        doi: r.doi,
        title: r.title,
        authors: r.authors,
        abstract: r.abstract,
        publishedAt: iso(r.published_at),
        createdAt: new Date(r.created_at).toISOString(),
        links: r.links,
        hasCode: r.has_code,
        primaryTopic: r.primary_topic,
        topics: (topicsBy.get(r.id) ?? []).map((t) => ({ slug: t.topic_slug, score: t.score })),
        contribution: r.contribution,
        headlineClaim: headline ? toClaimDto(headline) : null,
        sightings: sightingsBy.get(r.id) ?? 0,
        trendingScore: r.trending_score,
      };
      if (r.snippet !== undefined) dto.snippet = markSnippet(r.snippet);
      if (r.rank !== undefined) dto.rank = Number(r.rank);
      return dto;
    });
  }

  async resolveId(idOrArxiv: string): Promise<string> {
    let rows: { id: string }[] = [];
    if (isUuid(idOrArxiv)) {
      rows = await this.ds.query(`SELECT id FROM papers WHERE id = $1::uuid`, [idOrArxiv]);
    } else {
      const arxiv = normaliseArxivId(idOrArxiv);
      if (arxiv) rows = await this.ds.query(`SELECT id FROM papers WHERE arxiv_id = $1 ORDER BY created_at LIMIT 1`, [arxiv]);
    }
    if (!rows[0]) throw notFound(`no paper with id ${JSON.stringify(idOrArxiv.slice(0, 100))}`);
    return rows[0].id;
  }

  async detail(idOrArxiv: string): Promise<PaperDetailDto> {
    const id = await this.resolveId(idOrArxiv);
    const [[p], topics, claims, sightings, versions] = await Promise.all([
      this.ds.query(`SELECT * FROM papers WHERE id = $1`, [id]),
      this.ds.query(
        `SELECT topic_slug, score, is_primary, evidence, model_version FROM paper_topics WHERE paper_id = $1 ORDER BY score DESC, topic_slug`,
        [id],
      ),
      this.ds.query(`SELECT ${CLAIM_COLUMNS} FROM paper_claims c WHERE c.paper_id = $1 ORDER BY c.start`, [id]),
      this.ds.query(
        `SELECT ps.*, s.name AS source_name FROM paper_sources ps JOIN sources s ON s.id = ps.source_id WHERE ps.paper_id = $1 ORDER BY ps.first_seen_at, s.name`,
        [id],
      ),
      this.ds.query(`SELECT version, content_hash, title, abstract, seen_at FROM paper_versions WHERE paper_id = $1 ORDER BY seen_at, version NULLS LAST`, [
        id,
      ]),
    ]);
    const claimRows = claims as ClaimRow[];
    const headline = pickHeadline(claimRows);
    return {
      id: p.id,
      arxivId: p.arxiv_id,
      doi: p.doi,
      title: p.title,
      abstract: p.abstract,
      originalTitle: p.original_title,
      originalAbstract: p.original_abstract,
      authors: p.authors,
      categories: p.categories,
      links: p.links,
      comment: p.comment,
      hasCode: p.has_code,
      version: p.version,
      publishedAt: iso(p.published_at),
      primaryTopic: p.primary_topic,
      contribution: p.contribution,
      classifierVersion: p.classifier_version,
      extractorVersion: p.extractor_version,
      trendingScore: p.trending_score,
      topics: (topics as { topic_slug: string; score: number; is_primary: boolean; evidence: string[]; model_version: string }[]).map(
        (t): TopicDetailDto => ({ slug: t.topic_slug, score: t.score, isPrimary: t.is_primary, evidence: t.evidence, modelVersion: t.model_version }),
      ),
      claims: claimRows.map(toClaimDto),
      headlineClaim: headline ? toClaimDto(headline) : null,
      sightings: (sightings as Record<string, never>[]).map(
        (s): SightingDto => ({
          sourceId: s.source_id,
          sourceName: s.source_name,
          sourceKind: s.source_kind,
          sourceItemId: s.source_item_id,
          upvotes: s.upvotes,
          comments: s.comments,
          githubStars: s.github_stars,
          announceType: s.announce_type,
          featuredAt: iso(s.featured_at),
          submittedBy: s.submitted_by,
          firstSeenAt: new Date(s.first_seen_at).toISOString(),
          lastSeenAt: new Date(s.last_seen_at).toISOString(),
        }),
      ),
      versions: (versions as { version: number | null; content_hash: string; title: string; abstract: string; seen_at: Date }[]).map(
        (v): VersionDto => ({ version: v.version, contentHash: v.content_hash, title: v.title, abstract: v.abstract, seenAt: new Date(v.seen_at).toISOString() }),
      ),
      stage: p.stage,
      stageAt: new Date(p.stage_at).toISOString(),
      stageTimes: { parsedAt: iso(p.parsed_at), classifiedAt: iso(p.classified_at), extractedAt: iso(p.extracted_at), notifiedAt: iso(p.notified_at) },
      createdAt: new Date(p.created_at).toISOString(),
      updatedAt: new Date(p.updated_at).toISOString(),
    };
  }
}
