import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, isLastAttempt, type JobHandlers } from '@paperwire/service-kit';
import { FetcherService } from './fetcher.service';

@StageProcessor(QUEUES.fetch)
export class FetchProcessor extends StageWorker {
  protected override readonly defaultConcurrency = 4;

  constructor(private readonly fetcher: FetcherService) {
    super();
  }

  protected handlers(): JobHandlers {
    return {
      'fetch-source': (data, job, token) =>
        this.fetcher.handleFetchSource(data.sourceId, data.reason, isLastAttempt(job), job, token),
    };
  }
}
