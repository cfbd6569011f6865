import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import type { FetcherEnv } from '@paperwire/config';
import { CONFIG, StageWorker, isLastAttempt, type JobHandlers } from '@paperwire/service-kit';
import { FetcherService } from './fetcher.service';

@Processor(QUEUES.fetch, { lockDuration: 30_000 })
export class FetchProcessor extends StageWorker {
  protected readonly queueName = QUEUES.fetch;
  protected readonly concurrency: number;

  constructor(
    private readonly fetcher: FetcherService,
    @Inject(CONFIG) config: FetcherEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 4;
  }

  protected handlers(): JobHandlers {
    return {
      'fetch-source': (data, job, token) =>
        this.fetcher.handleFetchSource(data.sourceId, data.reason, isLastAttempt(job), job, token),
    };
  }
}
