import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLAIM_CATEGORIES, CLAIM_KINDS, CLAIM_UNITS, CONTRIBUTION_TYPES, FEED_FORMATS } from '@paperwire/contracts';

/** The paper's own date: only from a source that states one; null otherwise (never a listing date or first sighting). */
const PUBLISHED_AT_NOTE =
  "the paper's publication date as a source states it (arXiv); null when none does (a Daily Papers text capture states none: a paper's sightings[].featuredAt says when it was listed)";

const UPDATED_AT =
  'when the record last changed in a way a reader sees: a new version or metadata from a source, a classification that changed its topics, primary topic or contribution, a re-extraction that changed its claims (feed entries are dated by it)';

/**
 * `trendingScore` wherever a paper is served (list, detail, cards, /v1/trending): one score, the read model's
 * (libs/db read-model.ts `trendScore`), so a sort=trending page shows it in order.
 */
export const TRENDING_SCORE_PROPERTY = {
  type: Number,
  minimum: 0,
  description:
    "the decayed trending score /v1/trending shows: signal · 2^(−hours since the paper was listed / 48), evaluated at the start of the request's minute and rounded to 3 decimals (signal = upvotes + 2·comments + GitHub stars, max over sightings, + 3 when both Hugging Face and arXiv listed it: more sources of one of them add nothing; listed: the earliest day a source listed it, the Daily Papers' feature or arXiv's announcement, else its publication date, else the day PaperWire first saw it). 0 when the paper has no signal, and also once a real signal has decayed below 0.0005 (about 20 days after listing for a signal of 1): hasTrendingSignal tells them apart. sort=trending orders by it",
};

/** `hasTrendingSignal` beside every `trendingScore`: whether the paper has a signal at all (a score of 0 may be a decayed one). */
export const HAS_TRENDING_SIGNAL_PROPERTY = {
  type: Boolean,
  description:
    'whether the paper has a trending signal (upvotes, comments, GitHub stars, or a listing on both Hugging Face and arXiv): false, it is never trending and trendingScore is 0; true, trendingScore is its decayed score, which rounds to 0 some weeks after the paper was listed',
};

/** A paper's community signals, the same in the list items and the detail (the highest over its sightings). */
const UPVOTES_PROPERTY = {
  nullable: true,
  type: 'integer',
  description: 'community upvotes (max over sightings), as the daily and trending items give them; null when no source gives any',
} as const;
const COMMENTS_PROPERTY = { nullable: true, type: 'integer', description: 'comments (max over sightings); null when no source gives any' } as const;
const GITHUB_STARS_PROPERTY = { nullable: true, type: 'integer', description: 'GitHub stars (max over sightings); null when no source gives any' } as const;

export class AuthorDto {
  @ApiProperty() name: string;
  @ApiPropertyOptional() affiliation?: string;
}

const WEB_ONLY = 'absolute http(s) addresses only: a stored link that is anything else (javascript:, data:, relative) is left out';

const LINK_KINDS = ['code', 'model', 'dataset', 'space', 'project'] as const;

/** One code or project link as the pages, feeds and mails show it (labelledLinks in @paperwire/contracts). */
export class LabelledLinkDto {
  @ApiProperty({ enum: LINK_KINDS, description: 'what the link is: a code repository, a Hugging Face model, dataset or Space, or a project page' })
  kind: (typeof LINK_KINDS)[number];
  @ApiProperty({ example: 'Model on Hugging Face', description: 'what the pages call it' }) label: string;
  @ApiProperty({ example: 'Model', description: 'its short name (cards, feeds)' }) short: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ enum: ['code', 'project'], description: 'the list the source gave it in' }) listedAs: 'code' | 'project';
}

/** A paper's links as stored from its sources, web addresses only (servedLinks in @paperwire/contracts). */
export class LinksDto {
  @ApiPropertyOptional({ description: 'abstract page; absent when the source gave none that is an http(s) address' }) abs?: string;
  @ApiPropertyOptional({ description: 'PDF; absent when the source gave none that is an http(s) address' }) pdf?: string;
  @ApiProperty({
    type: [String],
    description: `code repositories, ${WEB_ONLY}. A Hugging Face model, dataset or Space a source listed as code is not a code repository: it is in \`labelled\`, by its kind (before 2026-12-07 it was listed here too)`,
  })
  code: string[];
  @ApiProperty({ type: [String], description: `project pages, ${WEB_ONLY}` }) project: string[];
  @ApiProperty({
    type: [LabelledLinkDto],
    description: 'every code and project link, each once, by what it is (code, model, dataset, space, project) and labelled as the paper page, the feeds and the digest mails label it',
  })
  labelled: LabelledLinkDto[];
}

