import 'reflect-metadata';
import { MIGRATIONS, createApiKey } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// An email subscription created without a name was named "email reader@example.com", and its digests read
// `… 30 new papers for "email reader@example.com"`. A default name says what the subscription sends; rows named by
// the old default are renamed so (migration 1796310000001); names their owners gave are kept.
describe('email subscriptions without a name', () => {
  let key = '';
  const api = useTestApi('t_email_names', async ({ ds }) => {
    key = (await createApiKey(ds, { name: 'owner', scopes: ['subscriptions'] })).key;
  });
  const create = (body: object) => api.http().post('/v1/subscriptions').set('X-API-Key', key).send({ channel: 'email', ...body });

  it('are named by what they send, never by their address', async () => {
    const daily = await create({ target: 'reader@example.com', mode: 'daily', schedule: { hour: 8 } }).expect(201);
    expect(daily.body.name).toBe('Daily digest');
    const instant = await create({ target: 'reader2@example.com' }).expect(201);
    expect(instant.body.name).toBe('Instant alerts');
    const named = await create({ target: 'reader3@example.com', name: 'My RAG feed', mode: 'daily', schedule: { hour: 8 } }).expect(201);
    expect(named.body.name).toBe('My RAG feed');
    // a default name follows a new mode; a name its owner gave stays
    const patch = (id: string) =>
      api.http().patch(`/v1/subscriptions/${id}`).set('X-API-Key', key).send({ mode: 'weekly', schedule: { hour: 8, weekday: 1 } }).expect(200);
    expect((await patch(daily.body.id)).body.name).toBe('Weekly digest');
    expect((await patch(named.body.id)).body.name).toBe('My RAG feed');
  });

  it('rows named by the old default get that name; names given by owners are kept', async () => {
    const insert = async (name: string, target: string, mode: string, channel = 'email') =>
      (
        await api.db.ds.query(
          `INSERT INTO subscriptions (name, channel, target, mode, schedule, status) VALUES ($1, $2, $3, $4, $5, 'active') RETURNING id`,
          [name, channel, target, mode, mode === 'instant' ? null : JSON.stringify({ hour: 8, weekday: 1 })],
        )
      )[0].id as string;
    const ids = {
      weekly: await insert('email old@example.com', 'old@example.com', 'weekly'),
      instant: await insert('email old2@example.com', 'old2@example.com', 'instant'),
      other: await insert('email old3@example.com', 'someone-else@example.com', 'daily'),
      own: await insert('Morning papers', 'old4@example.com', 'daily'),
      hook: await insert('webhook https://hooks.example/x', 'https://hooks.example/x', 'instant', 'webhook'),
    };
    const runner = api.db.ds.createQueryRunner();
    try {
      const Rename = MIGRATIONS.find((m) => m.name === 'EmailSubscriptionNames1796310000001')!;
      await new Rename().up(runner);
    } finally {
      await runner.release();
    }
    const names = Object.fromEntries(
      await Promise.all(
        Object.entries(ids).map(async ([k, id]) => [k, (await api.db.ds.query(`SELECT name FROM subscriptions WHERE id = $1`, [id]))[0].name]),
      ),
    );
    expect(names).toEqual({
      weekly: 'Weekly digest',
      instant: 'Instant alerts',
      // not this row's own address: a name its owner gave (mail still shows no address of it)
      other: 'email old3@example.com',
      own: 'Morning papers',
      hook: 'webhook https://hooks.example/x',
    });
  });
});
