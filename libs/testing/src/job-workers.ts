import { Worker, type Job } from 'bullmq';
import { JOB_QUEUE, parseJob, type JobName, type JobOf, type QueueName } from '@paperwire/contracts';
import type { TestStores } from './stores';

/** Each handler gets the validated payload and the job itself (its id, timestamp, attempts, as a service's worker sees them). */
export type TestJobHandlers = { [N in JobName]?: (data: JobOf<N>, job: Job) => Promise<unknown> };

/**
 * Workers for these jobs where the pipeline table puts them: one BullMQ worker per queue (`concurrency`
 * jobs at once, per queue), each dispatching by job name with the payload validated, as the services'
 * stage workers do. Two jobs of one queue share its worker (and its order); jobs of two queues do not.
 */
export function startJobWorkers(
  stores: TestStores,
  handlers: TestJobHandlers,
  concurrency: Partial<Record<QueueName, number>> = {},
): { queues: QueueName[]; close(): Promise<void> } {
  const names = Object.keys(handlers) as JobName[];
  const queues = [...new Set(names.map((n) => JOB_QUEUE[n]))];
  const workers = queues.map(
    (queue) =>
      new Worker(
        queue,
        async (job: Job) => {
          const handler = handlers[job.name as JobName] as ((d: unknown, job: Job) => Promise<unknown>) | undefined;
          if (!handler || JOB_QUEUE[job.name as JobName] !== queue) throw new Error(`no handler for ${job.name} on ${queue}`);
          return handler(parseJob(job.name as JobName, job.data), job);
        },
        { connection: stores.redis.duplicate(), prefix: stores.prefix, concurrency: concurrency[queue] ?? 1 },
      ),
  );
  return {
    queues,
    close: async () => {
      for (const w of workers) {
        await w.close();
        (await w.client).disconnect();
      }
    },
  };
}
