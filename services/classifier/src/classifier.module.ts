import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { CoreModule, bullImports } from '@paperwire/service-kit';
import { ClassifyProcessor } from './classify.processor';
import { ClassifierService } from './classifier.service';
import { TopicRepository } from './topic.repository';

@Module({})
export class ClassifierModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [CoreModule.forRoot('classifier', config, { reportQueues: [QUEUES.classify] }), ...bullImports('classifier', config, [QUEUES.classify])],
      providers: [ClassifyProcessor, ClassifierService, TopicRepository],
    };
  }
}
