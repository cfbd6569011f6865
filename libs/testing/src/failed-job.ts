import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './db';

/**
 * Puts one job in a queue's failed set the way production does: a worker takes it and throws
 * `message` on its only attempt. Resolves with the failed job once the worker has stopped.
 */
export async function failOneJob(prefix: string, queueName: string, jobName: string, data: Record<string, unknown>, message: string): Promise<Job> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const workerConnection = connection.duplicate();
  const queue = new Queue(queueName, { connection, prefix });
  try {
    const failed = new Promise<void>((resolve) => {
      const worker = new Worker(
        queueName,
        async () => {
          throw new Error(message);
        },
        { connection: workerConnection, prefix },
      );
      worker.on('failed', () => void worker.close().then(resolve));
    });
    const job = await queue.add(jobName, data, { attempts: 1 });
    await failed;
    return job;
  } finally {
    await queue.close();
    await connection.quit();
    await workerConnection.quit();
  }
}
