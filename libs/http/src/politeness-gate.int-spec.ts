import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
// Specs may use the shared test helpers; the util lib itself never imports them.
import { deleteRedisKeys, startReplayServer, type ReplayServer } from '@paperwire/testing';
import { createRedisPolitenessGate, POLITENESS_GUARD_MS } from './politeness-gate';
import { safeFetch } from './safe-fetch';

// Two ioredis connections stand in for two fetcher replicas sharing one Redis.
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `pw-test:http-politeness:${process.pid}-${randomBytes(4).toString('hex')}`;

describe('createRedisPolitenessGate across two replicas', () => {
  let a: Redis;
  let b: Redis;
  let server: ReplayServer;

  beforeAll(async () => {
    a = new Redis(REDIS_URL, { lazyConnect: true });
    b = new Redis(REDIS_URL, { lazyConnect: true });
    await Promise.all([a.connect(), b.connect()]);
    server = await startReplayServer({ '/feed': { body: 'ok' } });
  });

  afterAll(async () => {
    await deleteRedisKeys([`${PREFIX}:*`], a);
    await server.close();
    a.disconnect();
    b.disconnect();
  });

  it('keeps request starts at least minInterval apart when two gates interleave', async () => {
    const minIntervalMs = 150;
    const gates = [createRedisPolitenessGate(a, PREFIX), createRedisPolitenessGate(b, PREFIX)];
    const host = new URL(server.url).host;
    const started = Date.now();
    const released: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await gates[i % 2].acquire(host, minIntervalMs);
        released.push(Date.now());
        await safeFetch(`${server.url}/feed`, { allowPrivate: true });
      }),
    );
    // The guarantee is on request starts, i.e. when acquire lets the caller go: the k-th start is never
    // earlier than k intervals after the first acquire. A timer firing late (a loaded machine) only makes
    // a start later, so this holds at any speed; the slots' spacing itself is pinned in the next test.
    released.sort((x, y) => x - y);
    released.forEach((t, k) => expect(t - started).toBeGreaterThanOrEqual(k * minIntervalMs));
    // Requests reach the server after they start, so arrivals keep the same bound.
    const arrivals = server
      .hits('/feed')
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(arrivals).toHaveLength(6);
    arrivals.forEach((t, k) => expect(t - started).toBeGreaterThanOrEqual(k * minIntervalMs));
  });

  it('reserves distinct slots atomically and sleeps once per acquire (no polling)', async () => {
    const waits: number[] = [];
    const record = async (ms: number) => void waits.push(ms);
    const gates = [
      createRedisPolitenessGate(a, PREFIX, record),
      createRedisPolitenessGate(b, PREFIX, record),
    ];
    const minIntervalMs = 1000;
    const before = Date.now();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => gates[i % 2].acquire('slots.example', minIntervalMs)),
    );
    // The recording sleep returns at once, so this spans every reservation: Redis' clock moved less.
    const elapsed = Date.now() - before;
    // One request goes at once (no sleep); the rest wait for slots 1..5 intervals out, minus however
    // far Redis' clock moved between the calls.
    expect(waits).toHaveLength(5);
    const sorted = [...waits].sort((x, y) => x - y);
    const spacing = minIntervalMs + POLITENESS_GUARD_MS;
    sorted.forEach((w, i) => {
      expect(w).toBeLessThanOrEqual((i + 1) * spacing);
      expect(w).toBeGreaterThanOrEqual((i + 1) * spacing - elapsed - 1);
    });
    // The reservation expires on its own a second after its last slot (six slots from the first acquire).
    const ttl = await a.pttl(`${PREFIX}:slots.example`);
    const since = Date.now() - before;
    expect(ttl).toBeGreaterThanOrEqual(6 * spacing + 1000 - since - 1);
    expect(ttl).toBeLessThanOrEqual(6 * spacing + 1000);
  });

  it('does not hold up other hosts', async () => {
    const waits: number[] = [];
    const gate = createRedisPolitenessGate(b, PREFIX, async (ms) => void waits.push(ms));
    await gate.acquire('busy.example', 60_000);
    await gate.acquire('idle.example', 60_000);
    expect(waits).toEqual([]);
  });
});
