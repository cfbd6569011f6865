import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { DELIVERY_EVENT_TYPES, DELIVERY_STATUSES, SECRET_GRACE_HOURS, SUBSCRIPTION_MODES } from '@paperwire/actions';
import { CLAIM_KINDS, CLAIM_UNITS } from '@paperwire/contracts';
import { DIGEST_DEFAULT_LIMIT } from '@paperwire/notifications';

// The SubscriptionFilter (libs/notifications filter.schema.ts, which validates it): all conditions present must
// hold; within one, any keyword / author / source / claim condition / example paper is enough.
export class TopicsFilterDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 100, description: 'topic slugs (lower-cased)' }) slugs: string[];
  @ApiPropertyOptional({ enum: ['any', 'all'], default: 'any' }) match?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'a topic counts from this score (default: any score above 0)' })
  minScore?: number;
}

export class ClaimConditionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'metric name (synonyms match: "memory" finds "GPU memory")' }) metric?: string;
  @ApiPropertyOptional({ enum: CLAIM_KINDS }) kind?: string;
  @ApiPropertyOptional({ enum: CLAIM_UNITS }) unit?: string;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
}

export class ExamplesFilterDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    example: ['2401.01234'],
    description:
      'example papers: catalogue paper ids (uuid), arXiv ids (any version, `arXiv:` prefix, arxiv.org URLs) or DOIs (bare, `doi:` or doi.org URLs). Resolved when the subscription is saved (a paper not in the catalogue is a 400 naming it) and stored as catalogue paper ids.',
  })
  papers: string[];
  @ApiProperty({
    minimum: -1,
    maximum: 1,
    example: 0.6,
    description:
      "a paper matches when its text vector's cosine to at least one example paper's is at least this (text vectors: the classifier's idf-weighted word vectors of title and abstract, unit length)",
  })
  minSimilarity: number;
}

export class SubscriptionFilterDto {
  @ApiPropertyOptional({ type: TopicsFilterDto }) topics?: TopicsFilterDto;
  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'words, "quoted phrases" or prefixes (token*) in title or abstract' })
  keywords?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'author names (full or last name, initials allowed)' }) authors?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'source names or kinds, in any case (a file source counts as the kind it replays), matched exactly as the `source` query filter matches them' }) sources?: string[];
  @ApiPropertyOptional() hasCode?: boolean;
  @ApiPropertyOptional({ type: [ClaimConditionDto], maxItems: 20 }) claims?: ClaimConditionDto[];
  @ApiPropertyOptional({ type: ExamplesFilterDto, description: 'papers similar to example papers' }) examples?: ExamplesFilterDto;
}

/** When a daily or weekly digest goes out (refused for mode instant, which sends each paper as it matches). */
export class ScheduleDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 }) hour: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 59, default: 0 }) minute?: number;
  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: 'Europe/Paris', default: 'UTC', description: 'IANA time zone of hour and minute' }) timeZone?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday (weekly only: refused for a daily digest)' }) weekday?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: DIGEST_DEFAULT_LIMIT, description: 'most papers per digest' }) limit?: number;
}

export class CreateSubscriptionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) name?: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty({
    minLength: 3,
    maxLength: 2000,
    description:
      'webhook URL (http/https, public address; stored normalised as the URL parser reads it, tab/CR/LF that would change the host refused) or email address',
  })
  target: string;
  @ApiPropertyOptional({ type: SubscriptionFilterDto, description: 'what to be notified of (none: every paper)' })
  filters?: SubscriptionFilterDto;
  @ApiPropertyOptional({ enum: SUBSCRIPTION_MODES }) mode?: string;
  @ApiPropertyOptional({ type: ScheduleDto, description: 'daily and weekly only (required there); refused for instant' }) schedule?: ScheduleDto;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) name?: string;
  @ApiPropertyOptional({ minLength: 3, maxLength: 2000 }) target?: string;
  @ApiPropertyOptional({ type: SubscriptionFilterDto }) filters?: SubscriptionFilterDto;
  @ApiPropertyOptional({ enum: SUBSCRIPTION_MODES }) mode?: string;
  @ApiPropertyOptional({ type: ScheduleDto, nullable: true }) schedule?: ScheduleDto | null;
  @ApiPropertyOptional({ enum: ['active', 'paused'], description: 'pause / resume; `active` also re-enables a subscription disabled by a 410 (once its endpoint is fixed)' }) status?: string;
  @ApiPropertyOptional({
    default: true,
    description:
      'when resuming a paused instant subscription, or re-enabling one disabled by a 410: also deliver the papers notified while it was paused or disabled, those the 410 failed or skipped among them (at most the last 7 days and 10,000 papers, oldest first). Digests need none: their next digest covers its period.',
  })
  backfill?: boolean;
}

