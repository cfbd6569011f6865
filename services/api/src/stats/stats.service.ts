import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { JOB_QUEUE, PAPER_STAGES, jobReaching, type JobName, type PaperStage, type QueueName } from '@paperwire/contracts';
import {
  EXACT_STAGE_COUNT_BELOW,
  failedRawDocumentCount,
  failingEndpointCounts,
  heldDeliveryCount,
  papersPerStage,
  sourceHealthRows,
  stageTiming,
  subscriptionsByStatus,
  topicCountsStatus,
  type FailingEndpointCounts,
  type TopicCountSource,
} from '@paperwire/db';
import { queueDepths, searchLag, sourceNextFetches, type QueueSet, type SearchLag } from '@paperwire/queue';
import { CONFIG, QUEUE_SET } from '@paperwire/service-kit';
import {
  failingEndpoints,
  mailServerStatus,
  newestFailedJobs,
  supersededDeliverFailures,
  withoutSuperseded,
  type FailedJob,
  type FailingEndpoint,
  type FailingEndpoints,
  type MailServerStatus,
} from '@paperwire/actions';
import type { ApiConfig } from '../api-config';
import { MicroCache } from '../common/overload';
import { READ_DATA_SOURCE } from '../common/read-db';
import { errorClass, redactSourceUrl } from '../common/redact';

export interface StageStats {
  stage: PaperStage;
  papers: number;
  /** queue that moves papers into this stage (null for parsed, whose input is raw documents) */
  queue: string;
  depth: { waiting: number; active: number; delayed: number; failed: number };
  throughput: { m1: number; m5: number; m60: number };
  /** seconds from the previous stage's timestamp, over the last hour */
  latency: { p50: number | null; p95: number | null; samples: number };
}

/** A failed job as the pipeline stats list it: without its payload. */
export type FailedJobInfo = Omit<FailedJob, 'data'>;

export interface SourceHealth {
  id: string;
  name: string;
  kind: string;
  /** redacted (no user-info, query values replaced; `(private address)` for a host on the operator's network) unless the caller has an admin key */
  url: string | null;
  enabled: boolean;
  /** poll interval; null: polled on demand only (`paperwire sources poll <name>`, POST /v1/sources/{id}/poll) */
  everySeconds: number | null;
  /** when it is next fetched (its schedule, a retry's backoff or a queued poll); null: nothing planned */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** failed fetch attempts in a row, retries included (0 while it works) */
  consecutiveFailures: number;
  /** polls in a row that failed for good: their job gave up, its retries spent or at once for an error no retry heals */
  failedPolls: number;
  /** when the current run of failures began (its first failed attempt); null while it works (or for a run older than this field) */
  failingSince: string | null;
  /** seconds since the last successful fetch (an upload source: its last upload), null when never */
  lagSeconds: number | null;
  lastItemCount: number | null;
  /** entries its latest parsed document skipped (null before one parsed) */
  skippedEntries: number | null;
  /** the first few of them with why (an admin key only: they quote the upstream's entries) */
  skippedSample: { index?: number; line?: number; id?: string; message: string }[];
}

export type { FailingEndpoint, MailServerStatus };

/**
 * `redacted`: source URLs without user-info or query values, errors and failure reasons as their class
 * (`HTTP 503`, `timeout`…); `full`: verbatim, for an admin key.
 */
export type StatsDetail = 'redacted' | 'full';

export interface PipelineStats {
  generatedAt: string;
  detail: StatsDetail;
  stages: StageStats[];
  queues: { queue: string; waiting: number; active: number; delayed: number; failed: number; completed: number }[];
  /** how far the full-text vectors are behind (the index-search jobs still pending) */
  search: { lagSeconds: number; pendingPapers: number; pendingJobs: number };
  failures: {
    byQueue: Record<string, number>;
    rawDocumentsFailed: number;
    recent: FailedJobInfo[];
  };
  sources: SourceHealth[];
  /**
   * subscription endpoints with failures in a row, most first (at most FAILING_ENDPOINTS_LISTED): for an admin key
   * only (they are other tenants' subscriptions); empty otherwise, `endpointsFailing` counts them for everyone
   */
  endpoints: FailingEndpoint[];
  /** failing endpoints beyond those listed (0 when every one is, and without an admin key) */
  endpointsMore: number;
  /** how many endpoints fail, per channel and status: no ids, names or targets */
  endpointsFailing: FailingEndpointCounts;
  mailServer: MailServerStatus;
  /** `heldDeliveries`: deliveries waiting on paused subscriptions (not retried; their resume sends them) */
  subscriptions: { active: number; paused: number; disabled: number; pendingConfirmation: number; heldDeliveries: number };
  /** where topics listings take their counts from, and when the sweeper last refreshed the rollup (null: never) */
  topicCounts: { source: TopicCountSource; refreshedAt: string | null };
}

