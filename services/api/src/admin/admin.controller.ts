import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ALL_QUEUES, isQueueName, type QueueName } from '@paperwire/contracts';
import { API_KEY_SCOPES } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import { KEY_REVOKED_REASON, createApiKey, isUuid, listApiKeys, returnedRows, revokeApiKey, type CreatedApiKey } from '@paperwire/db';
import { RequireScope } from '../auth/auth.guard';
import { ApiProblems } from '../common/api-docs';
import { ProblemException, badRequest, notFound } from '../common/problem';
import { parseInput } from '../common/validation';
import { limitParam } from '../papers/paper-query';

const QUEUE_NAMES = ALL_QUEUES;

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
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: string[];
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

const createKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(3) })
  .strict();
const adminSubscriptionsQuerySchema = z.object({
  ownerKeyId: z.string().uuid().optional(),
  status: z.enum(['active', 'paused', 'disabled', 'pending_confirmation']).optional(),
  reason: z.string().max(200).optional(),
  limit: limitParam,
});
const adminSubscriptionPatchSchema = z.object({ status: z.enum(['active', 'paused']) }).strict();

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
}

interface AdminSubscriptionRow {
  id: string;
  owner_key_id: string | null;
  owner_revoked: boolean;
  name: string;
  channel: string;
  target: string;
  mode: string;
  status: string;
  status_reason: string | null;
  created_at: Date;
}

const toAdminSubscription = (r: AdminSubscriptionRow): AdminSubscriptionDto => ({
  id: r.id,
  ownerKeyId: r.owner_key_id,
  ownerRevoked: r.owner_revoked,
  name: r.name,
  channel: r.channel,
  target: r.target,
  mode: r.mode,
  status: r.status,
  statusReason: r.status_reason,
  createdAt: new Date(r.created_at).toISOString(),
});

const ADMIN_SUB_COLUMNS = `s.id, s.owner_key_id, (k.revoked_at IS NOT NULL) AS owner_revoked, s.name, s.channel, s.target, s.mode, s.status, s.status_reason, s.created_at`;

const failedQuerySchema = z.object({ queue: z.enum(QUEUE_NAMES as [QueueName, ...QueueName[]]).optional(), limit: limitParam });

