import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createApiKey, recordMailServerFailure, recordMailServerSuccess, topicCountsStatus } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';
import { escapeHtmlForOps, renderOpsSections } from './ops-render';

jest.setTimeout(120_000);

// `paperwire stats` shows what /ops and GET /v1/stats/pipeline show of deliveries: the mail server's state and
// the failing endpoints, read by the same actions (in full: the CLI is the operator on the host, as an admin
// key). Names, targets and reasons come from tenants and receivers: the text output escapes them on one line.

const EVIL_NAME = 'evil\u001b[2J\nmail server: ok';
const EVIL_REASON = 'HTTP 503: \u001b]52;c;cGF5bG9hZA==\u0007 busy\r\nendpoint forged';

describe('paperwire stats: mail server and failing endpoints', () => {
  let ds: DataSource;
  let admin = '';
  const api = useTestApi('t_cli_stats', async (ctx) => {
    ds = ctx.ds;
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
    const [{ id: mail }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, status, status_reason, consecutive_failures)
       VALUES ('digest mail', 'email', 'reader@example.com', 'active', NULL, 2) RETURNING id`,
    );
    await ds.query(
      `INSERT INTO subscriptions (name, channel, target, status, status_reason, consecutive_failures)
       VALUES ($1, 'webhook', 'https://hooks.example.com/secret-path?token=abc', 'paused', $2, 20),
              ('quiet', 'webhook', 'https://ok.example.com/', 'active', NULL, 0)`,
      [EVIL_NAME, EVIL_REASON],
    );
    await ds.query(
      `INSERT INTO deliveries (subscription_id, digest_key, status, attempts) VALUES ($1, 'a', 'pending', 2), ($1, 'b', 'pending', 0)`,
      [mail],
    );
  });

  /** `paperwire stats [--json]`: its stdout. */
  const stats = async (json: boolean): Promise<string> => {
    const r = await api.cli(['stats', ...(json ? ['--json'] : [])]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return r.stdout;
  };
  const pipeline = async () =>
    (await api.http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200)).body;

  it('before any mail: the mail server is unknown; --json holds what the API shows an admin key', async () => {
    const viaCli = JSON.parse(await stats(true));
    const viaApi = await pipeline();
    expect(viaCli.mailServer).toEqual(viaApi.mailServer);
    // no state row yet, and still the email delivery tried and waiting is counted (the one never tried is not)
    expect(viaCli.mailServer).toMatchObject({ status: 'unknown', waitingDeliveries: 1 });
    expect(viaCli.endpoints).toEqual(viaApi.endpoints);
    expect(viaCli.endpoints.map((e: { name: string }) => e.name)).toEqual([EVIL_NAME, 'digest mail']);
    expect(viaCli.endpoints[0]).toMatchObject({
      target: 'https://hooks.example.com/secret-path?token=abc',
      status: 'paused',
      reason: EVIL_REASON,
      consecutiveFailures: 20,
    });
    expect(await stats(false)).toContain(
      'mail server: unknown (no send recorded yet), 1 email deliveries waiting for a retry\n',
    );
  });

  it('a failing mail server: its class, since when, and the mails waiting; then ok again', async () => {
    await recordMailServerFailure(ds, 'SMTP 421');
    const viaApi = (await pipeline()).mailServer;
    const viaCli = JSON.parse(await stats(true)).mailServer;
    expect(viaCli).toEqual(viaApi);
    expect(viaCli).toMatchObject({ status: 'failing', lastErrorClass: 'SMTP 421' });
    expect(await stats(false)).toContain(
      `mail server: failing since ${viaCli.failingSince} (SMTP 421, last failure ${viaCli.lastFailureAt}), 1 email deliveries waiting for a retry\n`,
    );
    await recordMailServerSuccess(ds);
    const ok = JSON.parse(await stats(true)).mailServer;
    expect(ok).toMatchObject({ status: 'ok', failingSince: null });
    expect(await stats(false)).toContain(
      `mail server: ok (last success ${ok.lastSuccessAt}), 1 email deliveries waiting for a retry\n`,
    );
  });

  it('the text shows every failing endpoint on one line each, tenant text escaped: no control reaches the terminal, no line is forged', async () => {
    const [{ id }] = await ds.query(`SELECT id FROM subscriptions WHERE consecutive_failures = 20`);
    const text = await stats(false);
    // Nothing a terminal would act on, and no line the evil name or reason tried to add.
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('mail server:'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('endpoint '))).toHaveLength(2);
    const evil = lines.find((l) => l.startsWith('endpoint evil'));
    expect(evil).toBe(
      'endpoint evil\\x1b[2J\\nmail server: ok (webhook https://hooks.example.com/secret-path?token=abc) paused, 20 failures in a row: ' +
        `HTTP 503: \\x1b]52;c;cGF5bG9hZA==\\x07 busy\\x0d\\nendpoint forged [${id}]`,
    );
    expect(
      lines.filter((l) =>
        /^endpoint digest mail \(email reader@example\.com\) active, 2 failures in a row \[[0-9a-f-]{36}\]$/.test(
          l,
        ),
      ),
    ).toHaveLength(1);
    // The one that never failed is not listed.
    expect(text).not.toContain('quiet');
  });

  // The list stops at 50 (most failures in a row first): every reader says how many more there are, never
  // silently nothing. 53 failing here once 51 more fail (the quiet one never does).
  it('past 50 failing endpoints: 50 listed, most failures first, and "… and N more" in the text, the JSON and /ops', async () => {
    await ds.query(
      `INSERT INTO subscriptions (name, channel, target, status, consecutive_failures)
       SELECT 'many ' || j, 'webhook', 'https://many.example.org/' || j, 'active', 1 FROM generate_series(1, 51) j`,
    );
    const viaCli = JSON.parse(await stats(true));
    expect(viaCli.endpoints).toHaveLength(50);
    expect(viaCli.endpoints.slice(0, 2).map((e: { name: string }) => e.name)).toEqual([EVIL_NAME, 'digest mail']);
    expect(viaCli.endpointsMore).toBe(3);
    const text = await stats(false);
    expect(text.split('\n').filter((l) => l.startsWith('endpoint '))).toHaveLength(50);
    expect(text).toContain('\n… and 3 more failing endpoints (most failures in a row listed first)\n');
    const full = await pipeline();
    expect([full.endpoints.length, full.endpointsMore]).toEqual([50, 3]);
    // without an admin key: counted, none listed (they are other tenants' subscriptions)
    const anonymous = await api.http().get('/v1/stats/pipeline').expect(200);
    const redacted = anonymous.body;
    expect([redacted.endpoints.length, redacted.endpointsMore, redacted.endpointsFailing.total]).toEqual([0, 0, 53]);
    // the two bodies differ by key: caches must key them apart and never keep the admin's
    expect(anonymous.headers.vary).toMatch(/Authorization/);
    expect(anonymous.headers.vary).toMatch(/X-API-Key/);
    const admins = await api.http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200);
    expect(admins.headers['cache-control']).toBe('private, no-store');
    expect(redacted.endpointsFailing.byChannel).toEqual({ webhook: 52, email: 1 });
    const opsTables = async () => {
      const html = (await api.http().get('/ops').expect(200)).text;
      return html.slice(0, html.indexOf('<script nonce='));
    };
    expect(await opsTables()).toContain('data-testid="endpoints-counted">52 webhook and 1 email endpoints failing (52 still tried, 1 paused, 0 disabled); which ones needs an admin key<');
    expect(await opsTables()).not.toContain('data-testid="endpoints-more"');
    // with the key the page's script renders the full answer with the same renderer: the list, then how many more
    const adminTables = async () => renderOpsSections(await pipeline(), escapeHtmlForOps).endpoints;
    expect(await adminTables()).toContain('data-testid="endpoints-more">… and 3 more failing endpoints<');
    // down to 50: all listed, no "more"
    await ds.query(`UPDATE subscriptions SET consecutive_failures = 0 WHERE name IN ('many 1', 'many 2', 'many 3')`);
    expect(JSON.parse(await stats(true))).toMatchObject({ endpointsMore: 0 });
    expect(await stats(false)).not.toContain('more failing endpoints');
    expect(await adminTables()).not.toContain('data-testid="endpoints-more"');
  });

  // GET /v1/topics counts exactly on a small catalogue, else reads the rollup the sweeper refreshes, else (the rollup
  // stale: no sweeper) samples the catalogue at each listing, about a second at 2M papers. Every reader shows which,
  // and when the rollup was last refreshed.
  it('topic counts: where listings take them from and when the rollup was last refreshed, alike in the text, the JSON and /ops', async () => {
    const none = { source: 'exact', refreshedAt: null };
    expect(JSON.parse(await stats(true)).topicCounts).toEqual(none);
    expect((await pipeline()).topicCounts).toEqual(none);
    // a small catalogue: the sweeper does not refresh the rollup (listings count exactly), which is no fault
    expect(await stats(false)).toContain('\ntopic counts: exact, rollup not needed yet (counted exactly at each listing below 300,000 topic rows)\n');
    const fresh = (await api.http().get('/ops').expect(200)).text;
    expect(fresh).toContain('data-testid="topic-counts-refreshed">not needed yet (counted exactly at each listing on a small catalogue)</span>');
    expect(/data-testid="topic-counts-refreshed">[^<]*/.exec(fresh)?.[0]).not.toMatch(/never/);
    await ds.query(`INSERT INTO topics (slug, name, description) VALUES ('counted', 'Counted', 'counted') ON CONFLICT DO NOTHING`);
    await ds.query(
      `INSERT INTO topic_counts (topic_slug, papers, primary_count, last7, prev7, last30, prev30, refreshed_at, stale_at)
       VALUES ('counted', 1, 1, 1, 0, 1, 0, '2026-12-01T10:00:00Z', now() + interval '5 minutes')`,
    );
    const refreshed = { source: 'exact', refreshedAt: '2026-12-01T10:00:00.000Z' };
    expect(JSON.parse(await stats(true)).topicCounts).toEqual(refreshed);
    expect((await pipeline()).topicCounts).toEqual(refreshed);
    expect((await api.http().get('/v1/stats/pipeline').expect(200)).body.topicCounts).toEqual(refreshed);
    expect(await stats(false)).toContain(
      '\ntopic counts: exact, rollup not needed yet (counted exactly at each listing below 300,000 topic rows); last refreshed 2026-12-01T10:00:00.000Z\n',
    );
    const html = (await api.http().get('/ops').expect(200)).text;
    expect(html).toContain('data-testid="topic-counts-source">exact<');
    expect(html).toContain('data-testid="topic-counts-refreshed">not needed yet (counted exactly at each listing on a small catalogue); last refreshed <time datetime="2026-12-01T10:00:00.000Z">');
    // above the exact threshold (here: any catalogue), the rollup while fresh, then estimated once stale
    expect(await topicCountsStatus(ds, Number.NEGATIVE_INFINITY)).toMatchObject({ source: 'rollup' });
    await ds.query(`UPDATE topic_counts SET stale_at = now() - interval '1 minute'`);
    expect(await topicCountsStatus(ds, Number.NEGATIVE_INFINITY)).toMatchObject({ source: 'estimated' });
    await ds.query(`DELETE FROM topic_counts`);
    expect(await topicCountsStatus(ds, Number.NEGATIVE_INFINITY)).toEqual({ source: 'estimated', refreshedAt: null });
  });
});
