import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { CoreModule, bullImports } from '@paperwire/service-kit';
import { ParseProcessor } from './parse.processor';
import { ParserService } from './parser.service';
import { PaperRepository } from './paper.repository';

@Module({})
export class ParserModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return {
      module: ParserModule,
      imports: [
        CoreModule.forRoot('parser', config, { reportQueues: [QUEUES.parse] }),
        ...bullImports('parser', config, [QUEUES.parse]),
      ],
      providers: [ParseProcessor, ParserService, PaperRepository],
    };
  }
}
