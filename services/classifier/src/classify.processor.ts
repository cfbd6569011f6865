import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { CONFIG, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { ClassifierService } from './classifier.service';

@Processor(QUEUES.classify, { lockDuration: 30_000 })
export class ClassifyProcessor extends StageWorker {
  protected readonly queueName = QUEUES.classify;
  protected readonly concurrency: number;

  constructor(
    private readonly classifier: ClassifierService,
    @Inject(CONFIG) config: CommonEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 2;
  }

  protected handlers(): JobHandlers {
    return { 'classify-papers': (data) => this.classifier.handleClassifyPapers(data.papers) };
  }
}
