import { ApiProperty } from '@nestjs/swagger';
import { PAPER_STAGES } from '@paperwire/contracts';
import { SkippedEntryDto } from '../common/skipped-entry.dto';

const int = { type: 'integer' } as const;
const nullableInt = { type: 'integer', nullable: true } as const;
const nullableString = { type: String, nullable: true } as const;

class QueueDepthDto {
  @ApiProperty(int) waiting: number;
  @ApiProperty(int) active: number;
  @ApiProperty(int) delayed: number;
  @ApiProperty(int) failed: number;
}

class ThroughputDto {
  @ApiProperty({ ...int, description: 'papers that reached the stage in the last minute' }) m1: number;
  @ApiProperty(int) m5: number;
  @ApiProperty(int) m60: number;
}

class LatencyDto {
  @ApiProperty({ type: Number, nullable: true, description: 'seconds from the previous stage' }) p50:
    number | null;
  @ApiProperty({ type: Number, nullable: true }) p95: number | null;
  @ApiProperty(int) samples: number;
}

class StageStatsDto {
  @ApiProperty({ enum: PAPER_STAGES }) stage: string;
  @ApiProperty(int) papers: number;
  @ApiProperty({ description: 'the queue that moves papers into this stage' }) queue: string;
  @ApiProperty({ type: QueueDepthDto }) depth: QueueDepthDto;
  @ApiProperty({ type: ThroughputDto }) throughput: ThroughputDto;
  @ApiProperty({ type: LatencyDto }) latency: LatencyDto;
}

class QueueStatsDto extends QueueDepthDto {
  @ApiProperty() queue: string;
  @ApiProperty(int) completed: number;
}

class SearchLagDto {
  @ApiProperty({
    type: Number,
    description:
      'seconds since the oldest pending full-text index job was added (its papers parsed, or swept): how far search is behind; 0 when caught up',
  })
  lagSeconds: number;
  @ApiProperty({
    ...int,
    description: 'papers whose full-text vector is still to compute (named by pending index-search jobs)',
  })
  pendingPapers: number;
  @ApiProperty(int) pendingJobs: number;
}

class FailedJobInfoDto {
  @ApiProperty() queue: string;
  @ApiProperty({
    description:
      "the job id (for a retry); without an admin key empty for jobs whose id names a subscription or a delivery (deliver, send-digest, send-confirmation, backfill-subscription)",
  })
  id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'verbatim for an admin key, else its class' }) failedReason: string;
  @ApiProperty(int) attemptsMade: number;
  @ApiProperty({ ...nullableString, format: 'date-time' }) failedAt: string | null;
}

class FailuresDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'failed jobs per queue',
  })
  byQueue: Record<string, number>;
  @ApiProperty(int) rawDocumentsFailed: number;
  @ApiProperty({ type: [FailedJobInfoDto] }) recent: FailedJobInfoDto[];
}

class SourceHealthDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({
    ...nullableString,
    description:
      'redacted without an admin key: no user-info, query values replaced, and `(private address)` for a source the operator let reach private addresses or whose host is an address or special-use name outside the public internet',
  })
  url: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({
    ...nullableInt,
    description: 'poll interval in seconds; null: polled on demand only (`paperwire sources poll <name>`, `POST /v1/sources/{id}/poll`)',
  })
  everySeconds: number | null;
  @ApiProperty({
    ...nullableString,
    format: 'date-time',
    description: 'when it is next fetched: its schedule, a retry waiting out its backoff, or a poll already queued; null when nothing is planned (on demand, or disabled)',
  })
  nextAttemptAt: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastSuccessAt: string | null;
  @ApiProperty(nullableInt) lastStatus: number | null;
  @ApiProperty(nullableString) lastError: string | null;
  @ApiProperty({ ...int, description: 'failed fetch attempts in a row, retries included (0 while it works)' }) consecutiveFailures: number;
  @ApiProperty({
    ...int,
    description: 'polls in a row that failed for good: their job gave up, its retries spent or at once for an error no retry heals (a failing poll still retrying is not counted yet)',
  })
  failedPolls: number;
  @ApiProperty({
    ...nullableString,
    format: 'date-time',
    description: 'when the current run of failures began (its first failed attempt); null while it works (or for a run that began before PaperWire recorded it)',
  })
  failingSince: string | null;
  @ApiProperty({
    ...nullableInt,
    description:
      'seconds since the last successful fetch (an upload source: since its last upload; it is not polled)',
  })
  lagSeconds: number | null;
  @ApiProperty(nullableInt) lastItemCount: number | null;
  @ApiProperty({ ...nullableInt, description: 'entries its latest parsed document skipped (a title or id missing…); null before a document parsed' })
  skippedEntries: number | null;
  @ApiProperty({ type: [SkippedEntryDto], description: 'the first few skipped entries with why (with an admin key; empty otherwise)' })
  skippedSample: SkippedEntryDto[];
}

class FailingEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty({ description: 'the webhook URL or email address' })
  target: string;
  @ApiProperty({ enum: ['active', 'paused', 'disabled', 'pending_confirmation'] }) status: string;
  @ApiProperty({
    ...nullableString,
    description:
      "why it fails: the reason it was paused or disabled, else (still active) its latest failed attempt's error; null when no failed attempt is on record",
  })
  reason: string | null;
  @ApiProperty(int) consecutiveFailures: number;
}

class EndpointsByChannelDto {
  @ApiProperty(int) webhook: number;
  @ApiProperty(int) email: number;
}

class EndpointsByStatusDto {
  @ApiProperty({ ...int, description: 'still delivering, and failing' }) active: number;
  @ApiProperty({ ...int, description: 'paused after a run of failures' }) paused: number;
  @ApiProperty({ ...int, description: 'disabled by a 410 Gone' }) disabled: number;
}

class FailingEndpointCountsDto {
  @ApiProperty(int) total: number;
  @ApiProperty({ type: EndpointsByChannelDto }) byChannel: EndpointsByChannelDto;
  @ApiProperty({ type: EndpointsByStatusDto }) byStatus: EndpointsByStatusDto;
}

class MailServerStatusDto {
  @ApiProperty({
    enum: ['ok', 'failing', 'unknown'],
    description:
      "'failing' from a send that failed on the mail server's side until one goes through; 'unknown' before any send",
  })
  status: string;
  @ApiProperty({
    ...nullableString,
    description:
      'the class of its last failure (connection refused, timeout, SMTP 421…), never its address or words',
  })
  lastErrorClass: string | null;
  @ApiProperty({
    ...nullableString,
    format: 'date-time',
    description: 'since when it has been failing (null while it works)',
  })
  failingSince: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastFailureAt: string | null;
  @ApiProperty({
    ...nullableString,
    format: 'date-time',
    description: 'its last success, to within a minute (recorded at most once a minute while it works, at once on a recovery)',
  })
  lastSuccessAt: string | null;
  @ApiProperty({
    ...int,
    description:
      'email deliveries (instant, digest, confirmation) tried at least once and waiting for a retry',
  })
  waitingDeliveries: number;
}

class SubscriptionCountsDto {
  @ApiProperty(int) active: number;
  @ApiProperty(int) paused: number;
  @ApiProperty(int) disabled: number;
  @ApiProperty(int) pendingConfirmation: number;
  @ApiProperty({
    ...int,
    description:
      'deliveries waiting on paused subscriptions: held by the pause, not retrying (nothing tries them while it lasts); resuming the subscription sends them',
  })
  heldDeliveries: number;
}

class TopicCountsStatusDto {
  @ApiProperty({
    enum: ['exact', 'rollup', 'estimated'],
    description:
      'where GET /v1/topics takes its counts from: `exact` (a small catalogue, counted at each listing), `rollup` (the table the sweeper refreshes) or `estimated` (the rollup is stale or missing, as when no sweeper runs: each listing samples the catalogue, about a second at 2M papers)',
  })
  source: string;
  @ApiProperty({
    ...nullableString,
    format: 'date-time',
    description: 'when the sweeper last refreshed the rollup; null: never',
  })
  refreshedAt: string | null;
}

/** The OpenAPI shape of PipelineStats (stats.service.ts). */
export class PipelineStatsDto {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ enum: ['redacted', 'full'], description: '`full` for an admin key' }) detail: string;
  @ApiProperty({ type: [StageStatsDto] }) stages: StageStatsDto[];
  @ApiProperty({ type: [QueueStatsDto] }) queues: QueueStatsDto[];
  @ApiProperty({ type: SearchLagDto }) search: SearchLagDto;
  @ApiProperty({ type: FailuresDto }) failures: FailuresDto;
  @ApiProperty({ type: [SourceHealthDto] }) sources: SourceHealthDto[];
  @ApiProperty({
    type: [FailingEndpointDto],
    description:
      'admin key only (empty otherwise: they are subscriptions of every tenant): subscription endpoints whose latest deliveries failed (still failing, paused or disabled for it), most failures in a row first, at most 50 (endpointsMore: how many more)',
  })
  endpoints: FailingEndpointDto[];
  @ApiProperty({
    ...int,
    description: 'failing endpoints beyond the 50 listed in `endpoints` (0 when every one is listed, and without an admin key)',
  })
  endpointsMore: number;
  @ApiProperty({
    type: FailingEndpointCountsDto,
    description: 'how many subscription endpoints fail, per channel and status, for every caller: counts only, no ids, names or targets',
  })
  endpointsFailing: FailingEndpointCountsDto;
  @ApiProperty({
    type: MailServerStatusDto,
    description: "the operator's mail server: its failures are retried and count against no subscription",
  })
  mailServer: MailServerStatusDto;
  @ApiProperty({ type: SubscriptionCountsDto }) subscriptions: SubscriptionCountsDto;
  @ApiProperty({ type: TopicCountsStatusDto }) topicCounts: TopicCountsStatusDto;
}
