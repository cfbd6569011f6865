import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@paperwire/contracts';
import { StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { SweeperService } from './sweeper.service';

/** Housekeeping: the sweep that re-enqueues work stranded by a crash or a Redis loss. */
@Processor(QUEUES.maintenance, { lockDuration: 30_000 })
export class SweepProcessor extends StageWorker {
  protected readonly queueName = QUEUES.maintenance;
  protected readonly concurrency = 1;

  constructor(private readonly sweeper: SweeperService) {
    super();
  }

  protected handlers(): JobHandlers {
    return { reconcile: () => this.sweeper.handleReconcile() };
  }
}
