import { randomUUID } from 'node:crypto';
import { Worker, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueSet, indexQueuedFetches, noteFetchAttempt, sourceNextFetches } from './queues';

// `sourceNextFetches` (every stats load: /ops, /v1/stats/pipeline) looks each source's fetches up in its own index,
// never reading the queue: it answers what reading every job's data answers (the reference below), for schedules,
// delayed retries (of a poll or of the schedule's own job), waiting and prioritized polls, however many are queued.

// (not @paperwire/testing's helpers: that library imports this one)
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The next fetch per source from every job's data: the sooner of the schedule's next run and a queued fetch. */
async function reference(queue: Queue): Promise<{ next: Map<string, number>; now: number }> {
  const next = new Map<string, number>();
  const now = Date.now();
  const sooner = (id: unknown, at: number) => {
    if (typeof id !== 'string') return;
    if (!next.has(id) || at < next.get(id)!) next.set(id, at);
  };
  for (const s of await queue.getJobSchedulers(0, -1)) if (s.key.startsWith('source-')) sooner(s.key.slice(7), Number(s.next));
  for (const job of await queue.getJobs(['waiting', 'prioritized'])) sooner((job.data as { sourceId?: unknown }).sourceId, now);
  const client = (await queue.client) as unknown as Redis;
  for (const job of await queue.getJobs(['delayed'])) {
    const score = await client.zscore(queue.toKey('delayed'), job.id!);
    sooner((job.data as { sourceId?: unknown }).sourceId, Math.floor(Number(score) / 0x1000));
  }
  return { next, now };
}

