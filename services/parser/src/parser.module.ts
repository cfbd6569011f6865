import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { workerModule } from '@paperwire/service-kit';
import { ParseProcessor, SearchProcessor } from './parse.processor';
import { ParserService } from './parser.service';
import { PaperRepository } from './paper.repository';

@Module({})
export class ParserModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return workerModule(ParserModule, 'parser', config, [QUEUES.parse, QUEUES.search], [
      ParseProcessor,
      SearchProcessor,
      ParserService,
      PaperRepository,
    ]);
  }
}
