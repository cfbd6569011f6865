import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { SOURCE_KINDS } from '@paperwire/db';
import { SsrfError, assertPublicUrl } from '@paperwire/http';
import { JOB_QUEUE, uniqueVariant } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { ApiProblems } from '../common/api-docs';
import { badRequest, conflict, notFound } from '../common/problem';
import { isUuid, returnedRows } from '../common/sql';
import { parseInput } from '../common/validation';

const httpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const sourceFields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'letters, digits, space . _ : -'),
  kind: z.enum(SOURCE_KINDS),
  url: z.string().trim().min(1).max(2000).nullable(),
  params: z.record(z.unknown()),
  everySeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .nullable(),
  enabled: z.boolean(),
  minIntervalMs: z.number().int().min(0).max(3_600_000),
};

/** `file` sources take a path; `upload` has no URL; every other kind polls an http(s) URL. */
function checkUrl(kind: string, url: string | null | undefined, ctx: z.RefinementCtx): void {
  if (kind === 'upload') return;
  if (!url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: `${kind} sources need a url` });
    return;
  }
  if (kind !== 'file' && !httpUrl.safeParse(url).success)
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http(s) URL' });
}

const createSourceSchema = z
  .object({
    ...sourceFields,
    url: sourceFields.url.optional(),
    params: sourceFields.params.default({}),
    everySeconds: sourceFields.everySeconds.optional(),
    enabled: sourceFields.enabled.default(true),
    minIntervalMs: sourceFields.minIntervalMs.default(1000),
  })
  .strict()
  .superRefine((v, ctx) => checkUrl(v.kind, v.url, ctx));

const updateSourceSchema = z.object(sourceFields).partial().strict();

export class SourceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SOURCE_KINDS }) kind: string;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) params: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: 'integer' }) everySeconds: number | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({
    description:
      'read-only: the fetcher may reach private, loopback and link-local addresses for this source. An operator setting (`paperwire sources add --allow-private`), never settable through the API.',
  })
  allowPrivate: boolean;
  @ApiProperty({ type: 'integer' }) minIntervalMs: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) lastStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ type: 'integer' }) consecutiveFailures: number;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'OAI-PMH: the day the last complete harvest started; the next one asks `from` it' })
  harvestedUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SourceInputDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: SOURCE_KINDS }) kind: string;
  @ApiPropertyOptional({ description: 'http(s) URL, or a path for file sources' }) url?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) params?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'poll interval (≥ 60 s); null = on demand only' })
  everySeconds?: number;
  @ApiPropertyOptional() enabled?: boolean;
  @ApiPropertyOptional({ type: 'integer' }) minIntervalMs?: number;
}

export class SourceListDto {
  @ApiProperty({ type: [SourceDto] }) items: SourceDto[];
}