describe('sourceNextFetches', () => {
  const prefixes: string[] = [];
  let redis: Redis;
  const queueSet = () => {
    const prefix = `{t_nextfetch_${Date.now().toString(36)}_${process.pid}_${prefixes.length}}`;
    prefixes.push(prefix);
    return new QueueSet(redis, prefix);
  };
  const sets: QueueSet[] = [];

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    for (const set of sets) await set.close();
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    }
    redis.disconnect();
  });

  /** `got` gives every source `want` gives it, at the same time (a time due now is read at each call: seconds apart). */
  const expectSame = (got: Map<string, number>, want: { next: Map<string, number>; now: number }) => {
    expect([...got.keys()].sort()).toEqual([...want.next.keys()].sort());
    for (const [id, t] of want.next) expect({ id, off: Math.abs(got.get(id)! - t) < (t === want.now ? 5_000 : 1) }).toEqual({ id, off: true });
  };

  it('gives every source the time its jobs\' data gives it, however many fetches are queued before its own', async () => {
    const queues = queueSet();
    sets.push(queues);
    const fetch = queues.get('fetch');
    const s = Array.from({ length: 7 }, () => randomUUID());
    // a source whose only fetch waits behind (the wait list's far end from its newest) the 2,500 queued fetches of 50
    // other sources, half waiting, half delayed (the stats read at most 1,000 of each before)
    await queues.enqueue('fetch-source', { sourceId: s[5], reason: 'manual' }, { variant: 'first' });
    const others = Array.from({ length: 50 }, () => randomUUID());
    for (let g = 0; g < 50; g++)
      await queues.enqueueBulk('fetch-source', others.map((sourceId) => ({ sourceId, reason: 'manual' as const })), { variant: `b${g}`, delay: g % 2 ? 0 : 60_000 + g });
    // schedules (each with its next run delayed)
    for (const [i, every] of [[0, 3_600_000], [1, 600_000], [2, 86_400_000]] as const)
      await fetch.upsertJobScheduler(`source-${s[i]}`, { every }, { name: 'fetch-source', data: { sourceId: s[i], reason: 'schedule' } });
    // a retry sooner than the schedule (s1), a later one (s0), a poll asked now (s3), a prioritized one (s4), and a
    // source whose only fetch is the latest of the delayed ones (s6)
    await queues.enqueue('fetch-source', { sourceId: s[1], reason: 'schedule' }, { variant: 'r1', delay: 30_000 });
    await queues.enqueue('fetch-source', { sourceId: s[0], reason: 'schedule' }, { variant: 'r2', delay: 7_200_000 });
    await queues.enqueue('fetch-source', { sourceId: s[3], reason: 'manual' });
    await queues.enqueue('fetch-source', { sourceId: s[4], reason: 'manual' }, { variant: 'p', priority: 3 });
    await queues.enqueue('fetch-source', { sourceId: s[6], reason: 'backfill' }, { variant: 'late', delay: 30 * 86_400_000 });

    const want = await reference(fetch);
    expect(want.next.size).toBe(57);
    const got = await sourceNextFetches(queues, [...s, ...others, randomUUID()]);
    expectSame(got, want);
    // s1's retry is sooner than its schedule
    expect(got.get(s[1])! - Date.now()).toBeLessThan(31_000);
  });

  it('finds fetches queued before the index was kept once the fetcher has indexed them (at its start)', async () => {
    const queues = queueSet();
    sets.push(queues);
    const fetch = queues.get('fetch');
    const [retrying, polled] = [randomUUID(), randomUUID()];
    // as an earlier version queued them: not through the index
    await fetch.add('fetch-source', { sourceId: retrying, reason: 'schedule' }, { jobId: `fetch-${retrying}-r`, delay: 600_000 });
    await fetch.add('fetch-source', { sourceId: polled, reason: 'manual' }, { jobId: `fetch-${polled}-m` });
    expect((await sourceNextFetches(queues, [retrying, polled])).size).toBe(0);
    expect(await indexQueuedFetches(queues)).toBe(2);
    expectSame(await sourceNextFetches(queues, [retrying, polled]), await reference(fetch));
  });

  it('finds the retry of a schedule\'s own job, and forgets a fetch once it is done', async () => {
    const queues = queueSet();
    sets.push(queues);
    const fetch = queues.get('fetch');
    const [scheduled, polled] = [randomUUID(), randomUUID()];
    await fetch.upsertJobScheduler(`source-${scheduled}`, { every: 3_600_000 }, { name: 'fetch-source', data: { sourceId: scheduled, reason: 'schedule' } });
    await queues.enqueue('fetch-source', { sourceId: polled, reason: 'manual' });
    for (const job of await fetch.getJobs(['delayed'])) await job.promote();
    // the fetcher notes each attempt first: the schedule's job fails (a retry after its backoff), the poll is done
    let settled = 0;
    const connection = redis.duplicate();
    const done = new Promise<void>((resolve) => {
      const worker = new Worker(
        'fetch',
        async (job: Job<{ sourceId: string; reason: string }>) => {
          await noteFetchAttempt(queues, job.data.sourceId, job.id!);
          if (job.data.reason === 'schedule') throw new Error('upstream 503');
        },
        { connection, prefix: prefixes.at(-1) },
      );
      const one = () => {
        settled += 1;
        if (settled === 2) void worker.close().then(() => resolve());
      };
      worker.on('failed', one);
      worker.on('completed', one);
    });
    await done;
    connection.disconnect();
    const want = await reference(fetch);
    const got = await sourceNextFetches(queues, [scheduled, polled]);
    expectSame(got, want);
    // the retry, not the schedule's next run an hour on
    expect(got.get(scheduled)! - Date.now()).toBeLessThan(60_000);
    expect(got.has(polled)).toBe(false);
    expect(await redis.zcard(fetch.toKey(`source-fetches:${polled}`))).toBe(0);
  });

  it('gives a fetch being attempted now (active) as due now, not as no next fetch ("when asked" on /ops)', async () => {
    const queues = queueSet();
    sets.push(queues);
    const polled = randomUUID();
    await queues.enqueue('fetch-source', { sourceId: polled, reason: 'manual' });
    let started!: () => void;
    let release!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const connection = redis.duplicate();
    const worker = new Worker(
      'fetch',
      async (job: Job<{ sourceId: string }>) => {
        await noteFetchAttempt(queues, job.data.sourceId, job.id!);
        started();
        await gate;
      },
      { connection, prefix: prefixes.at(-1) },
    );
    try {
      await running;
      const got = await sourceNextFetches(queues, [polled]);
      expect(Math.abs(got.get(polled)! - Date.now())).toBeLessThan(5_000);
    } finally {
      release();
      await worker.close();
      connection.disconnect();
    }
  });
});
