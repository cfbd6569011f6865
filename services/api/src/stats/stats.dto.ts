import { ApiProperty } from '@nestjs/swagger';
import { PAPER_STAGES } from '@paperwire/contracts';

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
  @ApiProperty() id: string;
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
    description: 'redacted (no user-info, query values replaced) without an admin key',
  })
  url: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastSuccessAt: string | null;
  @ApiProperty(nullableInt) lastStatus: number | null;
  @ApiProperty(nullableString) lastError: string | null;
  @ApiProperty(int) consecutiveFailures: number;
  @ApiProperty({
    ...nullableInt,
    description:
      'seconds since the last successful fetch (an upload source: since its last upload; it is not polled)',
  })
  lagSeconds: number | null;
  @ApiProperty(nullableInt) lastItemCount: number | null;
}

class FailingEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty({ description: "without an admin key: a webhook's origin, an email address's domain" })
  target: string;
  @ApiProperty({ enum: ['active', 'paused', 'disabled', 'pending_confirmation'] }) status: string;
  @ApiProperty({
    ...nullableString,
    description:
      "why it fails: the reason it was paused or disabled, else (still active) its latest failed attempt's error; without an admin key only the error's class (`address refused`, `HTTP 503`, `timeout`, `DNS lookup failed`…), never the receiver's address; null when no failed attempt is on record",
  })
  reason: string | null;
  @ApiProperty(int) consecutiveFailures: number;
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
  @ApiProperty({ ...nullableString, format: 'date-time' }) lastSuccessAt: string | null;
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
      'subscription endpoints whose latest deliveries failed (still failing, paused or disabled for it), most failures in a row first, at most 50 (endpointsMore: how many more)',
  })
  endpoints: FailingEndpointDto[];
  @ApiProperty({
    ...int,
    description: 'failing endpoints beyond the 50 listed in `endpoints` (0 when every one is listed)',
  })
  endpointsMore: number;
  @ApiProperty({
    type: MailServerStatusDto,
    description: "the operator's mail server: its failures are retried and count against no subscription",
  })
  mailServer: MailServerStatusDto;
  @ApiProperty({ type: SubscriptionCountsDto }) subscriptions: SubscriptionCountsDto;
  @ApiProperty({ type: TopicCountsStatusDto }) topicCounts: TopicCountsStatusDto;
}
