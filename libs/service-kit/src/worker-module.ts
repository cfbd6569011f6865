import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { QueueName } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { bullImports } from './bull';
import { CoreModule } from './core.module';

/**
 * The root module of a worker service (a stage, the notifier, the sweeper): the shared core reporting
 * the depth of the queues it consumes, BullMQ on those queues, and the service's own providers.
 */
export function workerModule(
  module: Type,
  service: string,
  config: CommonEnv,
  consumes: QueueName[],
  providers: Provider[],
): DynamicModule {
  return {
    module,
    imports: [CoreModule.forRoot(service, config, { reportQueues: consumes }), ...bullImports(service, config, consumes)],
    providers,
  };
}
