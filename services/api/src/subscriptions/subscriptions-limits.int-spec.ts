import 'reflect-metadata';
import { MAX_SUBSCRIPTIONS_PER_KEY } from '@paperwire/actions';
import { createApiKey } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// Every subscription is matched against every new paper: a key
// (without the admin scope) holds at most MAX_SUBSCRIPTIONS_PER_KEY of them, also under concurrent creates.

describe('subscriptions per key', () => {
  const keys: Record<string, { id: string; key: string }> = {};
  const api = useTestApi(
    't_subscription_limits',
    async ({ ds }) => {
      for (const [name, scopes] of [
        ['full', ['subscriptions']],
        ['racing', ['subscriptions']],
        ['admin', ['admin']],
      ] as const)
        keys[name] = await createApiKey(ds, { name, scopes: [...scopes] });
      // Each key but `racing` already holds the maximum; `racing` one less.
      for (const [name, n] of [
        ['full', MAX_SUBSCRIPTIONS_PER_KEY],
        ['racing', MAX_SUBSCRIPTIONS_PER_KEY - 1],
        ['admin', MAX_SUBSCRIPTIONS_PER_KEY],
      ] as const)
        await ds.query(
          `INSERT INTO subscriptions (owner_key_id, name, channel, target, secrets)
           SELECT $1, 'seeded ' || i, 'webhook', 'https://93.184.215.14/hook/' || i, '[]'::jsonb FROM generate_series(1, $2) i`,
          [keys[name]!.id, n],
        );
    },
    { RATE_LIMIT_PER_MINUTE: '100000' },
  );
  const http = api.http;
  const create = (key: string, path = 'new') =>
    http().post('/v1/subscriptions').set('X-API-Key', key).send({ channel: 'webhook', target: `https://93.184.215.14/${path}` });
  const count = async (name: string) =>
    (await api.db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE owner_key_id = $1`, [keys[name]!.id]))[0].n as number;

  it('refuses one more with a 409 problem naming the limit; deleting one makes room', async () => {
    const refused = await create(keys.full!.key).expect(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.detail).toContain(String(MAX_SUBSCRIPTIONS_PER_KEY));
    expect(await count('full')).toBe(MAX_SUBSCRIPTIONS_PER_KEY);
    const [{ id }] = await api.db.ds.query(`SELECT id FROM subscriptions WHERE owner_key_id = $1 LIMIT 1`, [keys.full!.id]);
    await http().delete(`/v1/subscriptions/${id}`).set('X-API-Key', keys.full!.key).expect(204);
    await create(keys.full!.key).expect(201);
    expect(await count('full')).toBe(MAX_SUBSCRIPTIONS_PER_KEY);
  });

  it('concurrent creates at the last free place: exactly one succeeds', async () => {
    const statuses = (await Promise.all(Array.from({ length: 4 }, (_, i) => create(keys.racing!.key, `race-${i}`)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    expect(await count('racing')).toBe(MAX_SUBSCRIPTIONS_PER_KEY);
  });

  it('an admin key is the operator’s and is not limited', async () => {
    await create(keys.admin!.key).expect(201);
  });
});
