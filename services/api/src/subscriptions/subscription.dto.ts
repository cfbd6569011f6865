import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUBSCRIPTION_MODES } from '@paperwire/actions';

export class ScheduleDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 }) hour: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 59 }) minute: number;
  @ApiProperty({ example: 'Europe/Paris' }) timeZone: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday (weekly only)' }) weekday?: number;
  @ApiPropertyOptional({ type: 'integer' }) limit?: number;
}

export class CreateSubscriptionDto {
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty({ description: 'webhook URL (http/https, public address) or email address' }) target: string;
  @ApiPropertyOptional({
    description: 'SubscriptionFilter: topics {slugs, match any|all, minScore}, keywords, authors, sources, hasCode, claims [{metric, kind, unit, min, max}]',
    type: 'object',
    additionalProperties: true,
  })
  filters?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: SUBSCRIPTION_MODES }) mode?: string;
  @ApiPropertyOptional({ type: ScheduleDto }) schedule?: ScheduleDto;
}

export class UpdateSubscriptionDto {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() target?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) filters?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: SUBSCRIPTION_MODES }) mode?: string;
  @ApiPropertyOptional({ type: ScheduleDto, nullable: true }) schedule?: ScheduleDto | null;
  @ApiPropertyOptional({ enum: ['active', 'paused'], description: 'pause / resume' }) status?: string;
  @ApiPropertyOptional({
    default: true,
    description:
      'when resuming a paused instant subscription: also deliver the papers notified while it was paused (at most the last 7 days and 10,000 papers, oldest first). Digests need none: their next digest covers its period.',
  })
  backfill?: boolean;
}

export class SubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty() target: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) filters: Record<string, unknown>;
  @ApiProperty({ enum: SUBSCRIPTION_MODES }) mode: string;
  @ApiProperty({ type: ScheduleDto, nullable: true }) schedule: Record<string, unknown> | null;
  @ApiProperty({ enum: ['active', 'paused', 'disabled', 'pending_confirmation'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ type: 'integer' }) consecutiveFailures: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'when it was paused (null unless paused)' })
  pausedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedSubscriptionDto extends SubscriptionDto {
  @ApiPropertyOptional({ description: 'webhook signing secret (Standard Webhooks whsec_…), shown only once' }) secret?: string;
}

export class SubscriptionBackfillDto {
  @ApiProperty({ description: 'id of the queued backfill job (one per pause: resuming twice queues it once)' }) jobId: string;
  @ApiProperty({ format: 'date-time', description: 'papers notified since then are checked against the filters' }) since: string;
  @ApiProperty({ type: 'integer', description: 'papers notified since then so far (at most 10,000), to be checked' }) papersToCheck: number;
}

export class UpdatedSubscriptionDto extends SubscriptionDto {
  @ApiPropertyOptional({ type: SubscriptionBackfillDto, description: 'present when a resume queued a backfill' })
  backfill?: SubscriptionBackfillDto;
}

export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionDto] }) items: SubscriptionDto[];
}
