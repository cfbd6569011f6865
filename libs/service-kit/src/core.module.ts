import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { createDataSource } from '@paperwire/db';
import { QueueSet, assertNoEviction, createRedis } from '@paperwire/queue';
import { bullmqTelemetry, createLogger, type Logger } from '@paperwire/telemetry';
import type { CommonEnv } from '@paperwire/config';
import { HealthController } from './health';
import { Metrics, MetricsController } from './metrics';
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

/**
 * Everything a PaperWire service shares: validated config, pino logger, the Postgres data source,
 * Redis, queue producers, Prometheus metrics, /healthz, /readyz and /metrics.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(service: string, config: CommonEnv): DynamicModule {
    const logger = createLogger(service, config.LOG_LEVEL);
    return {
      module: CoreModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
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
            });
            return ds.initialize();
          },
        },
        {
          provide: REDIS,
          useFactory: async () => {
            const redis = createRedis(config.REDIS_URL, { connectionName: `paperwire-${service}` });
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
        Lifecycle,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, DATA_SOURCE, REDIS, QUEUE_SET, Metrics],
    };
  }
}
