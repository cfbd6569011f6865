import 'reflect-metadata';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@paperwire/config';
import { createApiKey, deliveryLogPage, type Db } from '@paperwire/db';
import { WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES, endpointPauseReason } from '@paperwire/notifications';
import { QueueSet } from '@paperwire/queue';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import {
  TEST_REDIS_URL,
  dropQueuePrefix,
  seedBarePapers,
  seedPaper,
  startJobWorkers,
  startWebhookReceiver,
  type TestStores,
  type WebhookReceiver,
} from '@paperwire/testing';
import { useTestApi } from '../../services/api/src/testing/use-test-api';
import { DeliveryService } from '../../services/notifier/src/delivery.service';
import { digestRunOf } from '../../services/notifier/src/digest-run';
import { DigestRepository } from '../../services/notifier/src/digest.repository';
import { DigestService } from '../../services/notifier/src/digest.service';
import { Mailer } from '../../services/notifier/src/mailer';
import { notifierServiceEnvSchema } from '../../services/notifier/src/notifier-config';
import { NotifierRepository } from '../../services/notifier/src/notifier.repository';

jest.setTimeout(180_000);

// Review 22: a receiver down for its first 22 requests paused its subscription although every message would
// have got through on a retry, and the owner could not see what was delivered. Here the notifier's delivery
// service sends to a real HTTP receiver and runs the retry jobs it queued (as the deliver worker does); the api
// and the CLI (built, a child process on the same schema) show the delivery log and redeliver, through the one
// set of actions.
describe('webhook outages, the delivery log and redeliver: notifier, api and CLI', () => {
  const keys: Record<'owner' | 'other' | 'admin' | 'reader', string> = {
    owner: '',
    other: '',
    admin: '',
    reader: '',
  };
  const api = useTestApi(
    't_delivery_log',
    async ({ ds }) => {
      for (const [name, scopes] of [
        ['owner', ['subscriptions']],
        ['other', ['subscriptions']],
        ['admin', ['admin']],
        ['reader', ['read']],
      ] as const)
        keys[name] = (await createApiKey(ds, { name, scopes: [...scopes] })).key;
    },
    { WEBHOOK_ALLOW_PRIVATE: 'true' },
  );
  const http = () => api.http();
  const cli = (args: string[]) => api.cli(args);
  let redis: Redis;
  let queues: QueueSet;
  let receiver: WebhookReceiver;
  let delivery: DeliveryService;
  let digests: DigestService;
  // Per path: how many requests it got, and what it answers to request number n (from 1).
  const seen = new Map<string, number>();
  const answer = new Map<string, (n: number) => number>();

  beforeAll(async () => {
    // The notifier's services on the api's schema, with queues under the api's prefix.
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new QueueSet(redis, api.prefix);
    receiver = await startWebhookReceiver(({ path }) => {
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      return (answer.get(path) ?? (() => 204))(n);
    });
    const config = loadConfig(notifierServiceEnvSchema, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '3000',
      DELIVERY_BACKOFF_MS: '200',
    });
    const log = createLogger('delivery-log-test', 'silent');
    const metrics = new Metrics();
    const repo = new NotifierRepository(api.db.ds);
    digests = new DigestService(
      new DigestRepository(api.db.ds),
      repo,
      new Mailer(config),
      config,
      log,
      metrics,
    );
    delivery = new DeliveryService(repo, digests, queues, config, log, metrics);
  });

  afterAll(async () => {
    await receiver?.close();
    await queues?.close();
    await dropQueuePrefix(api.prefix, redis);
    redis?.disconnect();
  });

  const cliLines = async (args: string[]): Promise<Record<string, unknown>[]> => {
    const r = await cli(args);
    expect(r).toMatchObject({ code: 0 });
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  let n = 0;
  /** A webhook subscription of the owner key on a receiver path of its own that answers `answers(n)` to its n-th request. */
  const createWebhook = async (
    answers: (n: number) => number,
    extra: object = {},
  ): Promise<{ id: string; path: string }> => {
    const path = `/hook-${++n}`;
    answer.set(path, answers);
    const res = await http()
      .post('/v1/subscriptions')
      .set('X-API-Key', keys.owner)
      .send({ channel: 'webhook', target: `${receiver.url}${path}`, ...extra })
      .expect(201);
    return { id: res.body.id, path };
  };

  /** `count` papers matched to the subscription: their deliveries, oldest first, as live matching records them. */
  const matched = async (sub: string, count: number): Promise<string[]> => {
    const refs = await seedBarePapers(api.db.ds, count, `dl-${++n}`, { stage: 'notified' });
    const rows: { id: string; paper_id: string }[] = await api.db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail, created_at)
       SELECT $1, p.id, '{"reasons":["r"]}', now() + p.ord * interval '1 millisecond'
         FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, ord)
       RETURNING id, paper_id`,
      [sub, refs.map((r) => r.paperId)],
    );
    const byPaper = new Map(rows.map((r) => [r.paper_id, r.id]));
    return refs.map((r) => byPaper.get(r.paperId)!);
  };

  /** Runs the retry job the notifier queued for a delivery, as the deliver worker would when its delay is up. */
  const runRetry = async (id: string, jobId = `deliver-${id}`, attempts?: number) => {
    const job = await queues.get('deliver').getJob(jobId);
    expect(job).toBeDefined();
    expect(job!.data).toEqual({ deliveryId: id });
    return delivery
      .handleDeliver([id], {
        id: job!.id,
        attemptsMade: 1,
        opts: { ...job!.opts, ...(attempts ? { attempts } : {}) },
      })
      .catch((e: unknown) => e);
  };

  const subscription = async (id: string) =>
    (await http().get(`/v1/subscriptions/${id}`).set('X-API-Key', keys.owner).expect(200)).body;
  const log = async (id: string, query = 'limit=100') =>
    (await http().get(`/v1/subscriptions/${id}/deliveries?${query}`).set('X-API-Key', keys.owner).expect(200))
      .body as {
      items: Record<string, unknown>[];
      nextCursor: string | null;
    };
  /** The receiver's requests on `path`, by webhook-id: the statuses it answered, in order. */
  const byWebhookId = (path: string) => {
    const m = new Map<string, number[]>();
    for (const r of receiver.requests.filter((q) => q.path === path)) {
      const id = String(r.headers['webhook-id']);
      m.set(id, [...(m.get(id) ?? []), r.status]);
    }
    return m;
  };

  let outage: { id: string; path: string; deliveries: string[] };

  it('a receiver that fails its first 22 requests, then answers: nothing is paused, each message arrives once, same webhook-id', async () => {
    const messages = WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 2;
    const sub = await createWebhook((k) => (k <= messages ? 500 : 200));
    const ids = await matched(sub.id, messages);
    outage = { ...sub, deliveries: ids };

    const first = await delivery.handleDeliver(ids, {
      id: 'deliver-outage-batch',
      attemptsMade: 0,
      opts: { attempts: 15 },
    });
    expect(first).toMatchObject({ delivered: 0, retrying: messages, failed: 0 });
    // 22 failed attempts, no message failed for good: still active; the ops view lists the failing endpoint meanwhile
    expect(await subscription(sub.id)).toMatchObject({
      status: 'active',
      statusReason: null,
      consecutiveFailures: messages,
      failedMessages: 0,
    });
    const failing = await http().get('/v1/stats/pipeline').set('X-API-Key', keys.admin).expect(200);
    expect((failing.body.endpoints as { id: string }[]).find((e) => e.id === sub.id)).toMatchObject({
      status: 'active',
      consecutiveFailures: messages,
    });
    expect((await http().get('/ops').expect(200)).text).toMatch(/data-testid="endpoints-counted">[^<]*1 still tried/);

    // The owner sees every message waiting for its retry, and when it comes; the CLI shows the same log.
    const during = await log(sub.id);
    expect(during.items).toHaveLength(messages);
    expect(new Set(during.items.map((i) => i.id))).toEqual(new Set(ids));
    for (const item of during.items) {
      expect(item).toMatchObject({
        eventType: 'paper.matched',
        status: 'retrying',
        attempts: 1,
        lastHttpStatus: 500,
        lastError: 'HTTP 500',
        deliveredAt: null,
      });
      expect(Date.parse(item.nextAttemptAt as string)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(await cliLines(['subscriptions', 'deliveries', sub.id, '--limit', '100', '--json'])).toEqual(
      during.items,
    );

    for (const id of ids) expect(await runRetry(id)).toBe('delivered');

    expect(await subscription(sub.id)).toMatchObject({
      status: 'active',
      statusReason: null,
      consecutiveFailures: 0,
      failedMessages: 0,
    });
    const got = byWebhookId(sub.path);
    expect(new Set(got.keys())).toEqual(new Set(ids));
    // every message: one failed attempt, then delivered once, both with its one webhook-id
    for (const id of ids) expect(got.get(id)).toEqual([500, 200]);
    const after = await log(sub.id);
    for (const item of after.items) {
      expect(item).toMatchObject({
        status: 'delivered',
        attempts: 2,
        lastHttpStatus: 200,
        lastError: null,
        nextAttemptAt: null,
      });
      expect(item.deliveredAt).toEqual(expect.any(String));
    }
  });

  it('pages the log newest first by cursor, the API and the CLI alike; only the owner (or an admin) reads it', async () => {
    const seenIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log(outage.id, `limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seenIds.push(...page.items.map((i) => i.id as string));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seenIds).toHaveLength(outage.deliveries.length);
    // newest first: the reverse of the order they were matched in
    expect(seenIds).toEqual([...outage.deliveries].reverse());
    const viaCli = await cliLines(['subscriptions', 'deliveries', outage.id, '--limit', '7', '--json']);
    expect(viaCli.map((i) => i.id)).toEqual(seenIds.slice(0, 7));

    const path = `/v1/subscriptions/${outage.id}/deliveries`;
    await http().get(path).set('X-API-Key', keys.other).expect(404);
    await http().get(path).set('X-API-Key', keys.reader).expect(403);
    await http().get(path).expect(401);
    expect((await http().get(path).set('X-API-Key', keys.admin).expect(200)).body.items).toHaveLength(20);
    await http().get(`${path}?cursor=nope`).set('X-API-Key', keys.owner).expect(400);
    await http().get(`${path}?limit=0`).set('X-API-Key', keys.owner).expect(400);
    await http().get('/v1/subscriptions/not-a-uuid/deliveries').set('X-API-Key', keys.owner).expect(404);
    expect(
      (await cli(['subscriptions', 'deliveries', '00000000-0000-4000-8000-000000000000'])).code,
    ).not.toBe(0);
  });

  it('an endpoint that never recovers is paused once 20 messages failed for good, with the reason on /ops', async () => {
    let recovered = false;
    const sub = await createWebhook(() => (recovered ? 200 : 503));
    const ids = await matched(sub.id, WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 1);
    // two attempts per message: the first in a batch, the second its retry job, after which it has failed for good
    expect(
      await delivery.handleDeliver(ids, { id: 'deliver-down-batch', attemptsMade: 0, opts: { attempts: 2 } }),
    ).toMatchObject({ retrying: ids.length });
    expect(await subscription(sub.id)).toMatchObject({ status: 'active', failedMessages: 0 });
    for (const [i, id] of ids.entries()) {
      const r = await runRetry(id, undefined, 2);
      if (i < WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES) expect(r).toBeInstanceOf(UnrecoverableError);
      // paused after the 20th: the 21st is not sent, it waits for the resume
      else expect(r).toBe('skipped');
    }
    const reason = endpointPauseReason(WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES, 'HTTP 503');
    expect(await subscription(sub.id)).toMatchObject({
      status: 'paused',
      statusReason: reason,
      failedMessages: WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES,
      // every failed attempt: the 21 of the batch, the 20 retries
      consecutiveFailures: 2 * WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 1,
    });
    expect(receiver.requests.filter((r) => r.path === sub.path)).toHaveLength(
      2 * WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES + 1,
    );

    // /ops counts it as paused for everyone; with an admin key (the page's own reading) it names it and says why
    expect((await http().get('/ops').expect(200)).text).toMatch(/data-testid="endpoints-counted">[^<]*1 paused/);
    const stats = await http().get('/v1/stats/pipeline').set('X-API-Key', keys.admin).expect(200);
    expect((stats.body.endpoints as { id: string }[]).find((e) => e.id === sub.id)).toMatchObject({
      status: 'paused',
      reason,
    });

    const entries = (await log(sub.id)).items;
    expect(entries.filter((e) => e.status === 'failed')).toHaveLength(WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES);
    // the message tried once before the pause waits on it: held (sent when the subscription resumes), not retrying
    expect(entries.find((e) => e.id === ids[ids.length - 1])).toMatchObject({
      status: 'held',
      attempts: 1,
      nextAttemptAt: null,
    });
    for (const e of entries.filter((x) => x.status === 'failed'))
      expect(e).toMatchObject({ attempts: 2, lastHttpStatus: 503, lastError: 'HTTP 503' });

    // Redeliver: refused while paused (API and CLI alike), then sent with the same webhook-id once resumed.
    const failed = ids[0]!;
    const redeliverPath = (d: string) => `/v1/subscriptions/${sub.id}/deliveries/${d}/redeliver`;
    const paused = await http().post(redeliverPath(failed)).set('X-API-Key', keys.owner).expect(409);
    expect(paused.body.detail).toMatch(/paused: resume it first/);
    const pausedCli = await cli(['subscriptions', 'redeliver', sub.id, failed]);
    expect(pausedCli.code).not.toBe(0);
    expect(pausedCli.stderr).toContain('resume it first');

    await http()
      .patch(`/v1/subscriptions/${sub.id}`)
      .set('X-API-Key', keys.owner)
      .send({ status: 'active', backfill: false })
      .expect(200);
    recovered = true;
    const again = await http().post(redeliverPath(failed)).set('X-API-Key', keys.owner).expect(202);
    // a fresh run of attempts that keeps the history: the two failed attempts are still counted
    expect(again.body).toMatchObject({ id: failed, status: 'pending', attempts: 2, redeliveries: 1, lastError: 'HTTP 503' });
    // in flight: a second ask is refused, nothing is queued twice
    expect(
      (await http().post(redeliverPath(failed)).set('X-API-Key', keys.owner).expect(409)).body.detail,
    ).toMatch(/in flight/);
    expect(await runRetry(failed, again.body.jobId)).toBe('delivered');
    expect(byWebhookId(sub.path).get(failed)).toEqual([503, 503, 200]);
    expect((await log(sub.id)).items.find((e) => e.id === failed)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      redeliveries: 1,
      lastError: null,
    });

    // The CLI runs the same action: another failed one is redelivered, a delivered one refused.
    const viaCli = await cli(['subscriptions', 'redeliver', sub.id, ids[1]!]);
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toMatchObject({
      id: ids[1],
      status: 'pending',
      attempts: 2,
      redeliveries: 1,
      jobId: expect.any(String),
    });
    const delivered = await cli(['subscriptions', 'redeliver', sub.id, failed]);
    expect(delivered.code).not.toBe(0);
    expect(delivered.stderr).toContain('this one is delivered');
    expect(
      (await http().post(redeliverPath(failed)).set('X-API-Key', keys.owner).expect(409)).body.detail,
    ).toContain('this one is delivered');
    // another key's subscription, an unknown delivery: 404
    await http().post(redeliverPath(ids[2]!)).set('X-API-Key', keys.other).expect(404);
    await http()
      .post(redeliverPath('00000000-0000-4000-8000-000000000000'))
      .set('X-API-Key', keys.owner)
      .expect(404);
    await http().post(redeliverPath('nope')).set('X-API-Key', keys.owner).expect(404);
  });

  it('a page of the log reads a page, at 100k deliveries (EXPLAIN of the statement the action runs)', async () => {
    const sub = await createWebhook(() => 204);
    await api.db.ds.query(
      `INSERT INTO deliveries (subscription_id, digest_key, status, attempts, created_at)
       SELECT $1, 'k' || g, 'delivered', 1, now() - g * interval '1 second' FROM generate_series(1, 100000) g`,
      [sub.id],
    );
    await api.db.ds.query('ANALYZE deliveries');
    const plans: Record<string, unknown>[] = [];
    // deliveryLogPage's own statement, EXPLAINed instead of run
    const explaining = {
      query: async (sql: string, params: unknown[]) => {
        plans.push(
          (await api.db.ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params))[0][
            'QUERY PLAN'
          ][0].Plan,
        );
        return [];
      },
    } as unknown as Db;
    const [middle] = await api.db.ds.query(
      `SELECT created_at::text AS at, id FROM deliveries WHERE subscription_id = $1 AND digest_key = 'k50000'`,
      [sub.id],
    );
    await deliveryLogPage(explaining, sub.id, { limit: 20 });
    await deliveryLogPage(explaining, sub.id, { limit: 20, before: [middle.at, middle.id] });
    const nodes = (p: Record<string, unknown>): Record<string, unknown>[] => [
      p,
      ...((p.Plans as Record<string, unknown>[]) ?? []).flatMap(nodes),
    ];
    for (const plan of plans) {
      const all = nodes(plan);
      expect(all.map((x) => x['Node Type'])).not.toContain('Sort');
      expect(all.find((x) => x['Index Name'] === 'idx_deliveries_log')).toBeDefined();
      expect(plan['Actual Rows']).toBe(21);
      // a page of index entries and rows, not 100k
      const buffers = Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);
      expect(buffers).toBeLessThan(60);
    }
    // and the api pages it as usual
    expect((await log(sub.id, 'limit=100')).items).toHaveLength(100);
  });

  it('`subscriptions digest` says what the digest came to: skipped, and why', async () => {
    // the deliver queue's leftover retry jobs are not this worker's (it runs digests only)
    await queues.get('deliver').drain(true);
    const workers = startJobWorkers({ redis, prefix: api.prefix } as TestStores, {
      // as the notifier's worker: an on-demand digest's period ends when it was asked for, the same on every retry
      'send-digest': (d, job) => digests.runDigest(d.subscriptionId, digestRunOf(job)),
    });
    try {
      const sub = await createWebhook(() => 204, {
        mode: 'daily',
        schedule: { hour: 8 },
        filters: { keywords: ['nothing-matches-this'] },
      });
      const empty = await cli(['subscriptions', 'digest', sub.id, '--timeout', '30']);
      expect(empty.code).toBe(0);
      expect(JSON.parse(empty.stdout)).toMatchObject({
        id: sub.id,
        subscriptionStatus: 'active',
        result: 'skipped',
        reason: expect.stringMatching(/^no new papers matched this period so far/),
      });
      expect(JSON.parse(empty.stdout)).not.toHaveProperty('status');
      expect(receiver.requests.filter((r) => r.path === sub.path)).toHaveLength(0);
      expect((await cli(['subscriptions', 'pause', sub.id])).code).toBe(0);
      const paused = JSON.parse((await cli(['subscriptions', 'digest', sub.id, '--timeout', '30'])).stdout);
      expect(paused).toMatchObject({
        subscriptionStatus: 'paused',
        result: 'skipped',
        reason: 'the subscription is paused, not active',
      });
      // a digest whose send failed and waits for its retry is not "failed": the wait ends with `retrying`, and why
      await seedPaper(api.db.ds, { title: 'A paper for the failing digest', abstract: 'Digest content.', stage: 'notified' });
      // (the digest hour half a day from now: the period so far holds the paper just seeded at any time of day)
      const wide = { mode: 'daily', schedule: { hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC' } };
      const down = await createWebhook(() => 503, wide);
      const retrying = await cli(['subscriptions', 'digest', down.id, '--timeout', '3']);
      expect(retrying.code).toBe(0);
      expect(JSON.parse(retrying.stdout)).toMatchObject({ result: 'retrying', reason: 'digest webhook failed: HTTP 503' });
      expect(receiver.requests.filter((r) => r.path === down.path).length).toBeGreaterThanOrEqual(1);
      // a delivered digest: its log row keeps the status of the send that delivered it (it was null)
      await seedPaper(api.db.ds, { title: 'A paper for the delivered digest', abstract: 'Digest content.', stage: 'notified' });
      const up = await createWebhook(() => 202, wide);
      const sent = await cli(['subscriptions', 'digest', up.id, '--timeout', '30']);
      expect(JSON.parse(sent.stdout)).toMatchObject({ result: 'delivered' });
      const [row] = (await log(up.id)).items;
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastHttpStatus: 202 });
    } finally {
      await workers.close();
    }
    // without a notifier, or not waited for: queued, not a status that reads like an outcome
    const [{ id }] = await api.db.ds.query(
      `SELECT id FROM subscriptions WHERE mode = 'daily' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(JSON.parse((await cli(['subscriptions', 'digest', id, '--timeout', '0'])).stdout)).toMatchObject({
      result: 'queued',
    });
    expect((await cli(['subscriptions', 'digest', id, '--timeout', 'soon'])).code).not.toBe(0);
  });
});
