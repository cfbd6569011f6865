import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import { parseEmailTarget, subscriptionFilterSchema } from '@paperwire/notifications';

// The notifier's own filter schema, so the API accepts exactly what the matcher understands.
export { subscriptionFilterSchema };

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = z
  .object({
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).default(0),
    timeZone: z.string().min(1).max(64).refine(validTimeZone, 'unknown IANA time zone').default('UTC'),
    weekday: z.number().int().min(0).max(6).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export const SUBSCRIPTION_MODES = ['instant', 'daily', 'weekly'] as const;

export const createSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    channel: z.enum(['webhook', 'email']),
    // not trimmed here: a trailing CR/LF must reach the email check (which trims spaces itself)
    target: z.string().min(3).max(2000),
    filters: subscriptionFilterSchema.default({}),
    mode: z.enum(SUBSCRIPTION_MODES).default('instant'),
    schedule: scheduleSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.channel === 'email') {
      const email = parseEmailTarget(v.target);
      if (!email.ok) ctx.addIssue({ code: 'custom', path: ['target'], message: `email subscriptions need one email address: ${email.error}` });
    }
    if (v.mode !== 'instant' && !v.schedule) ctx.addIssue({ code: 'custom', path: ['schedule'], message: `mode ${v.mode} needs a schedule` });
    if (v.mode === 'weekly' && v.schedule && v.schedule.weekday === undefined)
      ctx.addIssue({ code: 'custom', path: ['schedule', 'weekday'], message: 'weekly digests need a weekday (0 = Sunday)' });
  });

export const updateSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    target: z.string().min(3).max(2000).optional(),
    filters: subscriptionFilterSchema.optional(),
    mode: z.enum(SUBSCRIPTION_MODES).optional(),
    schedule: scheduleSchema.nullable().optional(),
    status: z.enum(['active', 'paused']).optional(),
    backfill: z.boolean().default(true),
  })
  .strict();

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
