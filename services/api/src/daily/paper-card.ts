import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { PaperAuthor, PaperLinks } from '@paperwire/contracts';
import { CLAIM_COLUMNS, pickHeadline, toClaimDto, type ClaimRow } from '../claims/claim-row';
import { AuthorDto, ClaimDto, LinksDto } from '../papers/paper.dto';

export class CardTopicDto {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) score: number;
}

/** A paper as the Daily Papers list shows it: enough for a card, no abstract body. */
export class PaperCardDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) arxivId: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ type: [AuthorDto] }) authors: PaperAuthor[];
  @ApiProperty() abstract: string;
  @ApiProperty({ type: LinksDto }) links: PaperLinks;
  @ApiProperty() hasCode: boolean;
  @ApiProperty({ nullable: true, type: String }) primaryTopic: string | null;
  @ApiProperty({ type: [CardTopicDto] }) topics: CardTopicDto[];
  @ApiProperty({ nullable: true, type: ClaimDto }) headlineClaim: ClaimDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'community upvotes (max over sightings)' })
  upvotes: number | null;
  @ApiProperty({ nullable: true, type: Number }) comments: number | null;
  @ApiProperty({ nullable: true, type: Number }) githubStars: number | null;
  @ApiProperty({ description: 'sightings across sources' }) sightings: number;
  @ApiProperty() trendingScore: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'when the sighting that put it on this day became visible',
  })
  sightedAt?: string | null;
}

/** The columns every card query selects (alias p = papers). */
export const CARD_PAPER_COLUMNS = `p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.links, p.has_code, p.primary_topic, p.trending_score`;

export interface CardPaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  links: PaperLinks;
  has_code: boolean;
  primary_topic: string | null;
  trending_score: number;
  sighted_at?: Date | null;
}

/** Topics (with names), headline claims and community signals for a page of papers, in three queries. */
export async function loadCards(ds: DataSource, rows: CardPaperRow[]): Promise<PaperCardDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [topics, claims, signals] = await Promise.all([
    ds.query(
      `SELECT pt.paper_id, pt.topic_slug, coalesce(t.name, pt.topic_slug) AS name, pt.score
         FROM paper_topics pt LEFT JOIN topics t ON t.slug = pt.topic_slug
        WHERE pt.paper_id = ANY($1::uuid[]) ORDER BY pt.is_primary DESC, pt.score DESC, pt.topic_slug`,
      [ids],
    ) as Promise<{ paper_id: string; topic_slug: string; name: string; score: number }[]>,
    ds.query(
      `SELECT ${CLAIM_COLUMNS} FROM paper_claims c WHERE c.paper_id = ANY($1::uuid[]) ORDER BY c.start`,
      [ids],
    ) as Promise<ClaimRow[]>,
    ds.query(
      `SELECT paper_id, max(upvotes) AS upvotes, max(comments) AS comments, max(github_stars) AS stars, count(*)::int AS n
         FROM paper_sources WHERE paper_id = ANY($1::uuid[]) GROUP BY paper_id`,
      [ids],
    ) as Promise<
      { paper_id: string; upvotes: number | null; comments: number | null; stars: number | null; n: number }[]
    >,
  ]);
  const group = <T extends { paper_id: string }>(xs: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const list = m.get(x.paper_id);
      if (list) list.push(x);
      else m.set(x.paper_id, [x]);
    }
    return m;
  };
  const topicsBy = group(topics);
  const claimsBy = group(claims);
  const signalBy = new Map(signals.map((s) => [s.paper_id, s]));
  return rows.map((r) => {
    const headline = pickHeadline(claimsBy.get(r.id) ?? []);
    const sig = signalBy.get(r.id);
    const card: PaperCardDto = {
      id: r.id,
      arxivId: r.arxiv_id,
      title: r.title,
      authors: r.authors,
      abstract: r.abstract,
      links: r.links,
      hasCode: r.has_code,
      primaryTopic: r.primary_topic,
      topics: (topicsBy.get(r.id) ?? []).map((t) => ({ slug: t.topic_slug, name: t.name, score: t.score })),
      headlineClaim: headline ? toClaimDto(headline) : null,
      upvotes: sig?.upvotes ?? null,
      comments: sig?.comments ?? null,
      githubStars: sig?.stars ?? null,
      sightings: sig?.n ?? 0,
      trendingScore: r.trending_score,
    };
    if (r.sighted_at !== undefined)
      card.sightedAt = r.sighted_at ? new Date(r.sighted_at).toISOString() : null;
    return card;
  });
}
