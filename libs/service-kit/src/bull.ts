import { BullModule } from '@nestjs/bullmq';
import type { DynamicModule } from '@nestjs/common';
import type { QueueName } from '@paperwire/contracts';
import type { CommonEnv } from '@paperwire/config';
import { createRedis, defaultJobOptionsFor } from '@paperwire/queue';
import { bullmqTelemetry } from '@paperwire/telemetry';

/** BullMQ root config (connection, Cluster-safe prefix, telemetry) and the queues a service consumes. */
export function bullImports(service: string, config: CommonEnv, consumes: QueueName[]): DynamicModule[] {
  return [
    BullModule.forRoot({
      connection: createRedis(config.REDIS_URL, { connectionName: `paperwire-${service}-worker` }),
      prefix: config.QUEUE_PREFIX,
      telemetry: bullmqTelemetry(service),
    }),
    ...consumes.map((name) => BullModule.registerQueue({ name, defaultJobOptions: defaultJobOptionsFor(name) })),
  ];
}