@ApiTags('admin')
@RequireScope('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
  ) {}

  @Post('keys')
  @ApiOperation({ summary: 'Create an API key (the first admin key comes from the CLI: paperwire keys create --scopes admin)' })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403, 429)
  async createKey(@Body() body: unknown): Promise<CreatedApiKey> {
    return createApiKey(this.ds, parseInput(createKeySchema, body, 'body'));
  }

  @Get('keys')
  @ApiOperation({ summary: 'List API keys (prefix, scopes, last use; never the key itself)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiProblems(401, 403, 429)
  async keys(): Promise<ApiKeyListDto> {
    return { items: await listApiKeys(this.ds) };
  }

  @Delete('keys/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: `Revoke a key (by id or prefix); its subscriptions are paused with the reason "${KEY_REVOKED_REASON}" (unconfirmed ones disabled)`,
  })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiProblems(401, 403, 404, 429)
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await revokeApiKey(this.ds, id))) throw notFound('no live key with that id or prefix');
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'Every subscription, whoever owns it (e.g. ownerKeyId or reason="key revoked" after a revocation)' })
  @ApiQuery({ name: 'ownerKeyId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'paused', 'disabled', 'pending_confirmation'] })
  @ApiQuery({ name: 'reason', required: false, description: 'exact status reason, e.g. key revoked' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer' })
  @ApiOkResponse({ type: AdminSubscriptionListDto })
  @ApiProblems(400, 401, 403, 429)
  async subscriptions(@Query() query: Record<string, unknown>): Promise<AdminSubscriptionListDto> {
    const q = parseInput(adminSubscriptionsQuerySchema, query, 'query');
    const rows: AdminSubscriptionRow[] = await this.ds.query(
      `SELECT ${ADMIN_SUB_COLUMNS} FROM subscriptions s LEFT JOIN api_keys k ON k.id = s.owner_key_id
        WHERE ($1::uuid IS NULL OR s.owner_key_id = $1) AND ($2::text IS NULL OR s.status = $2) AND ($3::text IS NULL OR s.status_reason = $3)
        ORDER BY s.created_at, s.id LIMIT $4`,
      [q.ownerKeyId ?? null, q.status ?? null, q.reason ?? null, q.limit],
    );
    return { items: rows.map(toAdminSubscription) };
  }

  @Patch('subscriptions/:id')
  @ApiOperation({ summary: 'Pause or resume any subscription (e.g. one paused because its key was revoked); no backfill' })
  @ApiOkResponse({ type: AdminSubscriptionDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async updateSubscription(@Param('id') id: string, @Body() body: unknown): Promise<AdminSubscriptionDto> {
    if (!isUuid(id)) throw notFound('no such subscription');
    const { status } = parseInput(adminSubscriptionPatchSchema, body, 'body');
    // Only active/paused ones: an unconfirmed or disabled subscription is never started from here.
    const res: unknown = await this.ds.query(
      `UPDATE subscriptions SET status = $2, status_reason = NULL,
              consecutive_failures = CASE WHEN $2 = 'active' AND status <> 'active' THEN 0 ELSE consecutive_failures END, updated_at = now()
        WHERE id = $1 AND status IN ('active', 'paused') RETURNING id`,
      [id, status],
    );
    if (returnedRows(res).length === 0) {
      const [row]: { status: string }[] = await this.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [id]);
      if (!row) throw notFound('no such subscription');
      throw new ProblemException(409, `a ${row.status} subscription cannot be ${status === 'active' ? 'resumed' : 'paused'}`);
    }
    const [row]: AdminSubscriptionRow[] = await this.ds.query(
      `SELECT ${ADMIN_SUB_COLUMNS} FROM subscriptions s LEFT JOIN api_keys k ON k.id = s.owner_key_id WHERE s.id = $1`,
      [id],
    );
    return toAdminSubscription(row);
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete any subscription' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems(401, 403, 404, 429)
  async removeSubscription(@Param('id') id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('no such subscription');
    const res: unknown = await this.ds.query(`DELETE FROM subscriptions WHERE id = $1 RETURNING id`, [id]);
    if (returnedRows(res).length === 0) throw notFound('no such subscription');
  }

  @Get('failed')
  @ApiOperation({ summary: 'Failed jobs (the dead-letter set) with their errors' })
  @ApiQuery({ name: 'queue', required: false, enum: QUEUE_NAMES })
  @ApiQuery({ name: 'limit', required: false, type: 'integer' })
  @ApiOkResponse({ type: FailedJobListDto })
  @ApiProblems(400, 401, 403, 429)
  async failed(@Query() query: Record<string, unknown>): Promise<FailedJobListDto> {
    const { queue, limit } = parseInput(failedQuerySchema, query, 'query');
    const names = queue ? [queue] : QUEUE_NAMES;
    const lists = await Promise.all(
      names.map(async (name) => {
        const jobs = await this.queues.get(name).getFailed(0, limit - 1);
        return jobs
          .filter((j) => j && j.id)
          .map(
            (j): FailedJobDto => ({
              queue: name,
              id: String(j.id),
              name: j.name,
              failedReason: j.failedReason ?? '',
              attemptsMade: j.attemptsMade,
              failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
              data: j.data,
            }),
          );
      }),
    );
    const items = lists
      .flat()
      .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
      .slice(0, limit);
    return { items };
  }

  @Post('failed/:queue/:jobId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Retry one failed job' })
  @ApiAcceptedResponse({ type: RetriedJobDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string): Promise<RetriedJobDto> {
    if (!isQueueName(queue)) throw badRequest(`unknown queue ${JSON.stringify(queue.slice(0, 50))}`, [{ field: 'queue', detail: `one of ${QUEUE_NAMES.join(', ')}` }]);
    const job = await this.queues.get(queue).getJob(jobId);
    if (!job) throw notFound('no such job');
    const state = await job.getState();
    if (state !== 'failed') throw new ProblemException(409, `job is ${state}, not failed`);
    await job.retry('failed');
    return { queue, jobId, state: await job.getState() };
  }
}