export class PollAcceptedDto {
  @ApiProperty() jobId: string;
  @ApiProperty() queue: string;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toDto(r: Record<string, never>): SourceDto {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    params: r.params,
    everySeconds: r.every_seconds,
    enabled: r.enabled,
    allowPrivate: r.allow_private,
    minIntervalMs: r.min_interval_ms,
    lastAttemptAt: iso(r.last_attempt_at),
    lastSuccessAt: iso(r.last_success_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    harvestedUntil: r.harvested_until,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const COLUMN_OF: Record<keyof typeof sourceFields, string> = {
  name: 'name',
  kind: 'kind',
  url: 'url',
  params: 'params',
  everySeconds: 'every_seconds',
  enabled: 'enabled',
  minIntervalMs: 'min_interval_ms',
};

/** Fields only an operator on the host may set (the CLI), named in a 400 so a client knows. */
const OPERATOR_FIELDS = ['allowPrivate', 'allow_private'] as const;

function refuseOperatorFields(body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  const named = OPERATOR_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(body, f));
  if (named.length > 0)
    throw badRequest('field not settable through the API', [
      {
        field: `/${named[0]}`,
        detail:
          'private-address access is an operator setting: `paperwire sources add <name> <kind> <url> --allow-private` on the host',
      },
    ]);
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

/**
 * SSRF at the door: a polled URL that is, or resolves to, a private, loopback or link-local address
 * is refused. Private access is an operator setting (the CLI's `--allow-private`), never an API
 * field. A name that does not resolve yet passes; the fetcher checks every connection again (DNS can
 * change).
 */
async function assertSourceTarget(kind: string, url: string | null | undefined, allowFile: boolean): Promise<void> {
  if (kind === 'file' && !allowFile) {
    throw badRequest('source kind refused', [
      { field: '/kind', detail: "file sources read the server's disk: create them with the CLI on the host" },
    ]);
  }
  if (kind === 'file' || kind === 'upload' || !url) return;
  // Credentials in a URL end up in logs and API responses; sources that need them are not supported.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url))
    throw badRequest('source URL refused', [{ field: '/url', detail: 'URLs must not carry credentials' }]);
  try {
    await assertPublicUrl(url);
  } catch (err) {
    if (err instanceof SsrfError)
      throw badRequest('source URL refused', [{ field: '/url', detail: err.message }]);
  }
}

@ApiTags('sources')
@RequireScope('admin')
@Controller('v1/sources')
export class SourcesController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List sources with their health' })
  @ApiOkResponse({ type: SourceListDto })
  @ApiProblems(401, 403, 429)
  async list(): Promise<SourceListDto> {
    const rows: Record<string, never>[] = await this.ds.query(`SELECT * FROM sources ORDER BY name`);
    return { items: rows.map(toDto) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One source with its health' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(401, 403, 404, 429)
  async one(@Param('id') id: string): Promise<SourceDto> {
    return toDto(await this.load(id));
  }

  private async load(id: string): Promise<Record<string, never>> {
    if (!isUuid(id)) throw notFound('no such source');
    const rows: Record<string, never>[] = await this.ds.query(`SELECT * FROM sources WHERE id = $1`, [id]);
    if (!rows[0]) throw notFound('no such source');
    return rows[0];
  }

  @Post()
  @ApiOperation({ summary: 'Add a source' })
  @ApiBody({ type: SourceInputDto })
  @ApiCreatedResponse({ type: SourceDto })
  @ApiProblems(400, 401, 403, 409, 429)
  async create(@Body() body: unknown): Promise<SourceDto> {
    refuseOperatorFields(body);
    const v = parseInput(createSourceSchema, body, 'body');
    await assertSourceTarget(v.kind, v.url, this.config.API_ALLOW_FILE_SOURCES);
    try {
      const rows: Record<string, never>[] = await this.ds.query(
        `INSERT INTO sources (name, kind, url, params, every_seconds, enabled, allow_private, min_interval_ms)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, false, $7) RETURNING *`,
        [
          v.name,
          v.kind,
          v.url ?? null,
          JSON.stringify(v.params),
          v.everySeconds ?? null,
          v.enabled,
          v.minIntervalMs,
        ],
      );
      return toDto(rows[0]);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a source named ${JSON.stringify(v.name)} exists`);
      throw err;
    }
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a source' })
  @ApiBody({ type: SourceInputDto })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async update(@Param('id') id: string, @Body() body: unknown): Promise<SourceDto> {
    const current = await this.load(id);
    refuseOperatorFields(body);
    const patch = parseInput(updateSourceSchema, body, 'body');
    const kind = patch.kind ?? (current.kind as string);
    const url = patch.url === undefined ? (current.url as string | null) : patch.url;
    const check = z.object({}).superRefine((_, ctx) => checkUrl(kind, url, ctx));
    parseInput(check, {}, 'body');
    // The URL of a source an operator granted private access (CLI) passes as long as it is unchanged;
    // any new URL through the API is checked at the door.
    const grantedUrl = Boolean(current.allow_private) && patch.url === undefined && patch.kind === undefined;
    if (!grantedUrl) await assertSourceTarget(kind, url, this.config.API_ALLOW_FILE_SOURCES);
    const keys = Object.keys(patch) as (keyof typeof sourceFields)[];
    if (keys.length === 0) return toDto(current);
    const sets = keys.map((k, i) => `${COLUMN_OF[k]} = $${i + 2}${k === 'params' ? '::jsonb' : ''}`);
    // A new URL through the API drops an operator's private-access grant: it was given for the old one.
    if (patch.url !== undefined && patch.url !== current.url) sets.push('allow_private = false');
    const values = keys.map((k) => (k === 'params' ? JSON.stringify(patch[k]) : patch[k]));
    try {
      const res: unknown = await this.ds.query(
        `UPDATE sources SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, ...values],
      );
      return toDto(returnedRows<Record<string, never>>(res)[0]);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a source named ${JSON.stringify(patch.name)} exists`);
      throw err;
    }
  }

  private async setEnabled(id: string, enabled: boolean): Promise<SourceDto> {
    await this.load(id);
    const res: unknown = await this.ds.query(
      `UPDATE sources SET enabled = $2, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, enabled],
    );
    return toDto(returnedRows<Record<string, never>>(res)[0]);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a source' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(401, 403, 404, 429)
  enable(@Param('id') id: string): Promise<SourceDto> {
    return this.setEnabled(id, true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a source' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(401, 403, 404, 429)
  disable(@Param('id') id: string): Promise<SourceDto> {
    return this.setEnabled(id, false);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a source' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems(401, 403, 404, 429)
  async remove(@Param('id') id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('no such source');
    const res: unknown = await this.ds.query(`DELETE FROM sources WHERE id = $1 RETURNING id`, [id]);
    if (returnedRows(res).length === 0) throw notFound('no such source');
  }

  @Post(':id/poll')
  @HttpCode(202)
  @ApiOperation({ summary: 'Fetch this source now (enqueues a fetch-source job with reason manual)' })
  @ApiAcceptedResponse({ type: PollAcceptedDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async poll(@Param('id') id: string): Promise<PollAcceptedDto> {
    const src = await this.load(id);
    if (!src.enabled) throw badRequest('source is disabled; enable it first');
    const jobId = await this.queues.enqueue('fetch-source', { sourceId: id, reason: 'manual' }, { variant: uniqueVariant('m') });
    return { jobId, queue: JOB_QUEUE['fetch-source'] };
  }
}
