import { QUEUES } from '@paperwire/contracts';
import { StageProcessor, StageWorker, type JobHandlers } from '@paperwire/service-kit';
import { SweeperService } from './sweeper.service';

/** Housekeeping: the sweep that re-enqueues work stranded by a crash or a Redis loss. */
@StageProcessor(QUEUES.maintenance)
export class SweepProcessor extends StageWorker {
  constructor(private readonly sweeper: SweeperService) {
    super();
  }

  // One sweep at a time, whatever CONCURRENCY says.
  protected override concurrency(): number {
    return 1;
  }

  protected handlers(): JobHandlers {
    return { reconcile: () => this.sweeper.handleReconcile() };
  }
}
