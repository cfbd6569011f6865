import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { servedLinks, type PaperAuthor, type ServedLinks } from '@paperwire/contracts';
import { pickHeadline, toClaimView } from '@paperwire/actions';
import { cardSignalsOfPapers, cardTopicsOfPapers, claimsOfPapers, groupByPaper, servedTrendScore, type CardPaperRow, type Db } from '@paperwire/db';
import { AuthorDto, ClaimDto, HAS_TRENDING_SIGNAL_PROPERTY, LinksDto, TRENDING_SCORE_PROPERTY } from '../papers/paper.dto';

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
  @ApiProperty({ type: LinksDto }) links: ServedLinks;
  @ApiProperty() hasCode: boolean;
  @ApiProperty({ nullable: true, type: String }) primaryTopic: string | null;
  @ApiProperty({ type: [CardTopicDto] }) topics: CardTopicDto[];
  @ApiProperty({ nullable: true, type: ClaimDto }) headlineClaim: ClaimDto | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'community upvotes (max over sightings)' })
  upvotes: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) comments: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) githubStars: number | null;
  @ApiProperty({ type: 'integer', description: 'sightings across sources' }) sightings: number;
  @ApiProperty(TRENDING_SCORE_PROPERTY) trendingScore: number;
  @ApiProperty(HAS_TRENDING_SIGNAL_PROPERTY) hasTrendingSignal: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'when the sighting that put it on this day became visible',
  })
  sightedAt?: string | null;
}

export { CARD_PAPER_COLUMNS, type CardPaperRow } from '@paperwire/db';

/**
 * Topics (with names), headline claims and community signals for a page of papers, in three queries; each
 * card's trendingScore is its trend key's decayed score at `now` (trendScore: what /v1/trending shows).
 */
export async function loadCards(db: Db, rows: CardPaperRow[], now: Date = new Date()): Promise<PaperCardDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [topics, claims, signals] = await Promise.all([cardTopicsOfPapers(db, ids), claimsOfPapers(db, ids), cardSignalsOfPapers(db, ids)]);
  const topicsBy = groupByPaper(topics);
  const claimsBy = groupByPaper(claims);
  const signalBy = new Map(signals.map((s) => [s.paper_id, s]));
  return rows.map((r) => {
    const headline = pickHeadline(claimsBy.get(r.id) ?? [], r.abstract);
    const sig = signalBy.get(r.id);
    const card: PaperCardDto = {
      id: r.id,
      arxivId: r.arxiv_id,
      title: r.title,
      authors: r.authors,
      abstract: r.abstract,
      links: servedLinks(r.links),
      hasCode: r.has_code,
      primaryTopic: r.primary_topic,
      topics: (topicsBy.get(r.id) ?? []).map((t) => ({ slug: t.topic_slug, name: t.name, score: t.score })),
      headlineClaim: headline ? toClaimView(headline) : null,
      upvotes: sig?.upvotes ?? null,
      comments: sig?.comments ?? null,
      githubStars: sig?.stars ?? null,
      sightings: sig?.n ?? 0,
      trendingScore: servedTrendScore(r.trend_key, now),
      hasTrendingSignal: r.trend_key !== null,
    };
    if (r.sighted_at !== undefined)
      card.sightedAt = r.sighted_at ? new Date(r.sighted_at).toISOString() : null;
    return card;
  });
}
