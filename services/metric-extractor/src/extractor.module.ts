import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { workerModule } from '@paperwire/service-kit';
import { ExtractProcessor } from './extract.processor';
import { ExtractorService } from './extractor.service';
import { ClaimRepository } from './claim.repository';

@Module({})
export class ExtractorModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return workerModule(ExtractorModule, 'metric-extractor', config, [QUEUES.extract], [
      ExtractProcessor,
      ExtractorService,
      ClaimRepository,
    ]);
  }
}
