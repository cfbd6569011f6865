import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ALL_QUEUES } from '@paperwire/contracts';
import { API_KEY_SCOPES } from '@paperwire/db';
import { MAINTENANCE_QUEUE, type QueueSet } from '@paperwire/queue';
import { DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRecord, type CreatedApiKey } from '@paperwire/db';
import { RequireScope } from '../auth/auth.guard';
import { ApiProblems } from '../common/api-docs';
import { ProblemException, badRequest, notFound } from '../common/problem';
import { parseInput } from '../common/validation';
import { limitParam } from '../papers/paper-query';

const QUEUE_NAMES: string[] = [...ALL_QUEUES, MAINTENANCE_QUEUE];

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

export class CreateApiKeyDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: string[];
}

export class FailedJobDto {
  @ApiProperty() queue: string;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() failedReason: string;
  @ApiProperty() attemptsMade: number;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: unknown;
}

const createKeySchema = z
  .object({ name: z.string().trim().min(1).max(200), scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(3) })
  .strict();
const failedQuerySchema = z.object({ queue: z.enum(QUEUE_NAMES as [string, ...string[]]).optional(), limit: limitParam });

@ApiTags('admin')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
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
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiProblems(401, 403, 429)
  async keys(): Promise<{ items: ApiKeyRecord[] }> {
    return { items: await listApiKeys(this.ds) };
  }

  @Delete('keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key (by id or prefix)' })
  @ApiProblems(401, 403, 404, 429)
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await revokeApiKey(this.ds, id))) throw notFound('no live key with that id or prefix');
  }

  @Get('failed')
  @ApiOperation({ summary: 'Failed jobs (the dead-letter set) with their errors' })
  @ApiQuery({ name: 'queue', required: false, enum: QUEUE_NAMES })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [FailedJobDto] })
  @ApiProblems(400, 401, 403, 429)
  async failed(@Query() query: Record<string, unknown>): Promise<{ items: FailedJobDto[] }> {
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
  @ApiOkResponse({ description: '{ queue, jobId, state }' })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string): Promise<{ queue: string; jobId: string; state: string }> {
    if (!QUEUE_NAMES.includes(queue)) throw badRequest(`unknown queue ${JSON.stringify(queue.slice(0, 50))}`, [{ field: 'queue', detail: `one of ${QUEUE_NAMES.join(', ')}` }]);
    const job = await this.queues.get(queue).getJob(jobId);
    if (!job) throw notFound('no such job');
    const state = await job.getState();
    if (state !== 'failed') throw new ProblemException(409, `job is ${state}, not failed`);
    await job.retry('failed');
    return { queue, jobId, state: await job.getState() };
  }
}
