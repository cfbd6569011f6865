import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@paperwire/config';
import { deliveryBatchJobId, uniqueVariant, type JobOf } from '@paperwire/contracts';
import { resetFailedDelivery } from '@paperwire/db';
import { WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES, generateWebhookSecret } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import {
  TEST_REDIS_URL,
  createTestStores,
  startWebhookReceiver,
  waitFor,
  type TestStores,
  type WebhookReceiver,
} from '@paperwire/testing';
import { DeliveryService } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { RetryLaterError, webhookBackoffStrategy } from './webhook-backoff';

// Real Postgres, Redis and HTTP: a deliver job's batch is claimed with one compare-and-set, each of
// its webhooks is its own signed request, and its failures go on as jobs of their own.
describe('DeliveryService batches (Postgres + Redis + HTTP)', () => {
  let stores: TestStores;
  let repo: NotifierRepository;
  let service: DeliveryService;
  let receiver: WebhookReceiver;
  const answers = new Map<string, number>();
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    stores = await createTestStores('notifier_delivery');
    repo = new NotifierRepository(stores.db.ds);
    receiver = await startWebhookReceiver(({ path }) => answers.get(path) ?? 204);
    const config = loadConfig(notifierServiceEnvSchema, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '3000',
      DELIVERY_BACKOFF_MS: '200',
    });
    const log = createLogger('delivery-test', 'silent');
    const metrics = new Metrics();
    const digests = new DigestService(
      new DigestRepository(stores.db.ds),
      repo,
      new Mailer(config),
      config,
      log,
      metrics,
    );
    service = new DeliveryService(repo, digests, stores.queues, config, log, metrics);
  });

  afterAll(async () => {
    await receiver?.close();
    await stores?.close();
  });

  let n = 0;
  /** A webhook subscription whose endpoint answers `status`, with `count` pending deliveries. */
  const setup = async (
    status: number,
    count: number,
  ): Promise<{ sub: string; ids: string[]; path: string }> => {
    const path = `/hook-${++n}`;
    answers.set(path, status);
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets) VALUES ('s', 'webhook', $1, $2::jsonb) RETURNING id`,
      [`${receiver.url}${path}`, JSON.stringify([secret])],
    );
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const [{ id: paper }] = await stores.db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
        [`p-${n}-${i}`, `Paper ${n}.${i}`],
      );
      await stores.db.ds.query(`UPDATE paper_stages SET stage = 'notified' WHERE paper_id = $1`, [paper]);
      const [{ id }] = await stores.db.ds.query(
        `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
        [sub, paper],
      );
      ids.push(id);
    }
    return { sub, ids, path };
  };
  const rows = async (ids: string[]) =>
    (await stores.db.ds.query(
      `SELECT id, status, attempts, claimed_by, last_status_code FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    )) as {
      id: string;
      status: string;
      attempts: number;
      claimed_by: string | null;
      last_status_code: number;
    }[];
  const subscription = async (id: string) =>
    (
      await stores.db.ds.query(
        `SELECT status, status_reason, consecutive_failures, failed_messages FROM subscriptions WHERE id = $1`,
        [id],
      )
    )[0] as { status: string; status_reason: string | null; consecutive_failures: number; failed_messages: number };
  const job = (id: string) => ({ id, attemptsMade: 0, opts: { attempts: 15 } });

  it('sends a batch as one request per delivery, each signed with its own webhook-id, and never twice', async () => {
    const { ids, path } = await setup(204, 7);
    expect(await service.handleDeliver(ids, job('deliver-b7-a'))).toEqual({
      delivered: 7,
      retrying: 0,
      failed: 0,
      skipped: 0,
      alreadyDelivered: 0,
      elsewhere: 0,
    });
    const got = receiver.requests.filter((r) => r.path === path);
    expect(got.map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort());
    for (const r of got) {
      const payload = new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
        data: { paper: { id: string } };
      };
      expect(payload.data.paper.id).toBeTruthy();
    }
    expect((await rows(ids)).map((r) => [r.status, r.attempts, r.claimed_by, r.last_status_code])).toEqual(
      ids.map(() => ['delivered', 1, null, 204]),
    );
    // The same job again, or another one: nothing is claimable, nothing is sent.
    expect(await service.handleDeliver(ids, job('deliver-b7-a'))).toMatchObject({
      delivered: 0,
      alreadyDelivered: 7,
    });
    expect(await service.handleDeliver([ids[0]!], job(`deliver-${ids[0]}`))).toBe('already-delivered');
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(7);
  });

  it('claims with a compare-and-set: concurrent jobs claim each delivery once; a crashed job takes its own back', async () => {
    const { ids } = await setup(204, 12);
    const lease = { leaseSeconds: 3600 };
    const [a, b] = await Promise.all([
      repo.deliveries(ids, { by: 'job-a', ...lease }),
      repo.deliveries(ids, { by: 'job-b', ...lease }),
    ]);
    const claimedA = a.filter((r) => r.claimed).map((r) => r.delivery.id);
    const claimedB = b.filter((r) => r.claimed).map((r) => r.delivery.id);
    expect([...claimedA, ...claimedB].sort()).toEqual([...ids].sort());
    expect(claimedA.filter((id) => claimedB.includes(id))).toEqual([]);
    // Claimed rows carry what the payload needs; rows claimed by the other job do not.
    expect(a.filter((r) => r.claimed).every((r) => r.paper !== null)).toBe(true);
    expect(a.filter((r) => !r.claimed).every((r) => r.paper === null)).toBe(true);

    // job-a crashed mid-send: BullMQ runs it again and it takes its own claims over at once ...
    const again = await repo.deliveries(ids, { by: 'job-a', ...lease });
    expect(
      again
        .filter((r) => r.claimed)
        .map((r) => r.delivery.id)
        .sort(),
    ).toEqual([...claimedA].sort());
    // ... while a third job waits out the lease, then takes them (their job is gone).
    expect((await repo.deliveries(ids, { by: 'job-c', ...lease })).filter((r) => r.claimed)).toEqual([]);
    const stale = await repo.deliveries(ids, { by: 'job-c', leaseSeconds: 0 });
    expect(stale.filter((r) => r.claimed)).toHaveLength(12);
    expect((await rows(ids)).every((r) => r.claimed_by === 'job-c' && r.status === 'sending')).toBe(true);
  });

  it('a lone delivery held by another job is retried after the lease, not sent', async () => {
    const { ids, path } = await setup(204, 1);
    expect((await repo.deliveries([ids[0]!], { by: 'another-job', leaseSeconds: 3600 }))[0]?.claimed).toBe(
      true,
    );
    const err = await service.handleDeliver(ids, job(`deliver-${ids[0]}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAfterMs).toBeGreaterThan(60_000);
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(0);
  });

  it('failed attempts go on as deliver-<id> jobs with the webhook backoff; first-attempt failures never pause', async () => {
    const { sub, ids, path } = await setup(503, WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 2);
    const result = await service.handleDeliver(ids, job('deliver-b22-x'));
    expect(result).toMatchObject({ delivered: 0, retrying: ids.length, failed: 0 });
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(ids.length);
    expect(
      (await rows(ids)).every((r) => r.status === 'pending' && r.attempts === 1 && r.claimed_by === null),
    ).toBe(true);
    const deliver = stores.queues.get('deliver');
    for (const id of ids) {
      const retry = await deliver.getJob(`deliver-${id}`);
      expect(retry?.data).toEqual({ deliveryId: id });
      expect(await retry?.getState()).toBe('delayed');
      // full jitter within [1 s, 15 s] scaled by DELIVERY_BACKOFF_MS = 200 ms
      expect(retry!.opts.delay).toBeGreaterThanOrEqual(13);
      expect(retry!.opts.delay).toBeLessThanOrEqual(200);
    }
    // 22 failed attempts (shown on /ops), no message failed for good: the endpoint stays active.
    expect(await subscription(sub)).toMatchObject({
      status: 'active',
      consecutive_failures: ids.length,
      failed_messages: 0,
      status_reason: null,
    });
  });

  it('messages that fail for good pause the endpoint at the rule’s threshold; a paused endpoint sends nothing', async () => {
    const { sub, ids, path } = await setup(503, WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 1);
    // each delivery's last attempt (attempts: 1): every failure is final
    await expect(service.handleDeliver(ids, { id: 'deliver-b21-last', attemptsMade: 0, opts: { attempts: 1 } })).rejects.toThrow(
      UnrecoverableError,
    );
    expect(await subscription(sub)).toMatchObject({
      status: 'paused',
      consecutive_failures: ids.length,
      failed_messages: ids.length,
      status_reason: expect.stringMatching(/^paused after 21 messages in a row failed for good .*; last: HTTP 503/),
    });
    // A paused endpoint's pending message is not sent (it waits for the resume).
    const [{ id: paper }] = await stores.db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('p-paused', 'Paused', 'An abstract.', md5('p-paused')) RETURNING id`,
    );
    const [{ id: pending }] = await stores.db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
      [sub, paper],
    );
    expect(await service.handleDeliver([pending], job(`deliver-${pending}`))).toBe('skipped');
    expect(receiver.requests.filter((r) => r.path === path)).toHaveLength(ids.length);
  });

  it('a redelivery that succeeds removes the failures it ends (its own job, a batch once all of it is delivered), with no read of the failed set', async () => {
    const { sub, ids, path } = await setup(302, 4);
    const [lone, inBatch, batchMate, other] = ids as [string, string, string, string];
    const deliver = stores.queues.get('deliver');
    // the notifier's deliver worker, as production runs it
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'deliver',
      (j: Job<JobOf<'deliver'>>) =>
        service.handleDeliver('deliveryIds' in j.data ? j.data.deliveryIds : [j.data.deliveryId], j),
      // the notifier's backoff setting (DeliverProcessor): its jobs' backoff type is 'webhook'
      { connection, prefix: stores.prefix, settings: { backoffStrategy: webhookBackoffStrategy } },
    );
    const ended = (id: string, state: 'failed' | 'completed') =>
      waitFor(`${id} ${state}`, async () => (await deliver.getJobState(id)) === state);
    try {
      // a 302: the lone delivery's job, a batch's and another delivery's fail for good
      const batch = deliveryBatchJobId([inBatch, batchMate]);
      await stores.queues.enqueue('deliver', { deliveryId: lone }, { attempts: 1 });
      await stores.queues.enqueue('deliver', { deliveryIds: [inBatch, batchMate] }, { attempts: 1 });
      await stores.queues.enqueue('deliver', { deliveryId: other }, { attempts: 1 });
      for (const id of [`deliver-${lone}`, batch, `deliver-${other}`]) await ended(id, 'failed');
      expect(await deliver.getFailedCount()).toBe(3);

      // the endpoint is fixed; three of them are redelivered (as `subscriptions redeliver` does), one at a time
      answers.set(path, 204);
      const redeliver = async (id: string): Promise<void> => {
        expect((await resetFailedDelivery(stores.db.ds, sub, id)).reset).toBe(true);
        await ended(await stores.queues.enqueue('deliver', { deliveryId: id }, { variant: uniqueVariant('redeliver') }), 'completed');
      };
      await redeliver(lone);
      expect((await deliver.getFailed()).map((j) => j.id).sort()).toEqual([batch, `deliver-${other}`].sort());
      // half of the batch delivered: its failure is not over
      await redeliver(inBatch);
      expect((await deliver.getFailed()).map((j) => j.id).sort()).toEqual([batch, `deliver-${other}`].sort());
      await redeliver(batchMate);
      expect((await deliver.getFailed()).map((j) => j.id)).toEqual([`deliver-${other}`]);
      expect((await rows(ids)).map((r) => r.status).sort()).toEqual(['delivered', 'delivered', 'delivered', 'failed']);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  /** Counts the commands sent to Redis while `run` runs, and its round trips: a command sent with none in flight starts one. */
  const redisCost = async (run: () => Promise<unknown>): Promise<{ commands: string[]; roundTrips: number }> => {
    const redis = stores.redis as unknown as { sendCommand: (c: { name: string; promise: Promise<unknown> }, ...rest: unknown[]) => unknown };
    const send = redis.sendCommand;
    const commands: string[] = [];
    let inFlight = 0;
    let roundTrips = 0;
    redis.sendCommand = function (this: unknown, c, ...rest) {
      if (inFlight === 0) roundTrips++;
      inFlight++;
      commands.push(c.name);
      void c.promise.then(
        () => inFlight--,
        () => inFlight--,
      );
      return send.call(this, c, ...rest);
    };
    try {
      await run();
    } finally {
      redis.sendCommand = send;
    }
    return { commands, roundTrips };
  };

  it('a failure far down the failed set is removed when the last of its deliveries is delivered; a retried success with none behind it costs one round trip', async () => {
    const { sub, ids, path } = await setup(302, 3);
    const [inBatch, batchMate, retried] = ids as [string, string, string];
    const deliver = stores.queues.get('deliver');
    // (the retries earlier tests left waiting or delayed are dropped: this test's failing worker would run them)
    await deliver.drain(true);
    const failedBefore = await deliver.getFailedCount();
    // a batch fails for good (a 302), as the deliver worker runs it ...
    const batch = deliveryBatchJobId([inBatch, batchMate]);
    await expect(service.handleDeliver([inBatch, batchMate], { id: batch, attemptsMade: 0, opts: { attempts: 1 } })).rejects.toThrow(UnrecoverableError);
    await deliver.add('deliver', { deliveryIds: [inBatch, batchMate] }, { jobId: batch, attempts: 1 });
    // ... (moved to the failed set as BullMQ does) then 150 failures of other deliveries come after it
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'deliver',
      async () => {
        throw new Error('HTTP 500');
      },
      // the notifier's backoff setting (DeliverProcessor): its jobs' backoff type is 'webhook'
      { connection, prefix: stores.prefix, settings: { backoffStrategy: webhookBackoffStrategy } },
    );
    try {
      await deliver.addBulk(Array.from({ length: 150 }, (_, i) => ({ name: 'deliver', data: { deliveryId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }, opts: { jobId: `filler-${i}`, attempts: 1 } })));
      await waitFor('151 more failed', async () => (await deliver.getFailedCount()) === failedBefore + 151);
    } finally {
      await worker.close();
      connection.disconnect();
    }
    expect((await deliver.getFailed(0, 99)).map((j) => j.id)).not.toContain(batch);

    // the endpoint is fixed; both are redelivered: the batch's failure leaves the failed set with the second one
    answers.set(path, 204);
    for (const id of [inBatch, batchMate]) {
      expect((await resetFailedDelivery(stores.db.ds, sub, id)).reset).toBe(true);
      expect(await service.handleDeliver([id], job(`deliver-${id}-${uniqueVariant('redeliver')}`))).toBe('delivered');
    }
    expect(await deliver.getJobState(batch)).toBe('unknown');
    expect(await deliver.getFailedCount()).toBe(failedBefore + 150);
    expect(await stores.redis.exists(deliver.toKey(`failures-of:${inBatch}`), deliver.toKey(`failures-of:${batchMate}`))).toBe(0);

    // a delivery delivered on its second attempt, with no failed job behind it: one command, one round trip, not a
    // read of the failed set's newest 100 jobs
    await stores.db.ds.query(`UPDATE deliveries SET attempts = 1, last_status_code = 503 WHERE id = $1`, [retried]);
    const cost = await redisCost(() => service.handleDeliver([retried], { ...job(`deliver-${retried}`), attemptsMade: 1 }));
    expect((await rows([retried]))[0]!.status).toBe('delivered');
    expect(cost).toEqual({ commands: ['smembers'], roundTrips: 1 });
  }, 60_000);

  it('a 410 disables the endpoint and stops the batch: the rest is skipped, never sent', async () => {
    const { sub, ids, path } = await setup(410, 20);
    await expect(service.handleDeliver(ids, job('deliver-b20-g'))).rejects.toThrow(UnrecoverableError);
    const sent = receiver.requests.filter((r) => r.path === path).length;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(4);
    const byStatus = (await rows(ids)).reduce<Record<string, number>>(
      (m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus).toEqual({ failed: sent, skipped: 20 - sent });
    expect(await subscription(sub)).toMatchObject({
      status: 'disabled',
      status_reason: 'endpoint answered 410 Gone',
    });
  });
});
