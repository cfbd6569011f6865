import 'reflect-metadata';
import type { Redis } from 'ioredis';
import { createApiKey } from '@paperwire/db';
import { REDIS } from '@paperwire/service-kit';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// POST /v1/subscriptions with an Idempotency-Key (real Postgres and Redis): a client that lost the answer (a
// timeout, a dropped connection) retries with the same key and gets the same 201, the secret included, and
// no second subscription. Per API key; 24 hours; another body under the same key is a 422.

describe('Idempotency-Key on POST /v1/subscriptions', () => {
  const keys: Record<'a' | 'b', { id: string; key: string }> = {} as never;
  const api = useTestApi(
    't_subscription_idempotency',
    async ({ ds }) => {
      keys.a = await createApiKey(ds, { name: 'a', scopes: ['subscriptions'] });
      keys.b = await createApiKey(ds, { name: 'b', scopes: ['subscriptions'] });
    },
    { RATE_LIMIT_PER_MINUTE: '100000' },
  );
  const post = (key: string, body: object, idem?: string) => {
    const req = api.http().post('/v1/subscriptions').set('X-API-Key', key);
    return (idem === undefined ? req : req.set('Idempotency-Key', idem)).send(body);
  };
  const count = async (name: string) =>
    (await api.db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE name = $1`, [name]))[0]
      .n as number;
  let n = 0;
  const body = () => ({
    name: `idem-${++n}`,
    channel: 'webhook',
    target: `https://93.184.215.14/hook/${n}`,
    filters: { keywords: ['llm'], hasCode: true },
  });

  it('the same key and body again: the same 201 answer, secret included, and one subscription', async () => {
    const b = body();
    const first = await post(keys.a.key, b, 'key-1').expect(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    // the same body with its fields in another order
    const reordered = {
      filters: { hasCode: true, keywords: ['llm'] },
      target: b.target,
      channel: b.channel,
      name: b.name,
    };
    const again = await post(keys.a.key, reordered, 'key-1').expect(201);
    expect(again.body).toEqual(first.body);
    expect(await count(b.name)).toBe(1);
  });

  it('the same key with another body: 422, nothing created; the first answer stays', async () => {
    const b = body();
    const first = await post(keys.a.key, b, 'key-2').expect(201);
    const other = { ...b, target: 'https://93.184.215.14/elsewhere' };
    const res = await post(keys.a.key, other, 'key-2').expect(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, title: 'Unprocessable Content' });
    expect(JSON.stringify(res.body)).toContain('Idempotency-Key');
    expect(JSON.stringify(res.body)).not.toContain('whsec_');
    expect(await api.db.ds.query(`SELECT target FROM subscriptions WHERE name = $1`, [b.name])).toEqual([
      { target: b.target },
    ]);
    expect((await post(keys.a.key, b, 'key-2').expect(201)).body).toEqual(first.body);
  });

  it('keys are per API key: another key with the same Idempotency-Key makes its own subscription', async () => {
    const b = body();
    const mine = await post(keys.a.key, b, 'shared').expect(201);
    const theirs = await post(keys.b.key, b, 'shared').expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.secret).not.toBe(mine.body.secret);
    expect(await count(b.name)).toBe(2);
  });

  it('concurrent repeats: one subscription; every answer is that 201 or a 409 while it runs', async () => {
    const b = body();
    const results = await Promise.all(Array.from({ length: 5 }, () => post(keys.a.key, b, 'race')));
    expect(await count(b.name)).toBe(1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.headers['retry-after']).toBe('1');
    }
    expect((await post(keys.a.key, b, 'race').expect(201)).body.id).toBe(created[0]!.body.id);
  });

  /** Runs `during` while POSTs of key A's creates wait on the per-owner lock of insertSubscriptionWithin. */
  async function whileCreatesWait<T>(during: () => Promise<T>): Promise<T> {
    const qr = api.db.ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(`SELECT pg_advisory_xact_lock(hashtextextended('pw-subscriptions-of:' || $1::text, 0))`, [
        keys.a.id,
      ]);
      return await during();
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  }
  const idempotencyKeys = () =>
    api.app.get<Redis>(REDIS).keys(`${api.prefix}:idempotency:create-subscription:${keys.a.id}:*`);

  it('a request still running holds its key a minute at most (a process that dies mid-create does not answer 409 for a day)', async () => {
    const redis = api.app.get<Redis>(REDIS);
    const before = new Set(await idempotencyKeys());
    const b = body();
    const first = await whileCreatesWait(async () => {
      const pending = post(keys.a.key, b, 'slow').then((r) => r);
      let held: string[] = [];
      for (let i = 0; i < 100 && held.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        held = (await idempotencyKeys()).filter((k) => !before.has(k));
      }
      expect(held).toHaveLength(1);
      const ttl = await redis.ttl(held[0]!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
      const busy = await post(keys.a.key, b, 'slow').expect(409);
      expect(busy.headers['retry-after']).toBe('1');
      return { pending, key: held[0]! };
    });
    const created = await first.pending;
    expect(created.status).toBe(201);
    // answered: the answer is kept the full 24 hours
    expect(await redis.ttl(first.key)).toBeGreaterThan(24 * 3600 - 120);
    expect((await post(keys.a.key, b, 'slow').expect(201)).body).toEqual(created.body);
    expect(await count(b.name)).toBe(1);
  });

  it('an answer Redis fails to store is still given (its secret is shown only there), and a refusal stays a refusal', async () => {
    const redis = api.app.get<Redis>(REDIS);
    // Every command on an idempotency key after the claim (SET NX) fails, as when Redis goes away mid-request.
    const before = new Set(await idempotencyKeys());
    const send = redis.sendCommand.bind(redis);
    const spy = jest.spyOn(redis, 'sendCommand').mockImplementation(((cmd: { name: string; args: unknown[] }) => {
      const touchesKey = cmd.args.some((a) => String(a).includes(':idempotency:'));
      const claim = cmd.name === 'set' && cmd.args.includes('NX');
      if (touchesKey && !claim && cmd.name !== 'get') return Promise.reject(new Error('Connection is closed.'));
      return send(cmd as never);
    }) as never);
    try {
      const b = body();
      const created = await post(keys.a.key, b, 'lost-store');
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      expect(await count(b.name)).toBe(1);
      const refused = await post(keys.a.key, { ...body(), target: 'http://127.0.0.1/x' }, 'lost-settle');
      expect(refused.status).toBe(400);
    } finally {
      spy.mockRestore();
    }
    // What was left is the claims, lapsing within the minute (here, made to lapse now).
    const left = (await idempotencyKeys()).filter((k) => !before.has(k));
    expect(left.length).toBeGreaterThanOrEqual(1);
    for (const k of left) {
      expect(await redis.ttl(k)).toBeLessThanOrEqual(60);
      await redis.del(k);
    }
  });

  it('a body nested thousands of levels deep (a few kilobytes) is a 400 with a key as without one, never a 500', async () => {
    for (const depth of [40, 6_000, 50_000]) {
      const raw = `{"name":"deep","channel":"webhook","filters":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      for (const idem of [undefined, `deep-${depth}`]) {
        const req = api.http().post('/v1/subscriptions').set('X-API-Key', keys.a.key).set('Content-Type', 'application/json');
        const res = await (idem === undefined ? req : req.set('Idempotency-Key', idem)).send(raw);
        expect([depth, idem, res.status]).toEqual([depth, idem, 400]);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
    }
    expect(await count('deep')).toBe(0);
  });

  it('Redis unavailable when the key is claimed: a 503 with Retry-After, nothing created', async () => {
    const redis = api.app.get<Redis>(REDIS);
    const send = redis.sendCommand.bind(redis);
    const spy = jest.spyOn(redis, 'sendCommand').mockImplementation(((cmd: { name: string; args: unknown[] }) =>
      cmd.args.some((a) => String(a).includes(':idempotency:'))
        ? Promise.reject(new Error('Connection is closed.'))
        : send(cmd as never)) as never);
    const b = body();
    try {
      const res = await post(keys.a.key, b, 'no-redis');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    } finally {
      spy.mockRestore();
    }
    expect(await count(b.name)).toBe(0);
  });

  it('a refused request stores nothing: the same key then works with a corrected body', async () => {
    const b = { ...body(), target: 'http://127.0.0.1/private' };
    await post(keys.a.key, b, 'key-3').expect(400);
    await post(keys.a.key, b, 'key-3').expect(400);
    const fixed = await post(keys.a.key, { ...b, target: 'https://93.184.215.14/fixed' }, 'key-3').expect(
      201,
    );
    expect(fixed.body.target).toBe('https://93.184.215.14/fixed');
    expect(await count(b.name)).toBe(1);
  });

  it('the answer is kept 24 hours, under a hash of the key; a bad key is a 400; without a key nothing changes', async () => {
    const redis = api.app.get<Redis>(REDIS);
    await post(keys.a.key, body(), 'ttl-key').expect(201);
    const stored = await redis.keys(`${api.prefix}:idempotency:create-subscription:${keys.a.id}:*`);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.join(' ')).not.toContain('ttl-key');
    for (const k of stored) {
      const ttl = await redis.ttl(k);
      expect(ttl).toBeGreaterThan(24 * 3600 - 120);
      expect(ttl).toBeLessThanOrEqual(24 * 3600);
    }
    for (const bad of ['', 'has space', 'x'.repeat(256), 'ümlaut']) {
      const b = body();
      const res = await post(keys.a.key, b, bad);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(await count(b.name)).toBe(0);
    }
    const b = body();
    await post(keys.a.key, b).expect(201);
    await post(keys.a.key, b).expect(201);
    expect(await count(b.name)).toBe(2);
  });
});
