import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createApiKey } from '@paperwire/db';
import { serveMetrics } from '@paperwire/service-kit';
import { TEST_REDIS_URL, failOneJob } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// Review 24: a webhook delivery failed for good (a 302), then `subscriptions redeliver` delivered it; `failed list`,
// `stats` ("deliver … 1f") and /ops' recent failures still showed the failure, and `failed retry` would send it
// again. A failure superseded by its delivery's later success leaves every failure view; retrying it says so.
// The notifier removes such a failure as it delivers (the sweeper what is left): until then the views leave it
// out, and a read never removes it (a GET changes nothing). The failed gauge of /metrics agrees with them.

describe('failed deliver jobs whose delivery was delivered since', () => {
  let admin = '';
  const deliveries: Record<string, string> = {};
  const api = useTestApi('t_failed_delivered', async ({ ds }) => {
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
    const [{ id: sub }] = await ds.query(`INSERT INTO subscriptions (name, channel, target, status) VALUES ('hook', 'webhook', 'https://hooks.example.com/x', 'active') RETURNING id`);
    for (const key of ['redelivered', 'still-failed', 'retried'])
      deliveries[key] = (await ds.query(`INSERT INTO deliveries (subscription_id, digest_key, status, attempts) VALUES ($1, $2, 'failed', 1) RETURNING id`, [sub, key]))[0].id;
  });
  const REASON = 'webhook refused: HTTP 302 (redirects are not followed)';
  const failedIds = async (): Promise<string[]> => {
    const r = await api.cli(['failed', 'list', '--queue', 'deliver', '--json']);
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).id);
  };
  /** The failed set in Redis, as it is, with no view in between. */
  const inRedis = async (): Promise<string[]> => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('deliver', { connection, prefix: api.prefix });
    try {
      return (await queue.getFailed()).map((j) => String(j.id)).sort();
    } finally {
      await queue.close();
      connection.disconnect();
    }
  };

  it('leaves `failed list`, the counts of `stats` and /ops, and the recent failures, without removing it; `failed retry` says it was delivered', async () => {
    const redelivered = String((await failOneJob(api.prefix, 'deliver', 'deliver', { deliveryId: deliveries.redelivered }, REASON)).id);
    const stillFailed = String((await failOneJob(api.prefix, 'deliver', 'deliver', { deliveryId: deliveries['still-failed'] }, REASON)).id);
    const retried = String((await failOneJob(api.prefix, 'deliver', 'deliver', { deliveryId: deliveries.retried }, REASON)).id);
    const all = [redelivered, stillFailed, retried].sort();
    expect((await failedIds()).sort()).toEqual(all);

    // a redelivery of two of them succeeded; the notifier has not removed their failures yet
    await api.db.ds.query(`UPDATE deliveries SET status = 'delivered', delivered_at = now() WHERE id = ANY($1::uuid[])`, [[deliveries.redelivered, deliveries.retried]]);

    // every view leaves them out ...
    expect(await failedIds()).toEqual([stillFailed]);
    expect((await api.cli(['stats'])).stdout).toMatch(/deliver 0w\/0a\/0d\/1f/);
    const stats = (await api.http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200)).body;
    expect(stats.failures.byQueue.deliver).toBe(1);
    expect(stats.queues.find((q: { queue: string }) => q.queue === 'deliver').failed).toBe(1);
    expect(stats.failures.recent.map((f: { id: string }) => f.id)).toEqual([stillFailed]);
    const listed = (await api.http().get('/v1/admin/failed?queue=deliver').set('X-API-Key', admin).expect(200)).body;
    expect(listed.items.map((f: { id: string }) => f.id)).toEqual([stillFailed]);
    const html = (await api.http().get('/ops').expect(200)).text;
    expect(html.match(/data-testid="failure-deliver-[^"]*-row"/g)).toHaveLength(1);
    // the Prometheus gauge agrees (it counted all three until they were removed)
    const metrics = await serveMetrics(api.app, 0, '127.0.0.1');
    try {
      const text = await (await fetch(`http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`)).text();
      expect(text).toMatch(/^paperwire_queue_depth\{queue="deliver",state="failed"\} 1$/m);
    } finally {
      await new Promise((r) => metrics.close(r));
    }
    // ... and none of those reads removed anything from Redis
    expect(await inRedis()).toEqual(all);

    // an explicit retry is a write: it refuses, and may clear the failure it refuses
    const retry = await api.cli(['failed', 'retry', 'deliver', retried]);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toContain('already delivered: its delivery was delivered since this job failed');
    expect(await failedIds()).toEqual([stillFailed]);
    expect(await inRedis()).toEqual([redelivered, stillFailed].sort());
  });
});
