import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { CoreModule, REDIS } from '@paperwire/service-kit';
import { ALL_QUEUES } from '@paperwire/contracts';
import { failedLeftOut } from '@paperwire/actions';
import type { ApiConfig } from './api-config';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { RedisThrottlerStorage } from './auth/throttle';
import { SourcesModule } from './sources/sources.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { KnownQueryParamsInterceptor } from './common/known-query';
import { NextLinkInterceptor } from './common/next-link';
import { ReadDbModule } from './common/read-db.module';
import { FeedsModule } from './feeds/feeds.module';
import { HfModule } from './hf/hf.module';
import { ListingsModule } from './listings/listings.module';
import { OpsModule } from './ops/ops.module';
import { PagesModule } from './paper-page/pages.module';
import { PapersModule } from './papers/papers.module';
import { StatsModule } from './stats/stats.module';
import { TopicsModule } from './topics/topics.module';

@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot('api', config, {
          reportQueues: ALL_QUEUES,
          // the failed gauge leaves out what every failure view leaves out (a failure superseded by a redelivery)
          failedLeftOut,
          reportStages: true,
          reportSearchLag: true,
          redisCommandTimeoutMs: 2_000,
          metricsOnMainPort: false,
          dbPoolWaitMs: config.API_DB_POOL_WAIT_MS,
          dbStatementTimeoutMs: config.API_STATEMENT_TIMEOUT_MS,
          dbParallelWorkersPerGather: config.API_PG_PARALLEL_WORKERS,
        }),
        ThrottlerModule.forRootAsync({
          inject: [REDIS],
          useFactory: (redis: Redis) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
            storage: new RedisThrottlerStorage(redis, `pw-throttle:${config.QUEUE_PREFIX}`),
          }),
        }),
        ReadDbModule.forRoot(config),
        AuthModule,
        PapersModule,
        TopicsModule,
        StatsModule,
        FeedsModule,
        OpsModule,
        ListingsModule,
        PagesModule,
        HfModule,
        SubscriptionsModule,
        SourcesModule,
        AdminModule,
      ],
      // /v1 refuses the query parameters its operations do not document (common/known-query.ts).
      // and paged lists say where the next page is in a Link header too (common/next-link.ts).
      providers: [
        { provide: APP_INTERCEPTOR, useClass: KnownQueryParamsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: NextLinkInterceptor },
      ],
    };
  }
}
