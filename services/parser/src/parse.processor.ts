import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import { CONFIG, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import type { CommonEnv } from '@paperwire/config';
import { ParserService } from './parser.service';

@Processor(QUEUES.parse, { lockDuration: 30_000 })
export class ParseProcessor extends StageWorker {
  protected readonly queueName = QUEUES.parse;
  protected readonly concurrency: number;

  constructor(
    private readonly parser: ParserService,
    @Inject(CONFIG) config: CommonEnv,
  ) {
    super();
    this.concurrency = config.CONCURRENCY ?? 2;
  }

  protected handlers(): JobHandlers {
    return { 'parse-document': (data) => this.parser.handleParseDocument(data.rawDocumentId) };
  }
}
