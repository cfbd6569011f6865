import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { FetcherEnv } from '@paperwire/config';
import { CoreModule, bullImports } from '@paperwire/service-kit';
import { FetchProcessor } from './fetcher.processors';
import { FetcherService } from './fetcher.service';
import { SourceRepository } from './source.repository';
import { SchedulerService } from './scheduler.service';

@Module({})
export class FetcherModule {
  static forRoot(config: FetcherEnv): DynamicModule {
    return {
      module: FetcherModule,
      imports: [
        CoreModule.forRoot('fetcher', config, { reportQueues: [QUEUES.fetch] }),
        ...bullImports('fetcher', config, [QUEUES.fetch]),
      ],
      providers: [
        FetchProcessor,
        FetcherService,
        SourceRepository,
        SchedulerService,
      ],
    };
  }
}
