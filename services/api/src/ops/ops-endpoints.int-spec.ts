import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import type { FailingEndpoint as Endpoint } from '../stats/stats.service';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// A subscription endpoint that keeps failing is shown on the ops page (DESIGN §7, WEBHOOKS.md): which one,
// how many failures in a row and why it was paused or disabled, to an admin key. The endpoints are every tenant's
// subscriptions: without an admin key the view counts them (per channel and status) and shows no id, name or target
// of any (it listed each with its origin and failure count to anyone).

const HOOK_SECRET = 'T0KEN-in-the-path';
const REFUSED = 'refused: http://127.0.0.1:9999 resolves to non-public address 127.0.0.1';

describe('failing endpoints on /ops and /v1/stats/pipeline', () => {
  const ids: Record<string, string> = {};
  let admin = '';
  const api = useTestApi('t_ops_endpoints', async ({ ds }) => {
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
    const add = async (
      name: string,
      channel: string,
      target: string,
      status: string,
      reason: string | null,
      failures: number,
    ) => {
      const [{ id }] = await ds.query(
        `INSERT INTO subscriptions (name, channel, target, status, status_reason, consecutive_failures, paused_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'paused' THEN now() END) RETURNING id`,
        [name, channel, target, status, reason, failures],
      );
      ids[name] = id;
    };
    await add(
      'failing',
      'webhook',
      `https://hooks.example.com/services/${HOOK_SECRET}?sig=${HOOK_SECRET}`,
      'active',
      null,
      3,
    );
    await add(
      'paused',
      'webhook',
      `https://user:pw@paused.example.org/hook/${HOOK_SECRET}`,
      'paused',
      'paused after 20 messages in a row failed for good (retries exhausted or refused), none delivered since; last: HTTP 503',
      20,
    );
    await add('gone', 'webhook', 'https://gone.example.net/x', 'disabled', 'endpoint answered 410 Gone', 1);
    await add(
      'mail',
      'email',
      'someone.private@mail.example',
      'paused',
      'paused after 20 messages in a row failed for good (retries exhausted or refused), none delivered since; last: the mail server was not available',
      20,
    );
    await add('healthy', 'webhook', 'https://ok.example.com/hook', 'active', null, 0);
    // An active endpoint has no status reason: its latest failed attempt is why it fails (an older failure and a
    // later success of another delivery do not count).
    const delivery = (sub: string, key: string, status: string, code: number | null, error: string | null, ago: number) =>
      ds.query(
        `INSERT INTO deliveries (subscription_id, digest_key, status, attempts, last_status_code, last_error, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, now() - make_interval(mins => $6))`,
        [ids[sub], key, status, code, error, ago],
      );
    await delivery('failing', 'd1', 'failed', 503, 'HTTP 503', 30);
    await delivery('failing', 'd2', 'failed', null, REFUSED, 10);
    await delivery('failing', 'd3', 'delivered', 200, null, 5);
    await add('failing-status', 'webhook', 'https://status-only.example.com/hook', 'active', null, 2);
    await delivery('failing-status', 'd1', 'pending', 502, null, 1);
    await add('by-hand', 'webhook', 'https://paused-by-hand.example.com/hook', 'paused', null, 0);
  });
  const http = api.http;

  it('without an admin key: how many endpoints fail, per channel and status, and nothing of whose', async () => {
    const res = await http().get('/v1/stats/pipeline').expect(200);
    expect(res.body.detail).toBe('redacted');
    // other tenants' subscriptions: no id, name, target (not even its origin) or failure count of any of them
    for (const name of Object.keys(ids)) {
      expect([name, res.text.includes(ids[name]!)]).toEqual([name, false]);
    }
    for (const leak of [HOOK_SECRET, 'someone.private', 'mail.example', 'hooks.example.com', 'paused.example.org', '127.0.0.1', '"failing-status"']) {
      expect([leak, res.text.includes(leak)]).toEqual([leak, false]);
    }
    expect([res.body.endpoints, res.body.endpointsMore]).toEqual([[], 0]);
    // webhooks: failing and failing-status (active), paused, gone (disabled); email: mail (paused); healthy and by-hand are not
    expect(res.body.endpointsFailing).toEqual({
      total: 5,
      byChannel: { webhook: 4, email: 1 },
      byStatus: { active: 2, paused: 2, disabled: 1 },
    });
  });

  it('an admin key gets every failing endpoint, most failures first, targets and reasons verbatim', async () => {
    const res = await http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200);
    expect(res.body.detail).toBe('full');
    const endpoints = res.body.endpoints as Endpoint[];
    expect(endpoints.map((e) => e.name).sort()).toEqual(['failing', 'failing-status', 'gone', 'mail', 'paused']);
    expect(endpoints.map((e) => e.consecutiveFailures)).toEqual([20, 20, 3, 2, 1]);
    const by = Object.fromEntries(endpoints.map((e) => [e.name, e]));
    expect(by.failing).toMatchObject({ id: ids.failing, channel: 'webhook', status: 'active' });
    expect(by.failing!.target).toBe(`https://hooks.example.com/services/${HOOK_SECRET}?sig=${HOOK_SECRET}`);
    expect(by.paused!.reason).toBe('paused after 20 messages in a row failed for good (retries exhausted or refused), none delivered since; last: HTTP 503');
    expect(by.failing!.reason).toBe(REFUSED);
    expect(by['failing-status']).toMatchObject({ status: 'active', reason: 'HTTP 502' });
    expect(by.gone).toMatchObject({ status: 'disabled', reason: 'endpoint answered 410 Gone' });
    expect(by.mail!.target).toBe('someone.private@mail.example');
    expect(res.body.endpointsFailing.total).toBe(5);
  });

  it('/ops counts them in their table, names none', async () => {
    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('id="h-endpoints"');
    expect(body).toContain(
      'data-testid="endpoints-counted">4 webhook and 1 email endpoints failing (2 still tried, 2 paused, 1 disabled); which ones needs an admin key<',
    );
    for (const name of Object.keys(ids)) expect([name, body.includes(ids[name]!)]).toEqual([name, false]);
    for (const leak of [HOOK_SECRET, 'hooks.example.com', 'paused.example.org', 'mail.example', '127.0.0.1', 'data-testid="endpoint-']) {
      expect([leak, body.includes(leak)]).toEqual([leak, false]);
    }
  });
});
