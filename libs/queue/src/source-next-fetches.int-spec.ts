import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueSet, sourceNextFetches } from './queues';

// `sourceNextFetches` (every stats load: /ops, /v1/stats/pipeline) reads the fetch queue's ids and scores, not a job
// hash per queued fetch: it answers what reading every job's data answers (the reference below, as it was read before),
// for schedules, delayed retries, waiting and prioritized polls, and jobs whose id does not name their source.

// (not @paperwire/testing's helpers: that library imports this one)
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The next fetch per source from every job's data: the sooner of the schedule's next run and a queued fetch. */
async function reference(queue: Queue): Promise<Map<string, number>> {
  const next = new Map<string, number>();
  const sooner = (id: unknown, at: number) => {
    if (typeof id !== 'string') return;
    if (!next.has(id) || at < next.get(id)!) next.set(id, at);
  };
  for (const s of await queue.getJobSchedulers(0, -1)) if (s.key.startsWith('source-')) sooner(s.key.slice(7), Number(s.next));
  const now = Date.now();
  for (const job of await queue.getJobs(['waiting', 'prioritized'])) sooner((job.data as { sourceId?: unknown }).sourceId, now);
  const client = (await queue.client) as unknown as Redis;
  for (const job of await queue.getJobs(['delayed'])) {
    const score = await client.zscore(queue.toKey('delayed'), job.id!);
    sooner((job.data as { sourceId?: unknown }).sourceId, Math.floor(Number(score) / 0x1000));
  }
  return next;
}

describe('sourceNextFetches', () => {
  const prefix = `{t_nextfetch_${Date.now().toString(36)}_${process.pid}}`;
  let redis: Redis;
  let queues: QueueSet;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new QueueSet(redis, prefix);
  });

  afterAll(async () => {
    await queues.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('gives every source the time its jobs\' data gives it', async () => {
    const fetch = queues.get('fetch');
    const s = Array.from({ length: 8 }, () => randomUUID());
    const at = (ms: number) => ({ delay: ms });
    // schedules (each with its next run delayed), one not a source's
    for (const [i, every] of [[0, 3_600_000], [1, 600_000], [2, 86_400_000]] as const)
      await fetch.upsertJobScheduler(`source-${s[i]}`, { every }, { name: 'fetch-source', data: { sourceId: s[i], reason: 'schedule' } });
    await fetch.upsertJobScheduler('other-thing', { every: 60_000 }, { name: 'fetch-source', data: { sourceId: s[7], reason: 'schedule' } });
    // a retry sooner than the schedule (s1), a later one (s0), polls asked now (s3, by enqueue), a prioritized one (s4),
    // jobs whose ids do not name their source (s5 delayed, s6 waiting), and a job of no source
    await queues.enqueue('fetch-source', { sourceId: s[1], reason: 'schedule' }, { variant: 'r1', ...at(30_000) });
    await queues.enqueue('fetch-source', { sourceId: s[0], reason: 'schedule' }, { variant: 'r2', ...at(7_200_000) });
    await queues.enqueue('fetch-source', { sourceId: s[3], reason: 'manual' });
    await fetch.add('fetch-source', { sourceId: s[4], reason: 'manual' }, { jobId: `fetch-${s[4]}-p`, priority: 3 });
    await fetch.add('fetch-source', { sourceId: s[5], reason: 'retry' }, at(90_000));
    await fetch.add('fetch-source', { sourceId: s[6], reason: 'manual' });
    await fetch.add('fetch-source', { reason: 'manual' });

    const want = await reference(fetch);
    expect([...want.keys()].sort()).toEqual([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]].sort());
    const got = await sourceNextFetches(queues);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    // the same times (a queued-now time is read at each call: within the test's seconds)
    for (const [id, t] of want) expect(Math.abs(got.get(id)! - t)).toBeLessThan(id === s[3] || id === s[4] || id === s[6] || id === s[7] ? 5_000 : 1);
    // s1's retry is sooner than its schedule
    expect(got.get(s[1])! - Date.now()).toBeLessThan(31_000);
  });
});