export class TopicScoreDto {
  @ApiProperty() slug: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) score: number;
}

export class TopicDetailDto extends TopicScoreDto {
  @ApiProperty() isPrimary: boolean;
  @ApiProperty({ type: [String], description: 'terms or rules behind the topic' }) evidence: string[];
  @ApiProperty() modelVersion: string;
}

export class BaselineDto {
  @ApiProperty() value: number;
  @ApiProperty() text: string;
}

/** One numeric claim of an abstract (DESIGN §6). */
export class ClaimDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', description: 'span start in the abstract' }) start: number;
  @ApiProperty({ type: 'integer', description: 'span end (exclusive)' }) end: number;
  @ApiProperty() text: string;
  @ApiProperty({ description: 'the number (upper bound of a range)' }) value: number;
  @ApiProperty({ nullable: true, type: Number, description: 'lower bound of a range' }) low: number | null;
  @ApiProperty({ enum: CLAIM_UNITS }) unit: string;
  @ApiProperty({ nullable: true, type: String }) unitText: string | null;
  @ApiProperty({ enum: CLAIM_CATEGORIES }) category: string;
  @ApiProperty({ enum: CLAIM_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String }) metric: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) improvement: boolean | null;
  @ApiProperty({ nullable: true, type: BaselineDto }) baseline: BaselineDto | null;
  @ApiProperty({ nullable: true, type: String }) comparedTo: string | null;
  @ApiProperty({ nullable: true, type: String }) dataset: string | null;
  @ApiProperty({ nullable: true, type: String }) qualifier: string | null;
  @ApiProperty() isHeadline: boolean;
  @ApiProperty({ description: 'human-readable summary of the claim' }) summary: string;
}

export class PaperSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: '2401.00001' }) arxivId: string | null;
  @ApiProperty({ nullable: true, type: String }) doi: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ type: [AuthorDto] }) authors: AuthorDto[];
  @ApiProperty() abstract: string;
  @ApiPropertyOptional({ description: 'HTML snippet with <mark> around matched terms (text is escaped); only with q' }) snippet?: string;
  @ApiPropertyOptional({ description: 'full-text rank; only with q' }) rank?: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: PUBLISHED_AT_NOTE }) publishedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: UPDATED_AT }) updatedAt: string;
  @ApiProperty({ type: LinksDto }) links: LinksDto;
  @ApiProperty() hasCode: boolean;
  @ApiProperty({ nullable: true, type: String }) primaryTopic: string | null;
  @ApiProperty({ type: [TopicScoreDto] }) topics: TopicScoreDto[];
  @ApiProperty({ nullable: true, enum: CONTRIBUTION_TYPES }) contribution: string | null;
  @ApiProperty({ nullable: true, type: ClaimDto }) headlineClaim: ClaimDto | null;
  @ApiProperty({ type: 'integer', description: 'number of sources that listed the paper' }) sightings: number;
  @ApiProperty(TRENDING_SCORE_PROPERTY)
  trendingScore: number;
  @ApiProperty(HAS_TRENDING_SIGNAL_PROPERTY) hasTrendingSignal: boolean;
  @ApiProperty(UPVOTES_PROPERTY) upvotes: number | null;
  @ApiProperty(COMMENTS_PROPERTY) comments: number | null;
  @ApiProperty(GITHUB_STARS_PROPERTY) githubStars: number | null;
}

export class PaperPageDto {
  @ApiProperty({ type: [PaperSummaryDto] }) items: PaperSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
  @ApiPropertyOptional({
    description:
      'only when a search (`q`) matched nothing on its first page: the same search with its misspelt words corrected ("sparse transfomer" → "sparse transformer"), present only when that search matches a paper under the same filters',
  })
  didYouMean?: string;
}

export class SightingDto {
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty() sourceName: string;
  @ApiProperty() sourceKind: string;
  @ApiProperty({
    nullable: true,
    enum: FEED_FORMATS,
    description: 'the feed format the sighting was read in, whatever the source kind (a file or an upload of a Hugging Face Daily Papers response is hf-daily-papers): which public feed it stands for; null when none',
  })
  feed: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceItemId: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) upvotes: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) comments: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) githubStars: number | null;
  @ApiProperty({ nullable: true, type: String }) announceType: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) featuredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedBy: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
}

