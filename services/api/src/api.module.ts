import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { CoreModule, REDIS } from '@paperwire/service-kit';
import { ALL_QUEUES } from '@paperwire/contracts';
import { MAINTENANCE_QUEUE } from '@paperwire/queue';
import type { ApiConfig } from './api-config';
import { AdminController } from './admin/admin.controller';
import { ApiKeyGuard } from './auth/auth.guard';
import { AuthFailures } from './auth/auth-failures';
import { KeyOrIpThrottlerGuard, RedisThrottlerStorage } from './auth/throttle';
import { ClaimsController } from './claims/claims.controller';
import { DailyController } from './daily/daily.controller';
import { DailyService } from './daily/daily.service';
import { FeedsController } from './feeds/feeds.controller';
import { HomeController } from './home/home.controller';
import { OpsController } from './ops/ops.controller';
import { HfController } from './hf/hf.controller';
import { PaperPageController } from './paper-page/paper-page.controller';
import { SimilarService } from './paper-page/similar.service';
import { PapersController } from './papers/papers.controller';
import { PapersService } from './papers/papers.service';
import { SourcesController } from './sources/sources.controller';
import { StatsController } from './stats/stats.controller';
import { StatsService } from './stats/stats.service';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { TopicsController } from './topics/topics.controller';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller';
import { TrendingController } from './trending/trending.controller';
import { TrendingService } from './trending/trending.service';
import { ListingsService } from './listings/listings.service';
import { ReadDataSourceLifecycle, readDataSourceProvider } from './common/read-db.provider';

@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot('api', config, {
          reportQueues: [...ALL_QUEUES, MAINTENANCE_QUEUE],
          reportStages: true,
          redisCommandTimeoutMs: 2_000,
          metricsOnMainPort: false,
          dbPoolWaitMs: config.API_DB_POOL_WAIT_MS,
          dbStatementTimeoutMs: config.API_STATEMENT_TIMEOUT_MS,
        }),
        ThrottlerModule.forRootAsync({
          inject: [REDIS],
          useFactory: (redis: Redis) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
            storage: new RedisThrottlerStorage(redis, `pw-throttle:${config.QUEUE_PREFIX}`),
          }),
        }),
      ],
      controllers: [
        PapersController,
        TopicsController,
        ClaimsController,
        StatsController,
        FeedsController,
        UnsubscribeController, // before SubscriptionsController: /v1/subscriptions/confirm is not an :id
        SubscriptionsController,
        SourcesController,
        AdminController,
        OpsController,
        DailyController,
        TrendingController,
        HomeController,
        PaperPageController,
        HfController,
      ],
      providers: [
        PapersService,
        StatsService,
        DailyService,
        TrendingService,
        AuthFailures,
        SimilarService,
        ListingsService,
        readDataSourceProvider(config),
        ReadDataSourceLifecycle,
        // Order matters: authentication first, so the throttler can count per key.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyOrIpThrottlerGuard },
      ],
      exports: [ListingsService],
    };
  }
}
