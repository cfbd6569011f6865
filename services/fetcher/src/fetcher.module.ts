import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { FetcherEnv } from '@paperwire/config';
import { workerModule } from '@paperwire/service-kit';
import { FetchProcessor } from './fetcher.processors';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';
import { SchedulerService } from './scheduler.service';

@Module({})
export class FetcherModule {
  static forRoot(config: FetcherEnv): DynamicModule {
    return workerModule(FetcherModule, 'fetcher', config, [QUEUES.fetch], [
      FetchProcessor,
      FetcherService,
      SourceRepository,
      SchedulerService,
    ]);
  }
}
