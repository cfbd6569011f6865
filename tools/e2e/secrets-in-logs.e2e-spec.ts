import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '@paperwire/db';
import {
  REPO_ROOT,
  artifactsDir,
  createTestDb,
  dropQueuePrefix,
  migratedEnv,
  startServiceProcess,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
  type WebhookReceiver,
} from '@paperwire/testing';
import { SERVICES } from '@paperwire/config';

// Issue 9 "secrets never in logs": the whole pipeline runs at debug level with a webhook
// subscription (its whsec_ secret) created through the api with an API key, the receiver failing
// the first deliveries so retry paths log too, and the key used (and misused) against the api. No
// log line any service wrote, and no CLI output, may contain the secret, the key or an
// Authorization header value.

jest.setTimeout(300_000);

const TOPICS = ['vision-language', 'peft'];

function cli(args: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'tools', 'run.js'), 'services/cli', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0) throw new Error(`paperwire ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return `${res.stdout}\n${res.stderr}`;
}

describe('secrets never reach the logs', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let receiver: WebhookReceiver;
  const procs = new Map<string, ServiceProcess>();
  const run = uniqueName('sec');
  const logName = (svc: string) => `e2e-secrets-${run}-${svc}`;

  beforeAll(async () => {
    db = await createTestDb('e2e_secrets', { migrate: false });
    // The first two deliveries fail, so the notifier's failure and retry logging runs too.
    receiver = await startWebhookReceiver(({ n }) => (n < 2 ? 500 : 204));
    env = migratedEnv(db, `{${run}}`, {
      BATCH_SIZE: '8',
      CONCURRENCY: '1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'debug',
    });
    for (const name of SERVICES)
      procs.set(name, await startServiceProcess(name, env, { logName: logName(name) }));
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop(10_000)));
    await receiver?.close();
    await db?.drop();
    await dropQueuePrefix(`{${run}}`);
  });

  it('keeps the webhook secret, the API key and Authorization values out of every log and CLI output', async () => {
    const created = await createApiKey(db.ds, { name: 'secrets-e2e', scopes: ['subscriptions', 'admin'] });
    const key = created.key;
    const api = `http://127.0.0.1:${procs.get('api')!.port}`;
    const call = (path: string, init: RequestInit = {}) => fetch(`${api}${path}`, init);

    // The subscription is created through the api; its secret comes back once.
    const res = await call('/v1/subscriptions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'secret-hook',
        channel: 'webhook',
        target: `${receiver.url}/hook`,
        filters: { topics: { slugs: TOPICS } },
      }),
    });
    expect(res.status).toBe(201);
    const { secret, id } = (await res.json()) as { secret: string; id: string };
    expect(secret).toMatch(/^whsec_/);

    // The key used every way a client might: both headers, errors, a refused query-string key, a
    // bad key of the same shape, and an oversized body.
    const statuses = [
      (await call('/v1/subscriptions', { headers: { 'X-API-Key': key } })).status,
      (await call(`/v1/subscriptions/${id}`, { headers: { Authorization: `Bearer ${key}` } })).status,
      (
        await call('/v1/subscriptions/00000000-0000-4000-8000-000000000000', {
          headers: { Authorization: `Bearer ${key}` },
        })
      ).status,
      (await call('/v1/admin/keys', { headers: { Authorization: `Bearer ${key}` } })).status,
      (await call('/v1/admin/failed', { headers: { 'X-API-Key': key } })).status,
      (await call(`/v1/papers?api_key=${encodeURIComponent(key)}`)).status,
      (await call('/v1/subscriptions', { headers: { Authorization: `Bearer ${key.slice(0, -2)}zz` } }))
        .status,
      (
        await call('/v1/subscriptions', {
          method: 'POST',
          headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
          body: '{"channel":',
        })
      ).status,
      (
        await call('/v1/subscriptions', {
          method: 'POST',
          headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
          body: JSON.stringify({ channel: 'email', target: 'x'.repeat(2 * 1024 * 1024) }),
        })
      ).status,
    ];
    expect(statuses).toEqual([200, 200, 404, 200, 200, 400, 401, 400, 413]);
    // A mail link's token in the query string (an unsubscribe link opened in a browser): the access log writes
    // one line per request, with secret-bearing query values redacted.
    const linkToken = `v1.${'Zq9'.repeat(20)}`;
    await call(`/v1/unsubscribe?t=${linkToken}`);

    // The pipeline runs and delivers, with failures first.
    const ingest = cli(['ingest', 'data/sample/daily-papers-sep-1.txt'], env);
    await waitFor(
      'all 60 papers notified',
      async () =>
        Number((await db.ds.query(`SELECT count(*)::int AS n FROM paper_stages WHERE stage = 'notified'`))[0].n) ===
          60 || undefined,
      200_000,
      500,
    );
    const expected = Number(
      (
        await db.ds.query(
          `SELECT count(DISTINCT paper_id)::int AS n FROM paper_topics WHERE topic_slug = ANY($1)`,
          [TOPICS],
        )
      )[0].n,
    );
    expect(expected).toBeGreaterThan(0);
    await waitFor(
      'every matching paper delivered',
      async () =>
        Number(
          (await db.ds.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'delivered'`))[0].n,
        ) === expected || undefined,
      120_000,
      500,
    );
    expect(receiver.requests.filter((r) => r.status === 500).length).toBe(2);
    expect(receiver.requests.every((r) => typeof r.headers['webhook-signature'] === 'string')).toBe(true);

    // CLI commands an operator would run, stdout and stderr.
    const outputs = [
      ingest,
      cli(['subscriptions', 'list'], env),
      cli(['stats'], env),
      cli(['failed', 'list'], env),
      cli(['sources', 'list'], env),
    ];

    // Stop the services so every log line is flushed, then read what they wrote.
    await Promise.all([...procs.values()].map((p) => p.stop(20_000)));
    const logs = SERVICES.map((svc) => ({
      svc,
      text: readFileSync(join(artifactsDir('logs'), `${logName(svc)}.log`), 'utf8'),
    }));
    // The logs are real: every service wrote lines, the api logged its start, the notifier its deliveries.
    for (const l of logs)
      expect({ svc: l.svc, lines: l.text.split('\n').filter(Boolean).length > 2 }).toEqual({
        svc: l.svc,
        lines: true,
      });
    expect(logs.find((l) => l.svc === 'notifier')!.text).toMatch(/deliver/);
    // The api's access log is there (API_ACCESS_LOG on by default), its query values redacted.
    const apiLog = logs.find((l) => l.svc === 'api')!.text;
    expect(apiLog).toContain('"url":"/v1/papers?api_key=redacted"');
    expect(apiLog).toContain('"url":"/v1/unsubscribe?t=redacted"');

    const needles = [
      ['webhook secret', secret],
      ['webhook secret body', secret.slice('whsec_'.length)],
      ['API key', key],
      ['API key tail', key.slice(12)],
      ['Authorization value', `Bearer ${key}`],
      ['mail link token', linkToken.slice(3)],
    ] as const;
    const leaks: string[] = [];
    for (const [what, value] of needles) {
      for (const l of logs) if (l.text.includes(value)) leaks.push(`${what} in ${l.svc} log`);
      outputs.forEach((o, i) => {
        if (o.includes(value)) leaks.push(`${what} in CLI output #${i}`);
      });
    }
    // No log line carries a raw Authorization or X-API-Key header value of any kind.
    for (const l of logs) {
      for (const line of l.text.split('\n')) {
        if (/"authorization":"(?!\[redacted\])|"x-api-key":"(?!\[redacted\])|Bearer pw_/i.test(line))
          leaks.push(`header value in ${l.svc}: ${line.slice(0, 200)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