export class VersionDto {
  @ApiProperty({ nullable: true, type: 'integer' }) version: number | null;
  @ApiProperty() contentHash: string;
  @ApiProperty() title: string;
  @ApiProperty() abstract: string;
  @ApiProperty({ format: 'date-time' }) seenAt: string;
}

export class StageTimesDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when the paper was last parsed from a source document (title, abstract, authors read)' })
  parsedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when the paper was last assigned its topics, primary topic and contribution type' })
  classifiedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when its numeric claims were last extracted from the abstract' })
  extractedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when it first finished the pipeline and was matched against the subscriptions (webhooks and mails sent or queued): a reclassify or reextract matches it again but keeps this time (it is not a new paper to subscribers), a new version sets it anew; null until then and while it is in the pipeline again' })
  notifiedAt: string | null;
}

export class PaperDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) arxivId: string | null;
  @ApiProperty({ nullable: true, type: String }) doi: string | null;
  @ApiProperty() title: string;
  @ApiProperty() abstract: string;
  @ApiProperty({ nullable: true, type: String }) originalTitle: string | null;
  @ApiProperty({ nullable: true, type: String }) originalAbstract: string | null;
  @ApiProperty({ type: [AuthorDto] }) authors: AuthorDto[];
  @ApiProperty({ type: [String], description: 'arXiv categories as the source gave them, primary first when known' }) categories: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'cs.CL',
    description:
      'the arXiv category the classifier predicts from the title and abstract (naive Bayes; primary category right for about two papers in three, the right archive for about four in five), given only when `categories` is empty (Hugging Face, page and text sources give none); null otherwise',
  })
  predictedCategory: string | null;
  @ApiProperty({ type: LinksDto }) links: LinksDto;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty() hasCode: boolean;
  @ApiProperty({ nullable: true, type: 'integer' }) version: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: PUBLISHED_AT_NOTE }) publishedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) primaryTopic: string | null;
  @ApiProperty({ nullable: true, type: String }) contribution: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'clf-2.c6399ec363+lin-7.6a04ddf2d3+tax.48760674fc',
    description:
      'the classifier build that assigned the topics: model, linear-head and taxonomy fingerprints; `paperwire reclassify` re-classifies the papers whose version is not the running one; null before classification',
  })
  classifierVersion: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'metrics-1.27.0',
    description: 'the claim-extractor version that extracted `claims` (`paperwire reextract` re-extracts the papers of another version); null before extraction',
  })
  extractorVersion: string | null;
  @ApiProperty(TRENDING_SCORE_PROPERTY) trendingScore: number;
  @ApiProperty(HAS_TRENDING_SIGNAL_PROPERTY) hasTrendingSignal: boolean;
  @ApiProperty(UPVOTES_PROPERTY) upvotes: number | null;
  @ApiProperty(COMMENTS_PROPERTY) comments: number | null;
  @ApiProperty(GITHUB_STARS_PROPERTY) githubStars: number | null;
  @ApiProperty({ type: [TopicDetailDto] }) topics: TopicDetailDto[];
  @ApiProperty({ type: [ClaimDto] }) claims: ClaimDto[];
  @ApiProperty({ nullable: true, type: ClaimDto }) headlineClaim: ClaimDto | null;
  @ApiProperty({ type: [SightingDto] }) sightings: SightingDto[];
  @ApiProperty({ type: [VersionDto] }) versions: VersionDto[];
  @ApiProperty({
    enum: ['parsed', 'classified', 'extracted', 'notified'],
    description:
      'how far the paper has gone through the pipeline, in order: parsed (read from a source), classified (topics assigned), extracted (claims extracted), notified (matched against the subscriptions: fully processed). Topics, claims and headline are empty or partial before `classified` / `extracted`',
  })
  stage: string;
  @ApiProperty({ format: 'date-time', description: 'when the paper reached its current `stage`' }) stageAt: string;
  @ApiProperty({ type: StageTimesDto, description: 'when the paper last passed each stage (null: not yet); a reprocess moves the stage back and these times on' })
  stageTimes: StageTimesDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: UPDATED_AT }) updatedAt: string;
}
