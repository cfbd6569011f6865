import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DELIVER_JOB_OPTIONS, QUEUES } from '@paperwire/contracts';
import { createApiKey } from '@paperwire/db';
import { generateWebhookSecret } from '@paperwire/notifications';
import {
  TEST_REDIS_URL,
  createTestDb,
  migratedEnv,
  runCli,
  startServiceProcess,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDb,
} from '@paperwire/testing';

// Issue 14 item 10: failures that no retry can heal end at once, with their reason, and /ops shows them.
// - A source whose body is over FETCH_MAX_BYTES was downloaded again on every one of the fetch job's 8
//   attempts (50 MB each in production) and recorded with the upstream's 200 as its status.
// - A webhook whose target the SSRF guard refuses was retried 15 times and its delivery stayed pending.
// The fetcher, the notifier and the api run as processes against real Postgres and Redis.

jest.setTimeout(180_000);

const CAP = 64 * 1024;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('permanent failures end at once, with their reason, visible on /ops', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let prefix: string;
  let redis: Redis;
  let upstream: Server;
  let receiver: Server;
  let upstreamPort: number;
  let receiverPort: number;
  const hits = { upstream: 0, receiver: 0 };
  const queues = new Map<string, Queue>();
  const procs = new Map<string, ServiceProcess>();
  const q = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redis, prefix });
      queues.set(name, queue);
    }
    return queue;
  };
  const api = () => `http://127.0.0.1:${procs.get('api')!.port}`;
  /** The public /ops page as served (server-rendered figures; error classes once /ops redacts, issue 14 item 4). */
  const opsHtml = async (): Promise<string> => {
    const res = await fetch(`${api()}/ops`);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** What the /ops page script loads with a pasted admin key: the figures in full. */
  const fullStats = async (adminKey: string) => {
    const res = await fetch(`${api()}/v1/stats/pipeline`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      failures: { recent: { queue: string; id: string; failedReason: string }[] };
      sources: { name: string; lastStatus: number | null; lastError: string | null }[];
    };
  };
  /** The text of the element with this data-testid in server-rendered HTML (entities decoded). */
  const cell = (html: string, testId: string): string | undefined => {
    const m = new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html);
    return m?.[1].replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code)));
  };

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      hits.upstream += 1;
      // Four times the cap, sent chunked: the cap is hit while reading, after the 200 status line.
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      for (let i = 0; i < (4 * CAP) / chunk.length; i++) res.write(chunk);
      res.end();
    });
    receiver = createServer((req, res) => {
      hits.receiver += 1;
      req.resume();
      res.writeHead(204).end();
    });
    upstreamPort = await listen(upstream);
    receiverPort = await listen(receiver);

    db = await createTestDb('e2e_permanent', { migrate: false });
    prefix = `{${uniqueName('e2e-perm')}}`;
    env = migratedEnv(db, prefix, {
      CONCURRENCY: '1',
      FETCH_MAX_BYTES: String(CAP),
      FETCH_RETRIES: '0',
      // Webhook retries 200 ms apart: today's code would have burnt several attempts within the test.
      DELIVERY_BACKOFF_MS: '200',
      WEBHOOK_ALLOW_PRIVATE: 'false',
    });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    for (const name of ['fetcher', 'notifier', 'api'])
      procs.set(name, await startServiceProcess(name, env, { logName: `e2e-permanent-${name}` }));
  });

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop(10_000)));
    for (const queue of queues.values()) await queue.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await redis?.quit();
    await db?.drop();
    await new Promise((r) => upstream?.close(r));
    await new Promise((r) => receiver?.close(r));
  });

  it('a body over the size cap fails its fetch job on the first attempt, recorded as "body too large"', async () => {
    runCli(
      ['sources', 'add', 'oversize', 'hf-daily-papers', `http://127.0.0.1:${upstreamPort}/api/daily_papers`, '--allow-private'],
      env,
    );
    runCli(['sources', 'poll', 'oversize'], env);
    const [job] = await waitFor(
      'the fetch job to fail',
      async () => {
        const failed = await q(QUEUES.fetch).getFailed();
        return failed.length === 1 ? failed : undefined;
      },
      90_000,
      250,
    );
    // Failed for good after one attempt: one download, not eight.
    expect(job.attemptsMade).toBe(1);
    expect(job.opts.attempts).toBeGreaterThan(1);
    expect(hits.upstream).toBe(1);
    expect(job.failedReason).toBe(`body too large (> ${CAP} bytes)`);
    const [source] = (await db.ds.query(
      `SELECT last_status, last_error, consecutive_failures, last_success_at FROM sources WHERE name = 'oversize'`,
    )) as { last_status: number | null; last_error: string; consecutive_failures: number; last_success_at: Date | null }[];
    expect(source).toEqual({
      last_status: null,
      last_error: `body too large (> ${CAP} bytes)`,
      consecutive_failures: 1,
      last_success_at: null,
    });
    expect(await q(QUEUES.fetch).getDelayedCount()).toBe(0);

    // /ops and the stats are shared for API_CACHE_MS (2 s): wait for a page rendered after the failure.
    const html = await waitFor('the failure on /ops', async () => {
      const h = await opsHtml();
      return cell(h, `failure-${QUEUES.fetch}-${job.id}-error`) !== undefined && cell(h, 'source-oversize-error') ? h : undefined;
    }, 30_000, 250);
    expect(cell(html, 'source-oversize-error')).toMatch(/^body too large/);
    expect(cell(html, 'source-oversize-status')).toBe('—');
    expect(cell(html, `failure-${QUEUES.fetch}-${job.id}-error`)).toMatch(/^body too large/);
    const admin = (await createApiKey(db.ds, { name: 'perm-e2e-admin', scopes: ['admin'] })).key;
    const full = await fullStats(admin);
    expect(full.sources.find((x) => x.name === 'oversize')).toMatchObject({
      lastStatus: null,
      lastError: `body too large (> ${CAP} bytes)`,
    });
    expect(full.failures.recent.find((f) => f.id === job.id)).toMatchObject({
      queue: QUEUES.fetch,
      failedReason: `body too large (> ${CAP} bytes)`,
    });
  });

  it('a webhook target refused by the SSRF guard fails its delivery on the first attempt, never retried', async () => {
    const target = `http://127.0.0.1:${receiverPort}/hook`;
    const [paper] = (await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, authors, links, content_hash)
       VALUES ('title:refused webhook paper', 'Refused webhook paper', 'An abstract.', '[]'::jsonb,
               '{"code": [], "project": []}'::jsonb, 'h-refused') RETURNING id`,
    )) as { id: string }[];
    await db.ds.query(`UPDATE paper_stages SET stage = 'extracted' WHERE paper_id = $1`, [paper.id]);
    const [sub] = (await db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, status, confirmed_at)
       VALUES ('refused-hook', 'webhook', $1, $2::jsonb, '{}'::jsonb, 'active', now()) RETURNING id`,
      [target, JSON.stringify([generateWebhookSecret()])],
    )) as { id: string }[];
    const [delivery] = (await db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons": []}'::jsonb) RETURNING id`,
      [sub.id, paper.id],
    )) as { id: string }[];
    // The job as the matcher enqueues it: 15 attempts with the webhook backoff.
    await q(QUEUES.deliver).add(
      'deliver',
      { deliveryId: delivery.id },
      { ...DELIVER_JOB_OPTIONS, backoff: { type: 'webhook', delay: 200 }, jobId: `deliver-${delivery.id}` },
    );

    const job = await waitFor(
      'the delivery job to fail',
      async () => {
        const failed = await q(QUEUES.deliver).getFailed();
        return failed.find((j) => j.id === `deliver-${delivery.id}`);
      },
      90_000,
      250,
    );
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^webhook fatal: refused: .*non-public address 127\.0\.0\.1/);
    // The guard refused before any connection: the receiver on that address saw nothing.
    expect(hits.receiver).toBe(0);
    const [row] = (await db.ds.query(`SELECT status, last_error, last_status_code FROM deliveries WHERE id = $1`, [
      delivery.id,
    ])) as { status: string; last_error: string; last_status_code: number | null }[];
    expect(row.status).toBe('failed');
    expect(row.last_status_code).toBeNull();
    expect(row.last_error).toMatch(/^refused: .*non-public address 127\.0\.0\.1/);

    // Public: the error's class ("address refused" once /ops redacts), and not the job's id: it names the delivery
    // of a tenant's subscription; with an admin key: the id and the reason.
    const opsCell = await waitFor('the failure on /ops', async () => cell(await opsHtml(), `failure-${QUEUES.deliver}-deliver-0-error`), 30_000, 250);
    expect(opsCell).toBe('address refused');
    expect(await opsHtml()).not.toContain(delivery.id);
    const admin = (await createApiKey(db.ds, { name: 'perm-e2e-admin-2', scopes: ['admin'] })).key;
    // Stats responses are shared for API_CACHE_MS too: wait for one computed after the failure.
    const failure = await waitFor(
      'the failure in /v1/stats/pipeline',
      async () => (await fullStats(admin)).failures.recent.find((f) => f.id === job.id),
      30_000,
      250,
    );
    expect(failure.failedReason).toMatch(/^webhook fatal: refused: .*non-public address 127\.0\.0\.1/);
  });
});
