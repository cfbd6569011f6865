import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createDataSource } from '@paperwire/db';
import { QueueSet, assertNoEviction, createRedis, searchLag } from '@paperwire/queue';
import { papersPerStage } from '@paperwire/db';
import { bullmqTelemetry, createLogger, type Logger } from '@paperwire/telemetry';
import type { CommonEnv } from '@paperwire/config';
import type { QueueName } from '@paperwire/contracts';
import { HealthController } from './health';
import { GAUGE_REFRESHER, Metrics, MetricsController, type GaugeRefresher } from './metrics';
import { CONFIG, DATA_SOURCE, LOGGER, QUEUE_SET, REDIS, SERVICE_NAME } from './tokens';

class Lifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(QUEUE_SET) private readonly queues: QueueSet,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal }, 'shutting down');
    await this.queues.close().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
    this.log.flush();
  }
}

export interface CoreOptions {
  /** queues whose depth this service reports (the ones it consumes; all of them for the api) */
  reportQueues?: readonly QueueName[];
  /**
   * Per queue, the failed jobs the failure views (`failed list`, `stats`, /ops, /v1/stats/pipeline) leave out: the
   * api's deliver failures superseded by a later delivery (supersededDeliverFailures). The failed gauge leaves
   * them out too, so it agrees with those views.
   */
  failedLeftOut?: (ds: DataSource, queues: QueueSet) => Promise<Partial<Record<QueueName, number>>>;
  /** report papers per stage (the api does) */
  reportStages?: boolean;
  /** report how far the full-text vectors are behind, from the search queue (the api does) */
  reportSearchLag?: boolean;
  /**
   * Fail Redis commands after this long instead of waiting for Redis to come back: request/response
   * producers (the api) answer 503 fast; workers keep the default (wait and resume).
   */
  redisCommandTimeoutMs?: number;
  /**
   * Serve /metrics on the service's main port (default). The api sets false and serves it on
   * METRICS_PORT instead (`serveMetrics`), so the public port does not publish it.
   */
  metricsOnMainPort?: boolean;
  /** bounded wait for a Postgres pool connection (ms) and statement_timeout (ms): the api answers 503 instead of queueing */
  dbPoolWaitMs?: number;
  dbStatementTimeoutMs?: number;
  /** max_parallel_workers_per_gather of the service's database sessions (default: the server's) */
  dbParallelWorkersPerGather?: number;
}

const GAUGE_CACHE_MS = 5_000;

function gaugeRefresher(metrics: Metrics, queues: QueueSet, ds: DataSource, opts: CoreOptions): GaugeRefresher {
  let last = 0;
  return {
    async refresh() {
      if (Date.now() - last < GAUGE_CACHE_MS) return;
      last = Date.now();
      const leftOut: Partial<Record<QueueName, number>> =
        opts.reportQueues?.length && opts.failedLeftOut ? await opts.failedLeftOut(ds, queues).catch(() => ({})) : {};
      for (const name of opts.reportQueues ?? []) {
        const c = await queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        metrics.queueDepth.set({ queue: name, state: 'waiting' }, (c.waiting ?? 0) + (c.prioritized ?? 0));
        for (const state of ['active', 'delayed'] as const) metrics.queueDepth.set({ queue: name, state }, c[state] ?? 0);
        metrics.queueDepth.set({ queue: name, state: 'failed' }, Math.max(0, (c.failed ?? 0) - (leftOut[name] ?? 0)));
      }
      if (opts.reportSearchLag) {
        const lag = await searchLag(queues);
        metrics.searchLag.set(lag.oldestSeconds);
        metrics.searchPending.set(lag.papers);
      }
      if (opts.reportStages) {
        for (const [stage, n] of Object.entries(await papersPerStage(ds))) metrics.papersStage.set({ stage }, n);
      }
    },
  };
}

/**
 * Everything a PaperWire service shares: validated config, pino logger, the Postgres data source,
 * Redis, queue producers, Prometheus metrics, /healthz, /readyz and /metrics.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(service: string, config: CommonEnv, opts: CoreOptions = {}): DynamicModule {
    const logger = createLogger(service, config.LOG_LEVEL);
    return {
      module: CoreModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: opts.metricsOnMainPort === false ? [HealthController] : [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        Metrics,
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            const ds = createDataSource({
              url: config.DATABASE_URL,
              schema: config.DATABASE_SCHEMA,
              poolSize: config.DATABASE_POOL_SIZE,
              applicationName: `paperwire-${service}`,
              connectionTimeoutMillis: opts.dbPoolWaitMs,
              statementTimeoutMs: opts.dbStatementTimeoutMs,
              parallelWorkersPerGather: opts.dbParallelWorkersPerGather,
            });
            return ds.initialize();
          },
        },
        {
          provide: REDIS,
          useFactory: async () => {
            const redis = createRedis(config.REDIS_URL, {
              connectionName: `paperwire-${service}`,
              ...(opts.redisCommandTimeoutMs ? { commandTimeout: opts.redisCommandTimeoutMs, maxRetriesPerRequest: 1 } : {}),
            });
            redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
            if (config.REDIS_REQUIRE_NOEVICTION) await assertNoEviction(redis);
            return redis;
          },
        },
        {
          provide: QUEUE_SET,
          inject: [REDIS],
          useFactory: (redis: Redis) => new QueueSet(redis, config.QUEUE_PREFIX, bullmqTelemetry(service)),
        },
        {
          provide: GAUGE_REFRESHER,
          inject: [Metrics, QUEUE_SET, DATA_SOURCE],
          useFactory: (metrics: Metrics, queues: QueueSet, ds: DataSource) => gaugeRefresher(metrics, queues, ds, opts),
        },
        Lifecycle,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, DATA_SOURCE, REDIS, QUEUE_SET, Metrics],
    };
  }
}
