import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import {
  FAILED_JOB_QUEUES,
  KEY_REVOKED_REASON,
  createKey,
  listEverySubscription,
  listFailedJobs,
  listKeys,
  removePapers,
  removeSubscription,
  retryFailedJob,
  revokeKey,
  setSubscriptionStatus,
  validate,
  type CreatedApiKey,
} from '@paperwire/actions';
import { API_KEY_SCOPES } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { DATA_SOURCE, LOGGER, QUEUE_SET } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { z } from 'zod';
import { RequireScope } from '../auth/auth.guard';
import { ApiPaging, ApiProblems, DeleteRoute, ApiIntQuery } from '../common/api-docs';
import { parseInput } from '../common/validation';
import { pageAfter, pageBody, subscriptionPageParams } from '../subscriptions/subscription-page';

const QUEUE_NAMES = [...FAILED_JOB_QUEUES];

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'first 12 characters of the key' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the key; shown once, store it now' }) key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, minItems: 1, maxItems: 3 }) scopes: string[];
}

export class FailedJobDto {
  @ApiProperty() queue: string;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() failedReason: string;
  @ApiProperty({ type: 'integer' }) attemptsMade: number;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: unknown;
}

export class FailedJobListDto {
  @ApiProperty({ type: [FailedJobDto], description: 'newest failure first' }) items: FailedJobDto[];
}

export class RetriedJobDto {
  @ApiProperty() queue: string;
  @ApiProperty() jobId: string;
  @ApiProperty({ description: 'the job state after the retry, e.g. waiting' }) state: string;
}

export const adminSubscriptionPatchSchema = z.object({ status: z.enum(['active', 'paused']) }).strict();

export class AdminSubscriptionPatchDto {
  @ApiProperty({ enum: ['active', 'paused'], description: 'resume or pause (no backfill)' }) status: string;
}

export class AdminSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the key that made it (null: Subscribe form or CLI)' }) ownerKeyId: string | null;
  @ApiProperty({ description: 'whether the owning key is revoked' }) ownerRevoked: boolean;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty() target: string;
  @ApiProperty() mode: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AdminSubscriptionListDto {
  @ApiProperty({ type: [AdminSubscriptionDto] }) items: AdminSubscriptionDto[];
  @ApiProperty({ nullable: true, type: String, description: 'cursor of the next page (pass as `cursor`); null on the last page' })
  nextCursor: string | null;
}

const adminSubscriptionCursorSchema = z.object({ cursor: subscriptionPageParams.cursor });

@ApiTags('admin')
@RequireScope('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Post('keys')
  @ApiOperation({ summary: 'Create an API key (the first admin key comes from the CLI: paperwire keys create --scopes admin)' })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403, 429)
  async createKey(@Body() body: unknown): Promise<CreatedApiKey> {
    return createKey(this.ds, body);
  }

  @Get('keys')
  @ApiOperation({ summary: 'List API keys (prefix, scopes, last use; never the key itself)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(401, 403, 429)
  async keys(): Promise<ApiKeyListDto> {
    return { items: await listKeys(this.ds) };
  }

  @DeleteRoute(
    'keys/:id',
    `Revoke a key (by id or prefix); its subscriptions are paused with the reason "${KEY_REVOKED_REASON}" (unconfirmed ones disabled)`,
    'revoked',
  )
  async revoke(@Param('id') id: string): Promise<void> {
    await revokeKey(this.ds, id);
  }

  @Get('subscriptions')
  @ApiOperation({
    summary: 'Every subscription, whoever owns it (e.g. ownerKeyId or reason="key revoked" after a revocation), a page at a time',
    description: 'Oldest first (creation time, then id); follow `nextCursor` until it is null.',
  })
  @ApiQuery({ name: 'ownerKeyId', required: false, description: 'the id of the key that made them, as GET /v1/admin/keys lists it', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'paused', 'disabled', 'pending_confirmation'] })
  @ApiQuery({ name: 'reason', required: false, description: 'exact status reason, e.g. key revoked' })
  @ApiPaging()
  @ApiOkResponse({ type: AdminSubscriptionListDto })
  @ApiProblems(400, 401, 403, 429)
  async subscriptions(@Query() query: Record<string, unknown>): Promise<AdminSubscriptionListDto> {
    const { cursor } = parseInput(adminSubscriptionCursorSchema, query, 'query');
    return pageBody('admin-subscriptions', await listEverySubscription(this.ds, { ...query, after: pageAfter('admin-subscriptions', cursor) }));
  }

  @Patch('subscriptions/:id')
  @ApiOperation({ summary: 'Pause or resume any subscription (e.g. one paused because its key was revoked, or one disabled by a 410 whose endpoint is fixed); no backfill' })
  @ApiBody({ type: AdminSubscriptionPatchDto })
  @ApiOkResponse({ type: AdminSubscriptionDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async updateSubscription(@Param('id') id: string, @Body() body: unknown): Promise<AdminSubscriptionDto> {
    const { status } = validate(adminSubscriptionPatchSchema, body);
    // Active/paused ones, and one disabled by a 410 (re-enabled): an unconfirmed or unsubscribed one is never started from here.
    return setSubscriptionStatus(this.ds, this.queues, 'operator', id, status, { backfill: false });
  }

  @DeleteRoute('subscriptions/:id', 'Delete any subscription', 'deleted')
  async removeSubscription(@Param('id') id: string): Promise<void> {
    await removeSubscription(this.ds, 'operator', id);
  }

  @DeleteRoute(
    'papers/:id',
    'Delete a paper ingested by mistake (catalogue id, arXiv id or DOI) with its topics, claims, days, sightings and versions; its deliveries not sent yet are skipped (paperwire papers remove)',
    'deleted',
  )
  async removePaper(@Param('id') id: string): Promise<void> {
    const { removed, deliveriesSkipped } = await removePapers(this.ds, [id]);
    this.log.info({ papers: removed.map((p) => ({ id: p.id, arxivId: p.arxivId })), deliveriesSkipped }, 'papers removed');
  }

  @Get('failed')
  @ApiOperation({ summary: 'Failed jobs (the dead-letter set) with their errors' })
  @ApiQuery({ name: 'queue', required: false, enum: QUEUE_NAMES })
  @ApiIntQuery('limit', { min: 1, max: 100, default: 20 })
  @ApiOkResponse({ type: FailedJobListDto })
  @ApiProblems(400, 401, 403, 429)
  async failed(@Query() query: Record<string, unknown>): Promise<FailedJobListDto> {
    return { items: await listFailedJobs(this.ds, this.queues, query) };
  }

  @Post('failed/:queue/:jobId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Retry one failed job (a delivery delivered since this job failed: 409, already delivered)' })
  @ApiAcceptedResponse({ type: RetriedJobDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string): Promise<RetriedJobDto> {
    return retryFailedJob(this.ds, this.queues, queue, jobId);
  }
}
