import { Module, type DynamicModule } from '@nestjs/common';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { workerModule } from '@paperwire/service-kit';
import { ClassifyProcessor } from './classify.processor';
import { ClassifierService } from './classifier.service';
import { TopicRepository } from './topic.repository';

@Module({})
export class ClassifierModule {
  static forRoot(config: CommonEnv): DynamicModule {
    return workerModule(ClassifierModule, 'classifier', config, [QUEUES.classify], [
      ClassifyProcessor,
      ClassifierService,
      TopicRepository,
    ]);
  }
}
