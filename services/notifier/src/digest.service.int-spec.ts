import { loadConfig, notifierEnvSchema, type NotifierEnv } from '@paperwire/config';
import { trendKey } from '@paperwire/db';
import { Metrics } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { startWebhookReceiver, type WebhookReceiver } from '@paperwire/testing';
import { useTestDb } from '@paperwire/testing/jest';
import { TEST_REDIS_URL, dropQueuePrefix, uniqueName } from '@paperwire/testing';
import { toDeliveryLogEntry } from '@paperwire/actions';
import { deliveryLogPage } from '@paperwire/db';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { NotifierRepository } from './notifier.repository';

const quiet = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  error: () => undefined,
} as unknown as Logger;

// Real Postgres and a real HTTP receiver that always answers 500: a digest's retries end somewhere.
describe('DigestService retries', () => {
  const db = useTestDb('digest_svc');
  let receiver: WebhookReceiver;
  let service: DigestService;
  let config: NotifierEnv;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => 500);
    config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_MAX_FAILED_MESSAGES: '100' });
    const mailer = new Mailer(config);
    service = new DigestService(
      new DigestRepository(db().ds),
      new NotifierRepository(db().ds),
      mailer,
      config,
      quiet,
      new Metrics(),
    );
    await db().ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('arxiv:2611.00009', 'Sparse adapters', 'We study adapters.', 'h')`,
    );
    await db().ds.query(
      `UPDATE paper_stages SET stage = 'notified', notified_at = now() - interval '1 minute' FROM papers p WHERE p.id = paper_id AND p.paper_key = 'arxiv:2611.00009'`,
    );
  });
  afterAll(async () => {
    await receiver?.close();
  });

  // The digest hour half a day from now: an on-demand digest's period so far then holds the papers of the last
  // minutes whatever the time of day (a fixed 08:00 UTC left them out of a run just after 08:00).
  const digestHour = () => (new Date().getUTCHours() + 12) % 24;
  const subscription = async (): Promise<string> =>
    (
      await db().ds.query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule)
         VALUES ('daily hook', 'webhook', $1, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'daily', $2)
         RETURNING id`,
        [`${receiver.url}/digest`, JSON.stringify({ hour: digestHour(), timeZone: 'UTC' })],
      )
    )[0].id as string;
  const digestOf = async (subscriptionId: string) =>
    (
      await db().ds.query(`SELECT status, attempts, last_error FROM deliveries WHERE subscription_id = $1`, [
        subscriptionId,
      ])
    )[0];

  it('leaves the digest pending for the next attempt, and marks it failed when the last attempt fails', async () => {
    const id = await subscription();
    const run = { firedAt: new Date(), onDemand: true };
    await expect(service.handleSendDigest(id, run, false)).rejects.toThrow('HTTP 500');
    expect(await digestOf(id)).toMatchObject({ status: 'pending', attempts: 1 });
    await expect(service.handleSendDigest(id, run, true)).rejects.toThrow('HTTP 500');
    expect(await digestOf(id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: expect.stringContaining('HTTP 500'),
    });
    // A failed digest is not sent again by a late redelivery of the job.
    await expect(service.handleSendDigest(id, run, true)).resolves.toBe('failed');
    expect(receiver.requests.filter((r) => r.path === '/digest')).toHaveLength(2);
  });

  it('a digest left for its job\'s retry says when that runs (the delivery log\'s nextAttemptAt), as BullMQ scheduled it', async () => {
    const id = await subscription();
    const prefix = `{${uniqueName('digest-retry-at')}}`;
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const workerConnection = connection.duplicate();
    const queue = new Queue('deliver', { connection, prefix });
    const worker = new Worker(
      'deliver',
      (job: Job) => service.runDigest(id, { firedAt: new Date(job.timestamp), onDemand: true }, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
      { connection: workerConnection, prefix },
    );
    try {
      const failed = new Promise<Job>((resolve) =>
        worker.on('failed', (job, err) => void service.recordRetry(job, err).then(() => resolve(job!))),
      );
      const before = Date.now();
      await queue.add('send-digest', { subscriptionId: id }, { attempts: 3, backoff: { type: 'exponential', delay: 600_000, jitter: 0.5 } });
      const job = await failed;
      expect(await job.getState()).toBe('delayed');
      const [row] = await deliveryLogPage(db().ds, id, { limit: 5 });
      const entry = toDeliveryLogEntry(row);
      expect(entry).toMatchObject({ status: 'retrying', attempts: 1, nextAttemptAt: expect.any(String) });
      // when the queue runs the retry: the delay it picked (5 to 10 minutes here) after the failure
      const at = Date.parse(entry.nextAttemptAt!);
      expect(job.delay).toBeGreaterThanOrEqual(300_000);
      expect(at).toBeGreaterThanOrEqual(before + job.delay - 1_000);
      expect(at).toBeLessThanOrEqual(Date.now() + job.delay + 1_000);
      // the next attempt starts afresh: no stale time while it runs or once it failed for good
      await service.handleSendDigest(id, { firedAt: new Date(job.timestamp), onDemand: true }, true).catch(() => undefined);
      expect(toDeliveryLogEntry((await deliveryLogPage(db().ds, id, { limit: 5 }))[0])).toMatchObject({ status: 'failed', nextAttemptAt: null });
    } finally {
      await worker.close();
      await queue.close();
      await dropQueuePrefix(prefix, connection);
      await connection.quit();
      await workerConnection.quit();
    }
  });

  it('a "Trending papers" digest (sort trending) carries papers with a signal only, top trending first', async () => {
    const ds = db().ds;
    const seen = new Date(Date.now() - 3600_000);
    for (const [key, signal] of [['arxiv:2611.00011', 3], ['arxiv:2611.00012', 40]] as const) {
      const [{ id: paperId }] = await ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $1, 'Trending.', 'h') RETURNING id`,
        [key],
      );
      await ds.query(`UPDATE paper_stages SET stage = 'notified', notified_at = now() - interval '1 minute' WHERE paper_id = $1`, [paperId]);
      await ds.query(
        `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, sources, signal, trend_key)
         VALUES ($1, $2::timestamptz, $2::timestamptz::date, $2::timestamptz::date, $2::timestamptz::date, 1, $3, $4)`,
        [paperId, seen, signal, trendKey(signal, seen)],
      );
    }
    const digestPapers = async (sort: string) => {
      const [{ id }] = await ds.query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule)
         VALUES ('Trending papers', 'webhook', $1, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'daily', $2)
         RETURNING id`,
        [`${receiver.url}/digest`, JSON.stringify({ hour: digestHour(), timeZone: 'UTC', limit: 10, sort })],
      );
      await expect(service.handleSendDigest(id, { firedAt: new Date(), onDemand: true }, true)).rejects.toThrow('HTTP 500');
      const [{ detail }] = await ds.query(`SELECT detail FROM deliveries WHERE subscription_id = $1`, [id]);
      const keys: { id: string; paper_key: string }[] = await ds.query(`SELECT id, paper_key FROM papers`);
      return (detail.papers as string[]).map((pid) => keys.find((k) => k.id === pid)!.paper_key);
    };
    // the paper without a signal (2611.00009) is new in the window, but it is not trending
    expect(await digestPapers('trending')).toEqual(['arxiv:2611.00012', 'arxiv:2611.00011']);
    expect((await digestPapers('recent')).sort()).toEqual(['arxiv:2611.00009', 'arxiv:2611.00011', 'arxiv:2611.00012']);
  });

  it('a retried digest.ready is the same message: same webhook-id, same body timestamp (when the digest was made)', async () => {
    const id = await subscription();
    const run = { firedAt: new Date(), onDemand: true };
    const before = receiver.requests.length;
    await expect(service.handleSendDigest(id, run, false)).rejects.toThrow('HTTP 500');
    await new Promise((r) => setTimeout(r, 1100)); // a retry comes later: its own webhook-timestamp
    await expect(service.handleSendDigest(id, run, false)).rejects.toThrow('HTTP 500');
    const [first, second] = receiver.requests.slice(before);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.headers['webhook-timestamp']).not.toBe(first!.headers['webhook-timestamp']);
    const [{ created_at: made }] = await db().ds.query(`SELECT created_at FROM deliveries WHERE subscription_id = $1`, [id]);
    for (const req of [first!, second!]) expect(JSON.parse(req.body).timestamp).toBe(new Date(made).toISOString());
  });
});