// Stage ← the queue whose workers move papers into it (the job that reaches it, per the pipeline table).
const STAGE_INPUT = Object.fromEntries(
  PAPER_STAGES.map((stage) => [stage, { queue: JOB_QUEUE[jobReaching(stage)] }]),
) as Record<PaperStage, { queue: QueueName }>;
/** How long a sampled count of papers per stage is served before a background refresh. */
const STAGE_SAMPLE_TTL_MS = 30_000;

const searchStats = (lag: SearchLag): PipelineStats['search'] => ({
  lagSeconds: Math.round(lag.oldestSeconds * 10) / 10,
  pendingPapers: lag.papers,
  pendingJobs: lag.jobs,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

// Jobs whose id names a subscription or a delivery (`digest-<subscription id>`, `deliver-<delivery id>`…): another
// tenant's, so a public view shows such a job without its id.
const TENANT_JOBS: ReadonlySet<string> = new Set<JobName>(['deliver', 'send-digest', 'send-confirmation', 'backfill-subscription']);

/** A failed job as a public view shows it: the class of its error; no id when the id names a tenant's subscription. */
const redactFailedJob = (f: FailedJobInfo): FailedJobInfo => ({
  ...f,
  id: TENANT_JOBS.has(f.name) ? '' : f.id,
  failedReason: errorClass(f.failedReason) ?? '',
});

@Injectable()
export class StatsService {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly ds: DataSource,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(CONFIG) config: ApiConfig,
  ) {
    this.cache = new MicroCache(config.API_CACHE_MS);
  }

  private readonly cache: MicroCache;
  private stages: { at: number; value: Record<PaperStage, number>; refreshing: boolean } | null = null;

  /**
   * Papers per stage. Below EXACT_STAGE_COUNT_BELOW papers they are exact and fresh. Above it they are a
   * ~5,000-row TABLESAMPLE (about 1,600 random heap pages, 130–210 ms at 2.5M papers), so the last sample is
   * served for STAGE_SAMPLE_TTL_MS and refreshed in the background when older: a request never waits for it
   * except the first. Queue depths, which show the papers in flight, stay live.
   */
  private async stageCounts(): Promise<Record<PaperStage, number>> {
    const now = Date.now();
    const last = this.stages;
    if (last && last.refreshing) return last.value;
    if (last && now - last.at < STAGE_SAMPLE_TTL_MS) return last.value;
    if (last) {
      last.refreshing = true;
      void papersPerStage(this.ds).then(
        (value) => (this.stages = { at: Date.now(), value, refreshing: false }),
        () => (last.refreshing = false),
      );
      return last.value;
    }
    const value = await papersPerStage(this.ds);
    const total = Object.values(value).reduce((a, b) => a + b, 0);
    if (total >= EXACT_STAGE_COUNT_BELOW) this.stages = { at: Date.now(), value, refreshing: false };
    return value;
  }

  async recentFailures(queueNames: QueueName[], limit: number, superseded: ReadonlySet<string> = new Set()): Promise<FailedJobInfo[]> {
    // The job's payload stays out of the stats.
    return (await newestFailedJobs(this.queues, queueNames, limit, superseded)).map(({ data: _data, ...info }) => info);
  }

  /** Shared for a few seconds between /ops and /v1/stats/pipeline (single-flight), per level of detail. */
  pipeline(detail: StatsDetail = 'redacted'): Promise<PipelineStats> {
    return this.cache.get(`pipeline:${detail}`, () => this.loadPipeline(detail));
  }

  private async loadPipeline(detail: StatsDetail): Promise<PipelineStats> {
    // A delivery's failure superseded by its later success (a redelivery) is no failure to count or list; the
    // notifier removes it as it delivers (the sweeper any left over): a read only leaves it out.
    const [perStage, allDepths, superseded, lag, timing, rawFailed, sources, failing, failingCounts, mailServer, subs, topicCounts, held] = await Promise.all([
      this.stageCounts(),
      queueDepths(this.queues),
      supersededDeliverFailures(this.ds, this.queues).catch(() => new Set<string>()),
      searchLag(this.queues),
      this.stageTiming(),
      failedRawDocumentCount(this.ds),
      this.sourceHealth(detail),
      this.failingEndpoints(detail),
      failingEndpointCounts(this.ds),
      this.mailServer(),
      subscriptionsByStatus(this.ds),
      topicCountsStatus(this.ds),
      heldDeliveryCount(this.ds),
    ]);
    const depths = withoutSuperseded(allDepths, superseded);
    const depthBy = new Map(depths.map((d) => [d.queue, d]));
    const stages = PAPER_STAGES.map((stage): StageStats => {
      const input = STAGE_INPUT[stage];
      const d = depthBy.get(input.queue);
      const t = timing.get(stage);
      return {
        stage,
        papers: perStage[stage],
        queue: input.queue,
        depth: { waiting: (d?.waiting ?? 0) + (d?.prioritized ?? 0), active: d?.active ?? 0, delayed: d?.delayed ?? 0, failed: d?.failed ?? 0 },
        throughput: { m1: t?.m1 ?? 0, m5: t?.m5 ?? 0, m60: t?.m60 ?? 0 },
        latency: { p50: t?.p50 ?? null, p95: t?.p95 ?? null, samples: t?.samples ?? 0 },
      };
    });
    const subCount = (s: string) => subs[s] ?? 0;
    const recent = await this.recentFailures(
      depths.filter((d) => d.failed > 0).map((d) => d.queue),
      20,
      superseded,
    );
    return {
      generatedAt: new Date().toISOString(),
      detail,
      stages,
      queues: depths.map((d) => ({
        queue: d.queue,
        waiting: d.waiting + d.prioritized,
        active: d.active,
        delayed: d.delayed,
        failed: d.failed,
        completed: d.completed,
      })),
      search: searchStats(lag),
      failures: {
        byQueue: Object.fromEntries(depths.map((d) => [d.queue, d.failed])),
        rawDocumentsFailed: rawFailed,
        recent: detail === 'full' ? recent : recent.map(redactFailedJob),
      },
      sources,
      endpoints: failing.endpoints,
      endpointsMore: failing.more,
      endpointsFailing: failingCounts,
      mailServer,
      subscriptions: {
        active: subCount('active'),
        paused: subCount('paused'),
        disabled: subCount('disabled'),
        pendingConfirmation: subCount('pending_confirmation'),
        heldDeliveries: held,
      },
      topicCounts: { source: topicCounts.source, refreshedAt: iso(topicCounts.refreshedAt) },
    };
  }

  /** Throughput from the per-stage timestamps; latency percentiles over the last hour. */
  private async stageTiming(): Promise<Map<PaperStage, { m1: number; m5: number; m60: number; p50: number | null; p95: number | null; samples: number }>> {
    const rows = await stageTiming(this.ds);
    const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);
    return new Map(rows.map((r) => [r.stage, { ...r, p50: round(r.p50), p95: round(r.p95) }]));
  }

  /** The mail server's state: error classes only (no host, port or reply text), the same for every caller. */
  mailServer(): Promise<MailServerStatus> {
    return mailServerStatus(this.ds);
  }

  /**
   * Failing endpoints, for an admin key: they are subscriptions of every tenant (ids, names, targets, reasons).
   * Without one, none: a public view counts them (failingEndpointCounts) and names no one's.
   */
  async failingEndpoints(detail: StatsDetail = 'redacted'): Promise<FailingEndpoints> {
    return detail === 'full' ? failingEndpoints(this.ds) : { endpoints: [], more: 0 };
  }

  async sourceHealth(detail: StatsDetail = 'redacted'): Promise<SourceHealth[]> {
    const full = detail === 'full';
    const rows = await sourceHealthRows(this.ds);
    const next = await sourceNextFetches(this.queues, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      url: full ? r.url : redactSourceUrl(r.kind, r.url, r.allow_private),
      enabled: r.enabled,
      everySeconds: r.every_seconds,
      // a disabled source's leftover schedule or retry does nothing (the fetcher skips it)
      nextAttemptAt: r.enabled && next.has(r.id) ? new Date(next.get(r.id)!).toISOString() : null,
      lastAttemptAt: iso(r.last_attempt_at),
      lastSuccessAt: iso(r.last_success_at),
      lastStatus: r.last_status,
      lastError: full ? r.last_error : errorClass(r.last_error, r.last_status),
      consecutiveFailures: r.consecutive_failures,
      failedPolls: r.failed_polls,
      failingSince: iso(r.failing_since),
      lagSeconds: r.lag === null ? null : Math.round(Number(r.lag)),
      lastItemCount: r.last_item_count,
      skippedEntries: r.skipped_entries,
      skippedSample: full ? (r.skipped_sample ?? []) : [],
    }));
  }
}
