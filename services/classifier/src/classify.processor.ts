import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { ClassifierService } from './classifier.service';

@StageProcessor(QUEUES.classify)
export class ClassifyProcessor extends StageWorker {
  constructor(private readonly classifier: ClassifierService) {
    super();
  }

  protected handlers(): JobHandlers {
    return { 'classify-papers': (data) => this.classifier.handleClassifyPapers(data.papers) };
  }
}