export class SubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty() target: string;
  @ApiProperty({ type: SubscriptionFilterDto, description: 'as stored: example papers by catalogue paper id' })
  filters: Record<string, unknown>;
  @ApiProperty({ enum: SUBSCRIPTION_MODES }) mode: string;
  @ApiProperty({ type: ScheduleDto, nullable: true }) schedule: Record<string, unknown> | null;
  @ApiProperty({ enum: ['active', 'paused', 'disabled', 'pending_confirmation'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ type: 'integer', description: 'failed attempts since the last delivered message (retries included)' })
  consecutiveFailures: number;
  @ApiProperty({
    type: 'integer',
    description:
      'messages that failed for good (retries exhausted, refused or rejected) since the last delivered one: 20 pause a webhook endpoint. ' +
      'A failed attempt still to be retried does not count.',
  })
  failedMessages: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when it was paused (null unless paused)' })
  pausedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'webhook signing secrets that sign every message now: 2 during a secret rotation, 1 otherwise, 0 for email (the secrets are never returned)',
  })
  activeSecrets: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: "when a secret rotation's previous secret stops signing; null when none signs" })
  previousSecretExpiresAt: string | null;
}

export class CreatedSubscriptionDto extends SubscriptionDto {
  @ApiPropertyOptional({ description: 'webhook signing secret (Standard Webhooks whsec_…), shown only once' }) secret?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: SECRET_GRACE_HOURS.max,
    default: SECRET_GRACE_HOURS.default,
    description: 'hours the previous secret keeps signing beside the new one, unless retired earlier (retire-previous)',
  })
  graceHours?: number;
}

export class SubscriptionSecretsDto extends PickType(SubscriptionDto, ['id', 'activeSecrets', 'previousSecretExpiresAt'] as const) {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'previous secrets this call dropped (they sign nothing from now on)' }) retired: number;
}

export class RotatedSecretDto extends SubscriptionSecretsDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwK6Hk5s0GwUo=',
    description: 'the new signing secret (Standard Webhooks whsec_…), shown only once',
  })
  secret: string;
}

export class SubscriptionBackfillDto {
  @ApiProperty({ description: 'id of the queued backfill job (one per pause: resuming twice queues it once)' }) jobId: string;
  @ApiProperty({ format: 'date-time', description: 'papers notified since then are checked against the filters' }) since: string;
  @ApiProperty({ type: 'integer', description: 'papers the backfill will check or send, so far: those notified since then (at most 10,000), and those of its deliveries waiting to be sent again, such as the ones a 410 re-enable reopens (at most 10,000)' }) papersToCheck: number;
}

export class UpdatedSubscriptionDto extends SubscriptionDto {
  @ApiPropertyOptional({ type: SubscriptionBackfillDto, description: 'present when a resume queued a backfill' })
  backfill?: SubscriptionBackfillDto;
}

export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionDto] }) items: SubscriptionDto[];
  @ApiProperty({ nullable: true, type: String, description: 'cursor of the next page (pass as `cursor`); null on the last page' })
  nextCursor: string | null;
}

export class DeliveryLogEntryDto {
  @ApiProperty({ format: 'uuid', description: 'the message id: the `webhook-id` header of every attempt (dedupe on it), the same on a redelivery' })
  id: string;
  @ApiProperty({ enum: DELIVERY_EVENT_TYPES }) eventType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the paper of a paper.matched message; null for digests and confirmations' })
  paperId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "that paper's arXiv id (null for a paper without one, and for digests and confirmations)" })
  paperArxivId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "that paper's title (null for digests and confirmations)" })
  paperTitle: string | null;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: 'pending: not tried yet; retrying: failed, tried again at nextAttemptAt; held: waiting while the subscription is paused (not tried meanwhile; resuming it sends it); delivered; failed: for good (redeliver it); skipped: never sent (the subscription was disabled, or an empty digest)',
  })
  status: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'every attempt so far, those before a redelivery included (a redelivery is a fresh run of attempts; it keeps the count)' })
  attempts: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many times the message was redelivered' }) redeliveries: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'HTTP status of the last attempt that got an answer' }) lastHttpStatus: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the class of the last failure (`HTTP 503`, `timeout`, `connection refused`, `address refused`, `DNS lookup failed`…), never its text',
  })
  lastError: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when a pending or retrying delivery is tried next, when known (null while held by a pause)' })
  nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeliveryLogDto {
  @ApiProperty({ type: [DeliveryLogEntryDto], description: 'newest first' }) items: DeliveryLogEntryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'cursor of the next (older) page (pass as `cursor`); null on the last page' })
  nextCursor: string | null;
}

export class RedeliveryDto extends DeliveryLogEntryDto {
  @ApiProperty({ description: 'id of the queued deliver job' }) jobId: string;
}
