import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { ParserService } from './parser.service';

@StageProcessor(QUEUES.parse)
export class ParseProcessor extends StageWorker {
  constructor(private readonly parser: ParserService) {
    super();
  }

  protected handlers(): JobHandlers {
    return {
      'parse-document': (data) => this.parser.handleParseDocument(data.rawDocumentId),
      'index-search': (data) => this.parser.handleIndexSearch(data.refs),
    };
  }
}
