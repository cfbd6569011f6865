import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { CONFIG, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { ExtractorService } from './extractor.service';

@Processor(QUEUES.extract, { lockDuration: 30_000 })
export class ExtractProcessor extends StageWorker {
  protected readonly queueName = QUEUES.extract;
  protected readonly concurrency: number;

  constructor(
    private readonly extractor: ExtractorService,
    @Inject(CONFIG) config: CommonEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 2;
  }

  protected handlers(): JobHandlers {
    return { 'extract-claims': (data) => this.extractor.handleExtractClaims(data.papers) };
  }
}
