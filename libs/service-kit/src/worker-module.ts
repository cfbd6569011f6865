import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { QueueName } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { bullImports } from './bull';
import { CoreModule, type CoreOptions } from './core.module';

/**
 * The root module of a worker service (a stage, the notifier, the sweeper): the shared core reporting
 * the depth of the queues it consumes, BullMQ on those queues, and the service's own providers. `core`: what the
 * depth gauges leave out (see CoreOptions).
 */
export function workerModule(
  module: Type,
  service: string,
  config: CommonEnv,
  consumes: QueueName[],
  providers: Provider[],
  core: Pick<CoreOptions, 'failedLeftOut'> = {},
): DynamicModule {
  return {
    module,
    imports: [CoreModule.forRoot(service, config, { ...core, reportQueues: consumes }), ...bullImports(service, config, consumes)],
    providers,
  };
}
