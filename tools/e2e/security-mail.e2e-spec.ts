import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { ParsedMail } from 'mailparser';
import { createApiKey } from '@paperwire/db';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  createTestDb,
  migratedEnv,
  runCli,
  startServiceProcess,
  startSmtpInbox,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type SmtpInbox,
  type TestDb,
} from '@paperwire/testing';

// Issue #14 against running processes (api + notifier from dist/) and a real SMTP server: the
// services refuse to start in production without a real TOKEN_SECRET; mail-bombing through the
// Subscribe form yields one mail; a PATCHed address gets its own confirmation and the header-injection
// strings reach no one; the confirmation needs the page's POST; the CLI refuses private URLs and bad
// email targets.

jest.setTimeout(180_000);

const RUN = join(REPO_ROOT, 'tools', 'run.js');

/** Starts a service with `env` and expects it to exit non-zero; returns what it printed. */
function refusedStart(service: string, env: NodeJS.ProcessEnv, secret: string | undefined): { status: number | null; output: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ...env, NODE_ENV: 'production' };
  delete childEnv.TOKEN_SECRET;
  if (secret !== undefined) childEnv.TOKEN_SECRET = secret;
  const res = spawnSync(process.execPath, [RUN, `services/${service}`], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

const recipients = (m: ParsedMail): string[] => {
  const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
};

describe('issue #14: secrets, confirmation mails and CLI checks, end to end', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let apiUrl = '';
  const procs: ServiceProcess[] = [];
  let smtp: SmtpInbox;
  let redis: IORedis;
  let deliver: Queue;
  const TOKEN_SECRET = randomBytes(32).toString('hex');

  const mailsTo = (address: string) => smtp.envelopes.filter((rcpt) => rcpt.includes(address)).length;
  /** Waits until the notifier has nothing queued or running (so a count of mails is final). */
  const settled = () =>
    waitFor(
      'the deliver queue to be idle',
      async () => {
        const c = await deliver.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
        return c.waiting + c.active + c.prioritized + c.delayed === 0 || undefined;
      },
      60_000,
    );

  beforeAll(async () => {
    db = await createTestDb('e2e_i14', { migrate: false });
    const prefix = `{${uniqueName('e2e_i14')}}`;
    env = migratedEnv(db, prefix, { REDIS_REQUIRE_NOEVICTION: 'false' });
    smtp = await startSmtpInbox();
    const smtpPort = smtp.port;
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    deliver = new Queue('deliver', { connection: redis, prefix });
    const api = await startServiceProcess('api', { ...env, TOKEN_SECRET, NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '100000', METRICS_PORT: '0' }, { logName: 'e2e-i14-api' });
    procs.push(api);
    apiUrl = `http://127.0.0.1:${api.port}`;
    procs.push(
      await startServiceProcess(
        'notifier',
        { ...env, TOKEN_SECRET, NODE_ENV: 'production', METRICS_PORT: '0', PUBLIC_URL: apiUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
        { logName: 'e2e-i14-notifier' },
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop(5_000)));
    await deliver?.obliterate({ force: true }).catch(() => undefined);
    await deliver?.close();
    const keys = redis ? await redis.keys(`pw-confirm-throttle:${String(env?.QUEUE_PREFIX)}*`) : [];
    if (keys.length > 0) await redis.del(...keys);
    await redis?.quit();
    await smtp?.close();
    await db?.drop();
  });

  it('api and notifier refuse to start in production with a missing, default, placeholder or short TOKEN_SECRET', () => {
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['old default', 'dev-only-token-secret-change-me'],
      ['k8s placeholder', 'REPLACE_ME_WITH_32_RANDOM_BYTES_HEX'],
      ['short', 'a1b2c3d4e5f6a7b8c9d0'],
    ];
    for (const service of ['api', 'notifier']) {
      for (const [what, value] of cases) {
        const res = refusedStart(service, env, value);
        expect({ service, what, refused: res.status !== 0 && res.status !== null }).toEqual({ service, what, refused: true });
        expect(res.output).toMatch(/TOKEN_SECRET/);
        if (value) expect(res.output).not.toContain(value);
      }
    }
  });

  it('five Subscribe posts for one address: one subscription, one mail', async () => {
    const home = await fetch(`${apiUrl}/`);
    const cookie = (home.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(await home.text())![1];
    const post = (email: string) =>
      fetch(`${apiUrl}/subscribe`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, csrf }).toString(),
      });
    for (let i = 0; i < 5; i++) expect((await post('bombed@example.org')).status).toBe(200);
    await waitFor('the confirmation mail', async () => mailsTo('bombed@example.org') > 0 || undefined, 60_000);
    await settled();
    expect(mailsTo('bombed@example.org')).toBe(1);
    expect(
      (await db.ds.query(`SELECT count(*)::int AS n FROM subscriptions WHERE target = 'bombed@example.org'`))[0].n,
    ).toBe(1);
  });

  it('PATCH: injection strings reach nobody; a new address gets one confirmation and must click (POST) before it is active', async () => {
    const key = (await createApiKey(db.ds, { name: 'tenant', scopes: ['subscriptions'] })).key;
    const api = (path: string, method: string, body?: unknown) =>
      fetch(`${apiUrl}${path}`, {
        method,
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = (await (await api('/v1/subscriptions', 'POST', { channel: 'email', target: 'first@example.org' })).json()) as { id: string };
    const firstMail = await waitFor('the first confirmation', async () => smtp.mails.find((m) => recipients(m).includes('first@example.org')), 60_000);
    const firstLink = /Confirm: (\S+)/.exec(firstMail.text ?? '')![1];
    for (const target of ['not-an-email', 'a@b.co\r\nBcc: injected@example.com', 'r1@example.com, r2@example.com']) {
      expect((await api(`/v1/subscriptions/${created.id}`, 'PATCH', { target })).status).toBe(400);
    }
    const patched = await api(`/v1/subscriptions/${created.id}`, 'PATCH', { target: 'second@example.org' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { status: string }).status).toBe('pending_confirmation');
    const secondMail = await waitFor('the new address confirmation', async () => smtp.mails.find((m) => recipients(m).includes('second@example.org')), 60_000);
    await settled();
    for (const nobody of ['injected@example.com', 'r1@example.com', 'r2@example.com', 'b.co']) expect(mailsTo(nobody)).toBe(0);
    expect(mailsTo('second@example.org')).toBe(1);
    expect(mailsTo('first@example.org')).toBe(1);

    // The link mailed to the first address cannot confirm the second one.
    const stalePage = await fetch(firstLink, { headers: { accept: 'text/html' } });
    expect(stalePage.status).toBe(400);
    const link = /Confirm: (\S+)/.exec(secondMail.text ?? '')![1];
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect((await db.ds.query(`SELECT status FROM subscriptions WHERE id = $1`, [created.id]))[0].status).toBe('pending_confirmation');
    const res = await fetch(link, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        cookie: (page.headers.get('set-cookie') ?? '').split(';')[0],
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(html)![1] }).toString(),
    });
    expect(res.status).toBe(200);
    expect((await db.ds.query(`SELECT status, target FROM subscriptions WHERE id = $1`, [created.id]))[0]).toEqual({
      status: 'active',
      target: 'second@example.org',
    });
  });

  it('CLI: private webhook and source URLs need --allow-private; bad email targets are refused', () => {
    const cliEnv = { ...env, WEBHOOK_ALLOW_PRIVATE: 'false' };
    const fails = (args: string[]) => {
      try {
        runCli(args, cliEnv);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (const url of ['http://127.0.0.1:9/hook', 'http://10.1.2.3/hook', 'http://[::1]/x', 'http://2130706433/x', 'http://169.254.169.254/latest']) {
      expect(fails(['subscriptions', 'add', 'priv', 'webhook', url])).toMatch(/refused.*--allow-private/s);
      expect(fails(['sources', 'add', 'priv-src', 'arxiv-rss', url])).toMatch(/refused.*--allow-private/s);
    }
    expect((JSON.parse(runCli(['subscriptions', 'add', 'local', 'webhook', 'http://127.0.0.1:9/hook', '--allow-private'], cliEnv)) as { status: string }).status).toBe(
      'active',
    );
    expect((JSON.parse(runCli(['sources', 'add', 'local-src', 'arxiv-rss', 'http://127.0.0.1:9/rss', '--allow-private'], cliEnv)) as { name: string }).name).toBe(
      'local-src',
    );
    for (const target of ['not-an-email', 'a@b.co\r\nBcc: injected@example.com', 'r1@example.com, r2@example.com', 'Victim <victim@example.com>']) {
      expect(fails(['subscriptions', 'add', 'bad-mail', 'email', target])).toMatch(/email target/);
    }
  });

  it('CLI keys revoke pauses the key’s subscriptions with the reason "key revoked"', async () => {
    const k = await createApiKey(db.ds, { name: 'cli-doomed', scopes: ['subscriptions'] });
    const [sub]: { id: string }[] = await db.ds.query(
      `INSERT INTO subscriptions (owner_key_id, name, channel, target, status) VALUES ($1, 'hook', 'webhook', 'https://hooks.example.org/x', 'active') RETURNING id`,
      [k.id],
    );
    const out = JSON.parse(runCli(['keys', 'revoke', k.prefix], env)) as { revoked: string; subscriptionsPaused: number };
    expect(out).toEqual({ revoked: k.prefix, subscriptionsPaused: 1 });
    expect((await db.ds.query(`SELECT status, status_reason FROM subscriptions WHERE id = $1`, [sub.id]))[0]).toEqual({
      status: 'paused',
      status_reason: 'key revoked',
    });
  });
});
