import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueSet } from './queues';
import { createRedis } from './redis';

// `QueueSet.waitForJob` (what `subscriptions digest` waits with): BullMQ's waitUntilFinished on a QueueEvents of its
// own, no polling. A completed job answers its return value, a job failed for good its failure, and a job whose failed
// attempt waits for its retry has not finished: the wait runs out (null). The producers' connection may be the CLI's,
// which gives up a command after 3 retries (BullMQ refuses such a connection for a blocking reader).

const SUB = '00000000-0000-4000-8000-000000000001';
// (not @paperwire/testing's helpers: that library imports this one)
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('QueueSet.waitForJob', () => {
  const prefix = `{t_waitjob_${Date.now().toString(36)}_${process.pid}}`;
  let redis: Redis;
  let queues: QueueSet;
  let worker: Worker;
  let handle: (job: Job) => Promise<unknown> = async () => ({ result: 'delivered', papers: 2 });

  beforeAll(() => {
    redis = createRedis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
    queues = new QueueSet(redis, prefix);
    worker = new Worker('deliver', (job) => handle(job), { connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), prefix });
  });

  afterAll(async () => {
    await worker.close();
    (await worker.client).disconnect();
    await queues.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  let n = 0;
  const enqueue = () => queues.enqueue('send-digest', { subscriptionId: SUB }, { variant: `t${(n += 1)}` });

  it('answers a completed job with its return value, as soon as it completes', async () => {
    handle = async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { result: 'delivered', papers: 2 };
    };
    const started = Date.now();
    expect(await queues.waitForJob('deliver', await enqueue(), 10_000)).toEqual({ state: 'completed', returnvalue: { result: 'delivered', papers: 2 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers a job that completed before the wait began', async () => {
    handle = async () => 'skipped';
    const id = await enqueue();
    for (let i = 0; i < 100 && (await queues.get('deliver').getJobState(id)) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queues.waitForJob('deliver', id, 2_000)).toEqual({ state: 'completed', returnvalue: 'skipped' });
  });

  it('answers a job failed for good with its failure', async () => {
    handle = async () => {
      throw new UnrecoverableError('digest webhook failed: HTTP 410');
    };
    expect(await queues.waitForJob('deliver', await enqueue(), 10_000)).toEqual({ state: 'failed', reason: 'digest webhook failed: HTTP 410' });
  });

  it('runs out (null) while a failed attempt waits for its retry, and for a job not run or not there', async () => {
    handle = async () => {
      throw new Error('digest webhook failed: HTTP 503');
    };
    const id = await enqueue();
    const started = Date.now();
    expect(await queues.waitForJob('deliver', id, 1_500)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    const job = await queues.get('deliver').getJob(id);
    expect(job).toMatchObject({ attemptsMade: 1, failedReason: 'digest webhook failed: HTTP 503' });
    expect(await queues.get('deliver').getJobState(id)).toBe('delayed');
    expect(await queues.waitForJob('deliver', 'no-such-job', 1_000)).toBeNull();
    expect(await queues.waitForJob('deliver', id, 0)).toBeNull();
  });

  it('with untilRetry, answers a failed attempt waiting for its retry as soon as it failed: the failure and when', async () => {
    handle = async () => {
      throw new Error('digest webhook failed: HTTP 500');
    };
    const id = await enqueue();
    const started = Date.now();
    const outcome = await queues.waitForJob('deliver', id, 20_000, { untilRetry: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toEqual({ state: 'retrying', reason: 'digest webhook failed: HTTP 500', nextAttemptAt: expect.any(Number) });
    const job = (await queues.get('deliver').getJob(id))!;
    expect(await job.getState()).toBe('delayed');
    // the retry's due time: after the failure by the delay BullMQ picked
    const due = (outcome as { nextAttemptAt: number }).nextAttemptAt;
    expect(due).toBeGreaterThanOrEqual(started + job.delay);
    expect(due).toBeLessThanOrEqual(Date.now() + job.delay);
    // a job already waiting for its retry when the wait begins: at once, the same time
    const again = Date.now();
    expect(await queues.waitForJob('deliver', id, 20_000, { untilRetry: true })).toEqual(outcome);
    expect(Date.now() - again).toBeLessThan(2_000);
  });
});
