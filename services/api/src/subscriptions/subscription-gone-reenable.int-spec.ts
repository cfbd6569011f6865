import 'reflect-metadata';
import { ENDPOINT_GONE_REASON, createApiKey } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// Review 24: /ops said a webhook disabled by a 410 could be resumed "from the API or the CLI", and every surface
// refused (CLI "cannot be resumed", owner PATCH 400, admin PATCH 409). The owner who fixed the endpoint re-enables
// it explicitly, on every surface alike; a subscription disabled for another reason (its recipient unsubscribed)
// stays refused, with the reason and what to do instead.

describe('a subscription disabled by a 410 is re-enabled explicitly, on every surface', () => {
  let owner = { key: '', id: '' };
  let admin = '';
  const api = useTestApi('t_sub_gone_reenable', async ({ ds }) => {
    owner = await createApiKey(ds, { name: 'tenant', scopes: ['subscriptions'] });
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
  });
  const disabled = async (name: string, reason: string, channel = 'webhook', target = 'https://hooks.example.com/x'): Promise<string> =>
    ((await api.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, status, status_reason, consecutive_failures, failed_messages, owner_key_id)
       VALUES ($1, $2, $3, 'disabled', $4, 3, 1, $5) RETURNING id`,
      [name, channel, target, reason, owner.id],
    )) as { id: string }[])[0]!.id;
  const row = async (id: string) =>
    ((await api.db.ds.query(`SELECT status, status_reason, consecutive_failures, failed_messages FROM subscriptions WHERE id = $1`, [id])) as Record<string, unknown>[])[0];
  const enabled = { status: 'active', status_reason: null, consecutive_failures: 0, failed_messages: 0 };

  it('CLI `subscriptions resume`, owner PATCH and admin PATCH each re-enable it', async () => {
    const viaCli = await disabled('cli', ENDPOINT_GONE_REASON);
    const r = await api.cli(['subscriptions', 'resume', viaCli]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: viaCli, status: 'active' });
    expect(await row(viaCli)).toEqual(enabled);

    const viaOwner = await disabled('owner', ENDPOINT_GONE_REASON);
    await api.http().patch(`/v1/subscriptions/${viaOwner}`).set('X-API-Key', owner.key).send({ status: 'active' }).expect(200);
    expect(await row(viaOwner)).toEqual(enabled);

    const viaAdmin = await disabled('admin', ENDPOINT_GONE_REASON);
    await api.http().patch(`/v1/admin/subscriptions/${viaAdmin}`).set('X-API-Key', admin).send({ status: 'active' }).expect(200);
    expect(await row(viaAdmin)).toEqual(enabled);
  });

  it('pausing it, or resuming one whose recipient unsubscribed, is refused with why and what to do', async () => {
    const gone = await disabled('gone', ENDPOINT_GONE_REASON);
    const pause = await api.cli(['subscriptions', 'pause', gone]);
    expect(pause.code).not.toBe(0);
    expect(pause.stderr).toContain('a disabled subscription cannot be paused');
    expect(pause.stderr).toContain('once the endpoint is fixed, resume it');

    const left = await disabled('left', 'unsubscribed', 'email', 'reader@example.com');
    const cli = await api.cli(['subscriptions', 'resume', left]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('a disabled subscription cannot be resumed: its recipient unsubscribed');
    const patched = await api.http().patch(`/v1/subscriptions/${left}`).set('X-API-Key', owner.key).send({ status: 'active' }).expect(400);
    expect(JSON.stringify(patched.body)).toContain('its recipient unsubscribed');
    await api.http().patch(`/v1/admin/subscriptions/${left}`).set('X-API-Key', admin).send({ status: 'active' }).expect(409);
    expect(await row(left)).toMatchObject({ status: 'disabled', status_reason: 'unsubscribed' });
  });

  it('/ops tells how to re-enable one', async () => {
    const html = (await api.http().get('/ops').expect(200)).text;
    expect(html).toContain('once its endpoint is fixed re-enable one disabled by a 410, with <code>paperwire subscriptions resume &lt;id&gt;</code>');
  });
});
