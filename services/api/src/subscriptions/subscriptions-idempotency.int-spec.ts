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
