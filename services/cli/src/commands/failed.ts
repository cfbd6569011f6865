import { ALL_QUEUES, isQueueName, type QueueName } from '@paperwire/contracts';
import type { QueueSet } from '@paperwire/queue';

function queueNamed(name: string): QueueName {
  if (!isQueueName(name)) throw new Error(`unknown queue ${name}`);
  return name;
}

/** The dead-letter set: failed jobs with their reasons. */
export async function listFailed(queues: QueueSet, queue?: string, limit = 50): Promise<Record<string, unknown>[]> {
  const names = queue ? [queueNamed(queue)] : ALL_QUEUES;
  const out: Record<string, unknown>[] = [];
  for (const name of names) {
    for (const job of await queues.get(name).getFailed(0, limit - 1)) {
      out.push({ queue: name, id: job.id, name: job.name, attempts: job.attemptsMade, failedReason: job.failedReason, finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, data: job.data });
    }
  }
  return out;
}

export async function retryFailed(queues: QueueSet, queue: string, jobId?: string): Promise<number> {
  const q = queues.get(queueNamed(queue));
  if (jobId) {
    const job = await q.getJob(jobId);
    if (!job || !(await job.isFailed())) throw new Error(`no failed job ${jobId} in ${queue}`);
    await job.retry('failed');
    return 1;
  }
  const failed = await q.getFailed(0, 9999);
  for (const job of failed) await job.retry('failed');
  return failed.length;
}
