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
    };
  }
}

/**
 * The full-text vectors (issue #19), on their own queue in the parser process: one job at a time, whatever
 * CONCURRENCY says. It takes a batch as soon as one waits, however long the parse backlog, so the vectors
 * trail the papers by at most the batches before it (each ~0.5 s of Postgres for 500 papers), and it never
 * holds more than one of the parser's database connections.
 */
@StageProcessor(QUEUES.search)
export class SearchProcessor extends StageWorker {
  constructor(private readonly parser: ParserService) {
    super();
  }

  protected override concurrency(): number {
    return 1;
  }

  protected handlers(): JobHandlers {
    return {
      'index-search': (data) => this.parser.handleIndexSearch(data.refs),
    };
  }
}
