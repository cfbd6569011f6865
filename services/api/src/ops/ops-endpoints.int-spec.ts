import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import type { FailingEndpoint as Endpoint } from '../stats/stats.service';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// A subscription endpoint that keeps failing is shown on the ops page (DESIGN §7, WEBHOOKS.md): which one,
// how many failures in a row and why it was paused or disabled. Without an admin key the view is redacted:
// a webhook's origin only (its path and query often carry the receiver's secret), an email's domain, the
// reason's class.

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

  it('lists every endpoint with failures in a row, most failures first, redacted without an admin key', async () => {
    const res = await http().get('/v1/stats/pipeline').expect(200);
    expect(res.text).not.toContain(HOOK_SECRET);
    expect(res.text).not.toContain('someone.private');
    const endpoints = res.body.endpoints as Endpoint[];
    expect(res.text).not.toContain('127.0.0.1');
    expect(endpoints.map((e) => e.name).sort()).toEqual(['failing', 'failing-status', 'gone', 'mail', 'paused']);
    expect(endpoints.map((e) => e.consecutiveFailures)).toEqual([20, 20, 3, 2, 1]);
    const by = Object.fromEntries(endpoints.map((e) => [e.name, e]));
    expect(by.failing).toMatchObject({
      id: ids.failing,
      channel: 'webhook',
      target: 'https://hooks.example.com',
      status: 'active',
      reason: 'address refused',
    });
    expect(by['failing-status']).toMatchObject({ status: 'active', reason: 'HTTP 502' });
    expect(by.paused).toMatchObject({
      target: 'https://paused.example.org',
      status: 'paused',
      reason: 'HTTP 503',
    });
    expect(by.gone).toMatchObject({
      target: 'https://gone.example.net',
      status: 'disabled',
      reason: 'HTTP 410',
    });
    expect(by.mail).toMatchObject({
      channel: 'email',
      target: '…@mail.example',
      status: 'paused',
      reason: 'mail server unavailable',
    });
  });

  it('an admin key gets the targets and reasons verbatim', async () => {
    const res = await http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200);
    const by = Object.fromEntries((res.body.endpoints as Endpoint[]).map((e) => [e.name, e]));
    expect(by.failing!.target).toBe(`https://hooks.example.com/services/${HOOK_SECRET}?sig=${HOOK_SECRET}`);
    expect(by.paused!.reason).toBe('paused after 20 messages in a row failed for good (retries exhausted or refused), none delivered since; last: HTTP 503');
    expect(by.failing!.reason).toBe(REFUSED);
    expect(by.mail!.target).toBe('someone.private@mail.example');
  });

  it('/ops shows them in a table of their own, redacted', async () => {
    const html = (await http().get('/ops').expect(200)).text;
    const body = html.slice(0, html.indexOf('<script nonce='));
    expect(body).toContain('id="h-endpoints"');
    expect(body).toContain(`data-testid="endpoint-${ids.paused}-failures">20<`);
    expect(body).toContain(`data-testid="endpoint-${ids.paused}-target">https://paused.example.org<`);
    expect(body).toContain(`data-testid="endpoint-${ids.paused}-error">HTTP 503<`);
    expect(body).toContain(`data-testid="endpoint-${ids.gone}-status">disabled<`);
    expect(body).toContain(`data-testid="endpoint-${ids.failing}-error">address refused<`);
    expect(body).not.toContain(HOOK_SECRET);
    expect(body).not.toContain('127.0.0.1');
    expect(body).not.toContain(ids.healthy!);
  });
});
