import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { ExtractorService } from './extractor.service';

@StageProcessor(QUEUES.extract)
export class ExtractProcessor extends StageWorker {
  constructor(private readonly extractor: ExtractorService) {
    super();
  }

  protected handlers(): JobHandlers {
    return { 'extract-claims': (data) => this.extractor.handleExtractClaims(data.papers) };
  }
}
