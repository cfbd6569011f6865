import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { workerModule } from '@paperwire/service-kit';
import { SweepProcessor } from './sweep.processor';
import { SweeperService } from './sweeper.service';

/** The recovery sweeper: one small process that puts work stranded anywhere in the pipeline back on its queue. */
@Module({})
export class SweeperModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return workerModule(SweeperModule, 'sweeper', config, [QUEUES.maintenance], [SweepProcessor, SweeperService]);
  }
}
