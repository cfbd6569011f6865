import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Res, applyDecorators } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  PartialType,
} from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { ADDABLE_SOURCE_KINDS, createSource, getSource, listSources, pollSource, removeSource, setSourceEnabled, updateSource, type SourceAccess, type SourceRef } from '@paperwire/actions';
import { isUuid } from '@paperwire/contracts';
import { SOURCE_KINDS } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { CONFIG, DATA_SOURCE, QUEUE_SET } from '@paperwire/service-kit';
import type { ApiConfig } from '../api-config';
import { RequireScope } from '../auth/auth.guard';
import { ApiProblems, DeleteRoute, createdAt } from '../common/api-docs';
import { SkippedEntryDto } from '../common/skipped-entry.dto';

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
  @ApiProperty({ type: 'integer', description: 'failed fetch attempts in a row, retries included (0 while it works)' }) consecutiveFailures: number;
  @ApiProperty({ type: 'integer', description: 'polls in a row that failed for good: their job gave up (retries spent, or an error no retry heals)' })
  failedPolls: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when the current run of failures began (its first failed attempt); null while it works' })
  failingSince: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'OAI-PMH: the day the last complete harvest started; the next one asks `from` it' })
  harvestedUntil: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'entries its latest parsed document skipped (each named in skippedSample, up to 5); null before a document parsed' })
  skippedEntries: number | null;
  @ApiProperty({ type: [SkippedEntryDto], description: 'the first few entries its latest parsed document skipped, with why' })
  skippedSample: SkippedEntryDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** A source as created or updated: the source, and what the caller should know about its URL. */
export class SourceSavedDto extends SourceDto {
  @ApiProperty({
    type: [String],
    description:
      'empty, or why the source may not fetch yet: its URL\'s host does not resolve now (it is kept and checked again on every poll, which fails until it resolves). ' +
      'A special-use name (`.invalid`, `.example`, `.onion`, `localhost`, `.local`, `.test`, `.internal`, `.home.arpa`) or a private address is a 400 instead.',
  })
  warnings: string[];
}

export class SourceInputDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'starts with a letter or digit; letters, digits, space . _ : -' }) name: string;
  @ApiProperty({ enum: ADDABLE_SOURCE_KINDS, description: 'not upload: uploaded documents have their own source (paperwire ingest)' }) kind: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, description: 'http(s) URL, or a path for file sources' }) url?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) params?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 60, maximum: 604800, description: 'poll interval in seconds (a minute to a week); null = on demand only' })
  everySeconds?: number;
  @ApiPropertyOptional() enabled?: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3600000, description: 'least time between two requests to the same host, in milliseconds' }) minIntervalMs?: number;
}

/** A PATCH changes the fields it names, any of them (updateSourceSchema). */
export class SourceUpdateDto extends PartialType(SourceInputDto) {}

export class SourceListDto {
  @ApiProperty({ type: [SourceDto] }) items: SourceDto[];
}

export class PollAcceptedDto {
  @ApiProperty() jobId: string;
  @ApiProperty() queue: string;
}

/**
 * `{id}` of a source route: its id, or its name as `sources list`, /ops and the CLI show it (names are unique;
 * `GET /v1/sources/hf-daily-papers` was a 404 "no such source" beside a list naming it).
 */
const ApiSourceParam = () =>
  ApiParam({ name: 'id', description: "the source's id (uuid) or its name", schema: { type: 'string' } });
const sourceRef = (id: string): SourceRef => (isUuid(id) ? { id } : { name: id });

/** A POST that switches a source and answers 200 with the source. */
function SourceSwitch(path: string, summary: string) {
  return applyDecorators(
    Post(path),
    ApiSourceParam(),
    HttpCode(200),
    ApiOperation({ summary }),
    ApiOkResponse({ type: SourceDto }),
    ApiProblems(401, 403, 404, 429),
  );
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

  /** Through the API no source reaches private addresses; `file` sources only when API_ALLOW_FILE_SOURCES. */
  private get access(): SourceAccess {
    return { allowPrivate: false, allowFile: this.config.API_ALLOW_FILE_SOURCES };
  }

  @Get()
  @ApiOperation({ summary: 'List sources with their health' })
  @ApiOkResponse({ type: SourceListDto })
  @ApiProblems(401, 403, 429)
  async list(): Promise<SourceListDto> {
    return { items: await listSources(this.ds) };
  }

  @Get(':id')
  @ApiSourceParam()
  @ApiOperation({ summary: 'One source with its health' })
  @ApiOkResponse({ type: SourceDto })
  @ApiProblems(401, 403, 404, 429)
  async one(@Param('id') id: string): Promise<SourceDto> {
    return getSource(this.ds, sourceRef(id));
  }

  @Post()
  @ApiOperation({
    summary: 'Add a source',
    description:
      'The URL is checked at once: credentials, a private address or a special-use name are a 400; a host that does not resolve now is created with a `warnings` entry.',
  })
  @ApiBody({ type: SourceInputDto })
  @ApiCreatedResponse({ type: SourceSavedDto, headers: createdAt('/v1/sources/{id}') })
  @ApiProblems(400, 401, 403, 409, 429)
  async create(@Res({ passthrough: true }) res: Response, @Body() body: unknown): Promise<SourceSavedDto> {
    const saved = await createSource(this.ds, body, this.access);
    res.setHeader('Location', `/v1/sources/${saved.id}`);
    return saved;
  }

  @Patch(':id')
  @ApiSourceParam()
  @ApiOperation({ summary: 'Update a source' })
  @ApiBody({ type: SourceUpdateDto })
  @ApiOkResponse({ type: SourceSavedDto })
  @ApiProblems(400, 401, 403, 404, 409, 429)
  async update(@Param('id') id: string, @Body() body: unknown): Promise<SourceSavedDto> {
    return updateSource(this.ds, sourceRef(id), body, this.access);
  }

  @SourceSwitch(':id/enable', 'Enable a source')
  enable(@Param('id') id: string): Promise<SourceDto> {
    return setSourceEnabled(this.ds, sourceRef(id), true);
  }

  @SourceSwitch(':id/disable', 'Disable a source')
  disable(@Param('id') id: string): Promise<SourceDto> {
    return setSourceEnabled(this.ds, sourceRef(id), false);
  }

  @DeleteRoute(':id', 'Delete a source', 'deleted')
  @ApiSourceParam()
  async remove(@Param('id') id: string): Promise<void> {
    await removeSource(this.ds, sourceRef(id), this.queues);
  }

  @Post(':id/poll')
  @ApiSourceParam()
  @HttpCode(202)
  @ApiOperation({ summary: 'Fetch this source now (enqueues a fetch-source job with reason manual)' })
  @ApiAcceptedResponse({ type: PollAcceptedDto })
  @ApiProblems(400, 401, 403, 404, 429)
  async poll(@Param('id') id: string): Promise<PollAcceptedDto> {
    return pollSource(this.ds, this.queues, sourceRef(id));
  }
}
