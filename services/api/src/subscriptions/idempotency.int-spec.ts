import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '@paperwire/testing';
import type { ProblemException } from '../common/problem';
import { idempotent } from './idempotency';

jest.setTimeout(30_000);

// The in-flight claim of an Idempotency-Key (real Redis) lives as long as its create runs, however long that is: a
// create's life has no bound the api's config sets (several statements, each with its own pool wait and statement
// timeout; the webhook target's DNS lookup; the confirmation's enqueue), and a claim that lapsed under a create still
// running let a retry create a duplicate. Here the claim's life is 3 s (60 s in the api) and the create runs 7 s.

const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
const scope = `idempotency-spec:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => redis.connect());
afterAll(async () => {
  const keys = await redis.keys(`${scope}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

it('a create running past the claim’s life keeps its key: a retry meanwhile is a 409, then gets its answer', async () => {
  let runs = 0;
  const body = { name: 'slow' };
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const create = async () => {
    const run = (runs += 1);
    if (run === 1) await released; // the first create runs on; a duplicate (the bug) returns at once
    return { id: `sub-${run}` };
  };
  const first = idempotent(redis, scope, 'slow-key', body, create, 3);
  // well past the claim's 3 s: without renewal it lapsed twice over
  await sleep(7_000);
  const retry = await idempotent(redis, scope, 'slow-key', body, create, 3).then(
    () => 'ran',
    (err: ProblemException) => err.getStatus(),
  );
  expect(retry).toBe(409);
  release();
  expect(await first).toEqual({ id: 'sub-1' });
  expect(await idempotent(redis, scope, 'slow-key', body, create, 3)).toEqual({ id: 'sub-1' });
  expect(runs).toBe(1);
  // settled: the answer is kept the full day, no longer the claim's life
  const [key] = await redis.keys(`${scope}:*`);
  expect(await redis.ttl(key!)).toBeGreaterThan(24 * 3600 - 120);
});
