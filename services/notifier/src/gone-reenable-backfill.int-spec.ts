import { UnrecoverableError } from 'bullmq';
import { setSubscriptionStatus } from '@paperwire/actions';
import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { errorClass } from '@paperwire/contracts';
import { generateWebhookSecret } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, startWebhookReceiver, type TestStores, type WebhookReceiver } from '@paperwire/testing';
import { BackfillService } from './backfill.service';
import { DeliveryService } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';

// Review 24 (second pass): a webhook disabled by a 410 and re-enabled (`subscriptions resume`) got nothing of what it
// missed: its failed and skipped deliveries stayed so (a skipped one could not even be redelivered, and showed
// "HTTP 410" and an attempt though never sent), and papers notified while it was disabled were never matched.
// Re-enabling now backfills as resuming a paused subscription does (same window and cap; --no-backfill honoured).
describe('re-enabling a webhook disabled by a 410 (Postgres + Redis + HTTP)', () => {
  let stores: TestStores;
  let repo: NotifierRepository;
  let delivery: DeliveryService;
  let backfill: BackfillService;
  let receiver: WebhookReceiver;
  const answers = new Map<string, number>();

  beforeAll(async () => {
    stores = await createTestStores('notifier_gone_reenable');
    repo = new NotifierRepository(stores.db.ds);
    receiver = await startWebhookReceiver(({ path }) => answers.get(path) ?? 204);
    const config = loadConfig(notifierServiceEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000', DELIVERY_BACKOFF_MS: '200' });
    const log = createLogger('gone-reenable', 'silent');
    const metrics = new Metrics();
    const digests = new DigestService(new DigestRepository(stores.db.ds), repo, new Mailer(config), config, log, metrics);
    delivery = new DeliveryService(repo, digests, stores.queues, config, log, metrics);
    backfill = new BackfillService(repo, stores.queues, loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' }), log);
  });

  afterAll(async () => {
    await receiver?.close();
    await stores?.close();
  });

  const job = (id: string) => ({ id, attemptsMade: 0, opts: { attempts: 15 } });
  let n = 0;
  /** each subscription's keyword, so one matches only its own papers */
  const WORDS = ['', 'adapters', 'pruning', 'distillation', 'quantization', 'sparsity'];
  const paper = async (key: string): Promise<string> => {
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
      [key, `${WORDS[n]} study ${key}`],
    );
    await stores.db.ds.query(`UPDATE paper_stages SET stage = 'notified', notified_at = now() WHERE paper_id = $1`, [id]);
    return id;
  };
  /** A webhook whose endpoint answers 410 to a batch of 20 deliveries: disabled, some failed, the rest skipped. */
  const goneWebhook = async (): Promise<{ sub: string; ids: string[]; path: string }> => {
    const path = `/gone-${++n}`;
    answers.set(path, 410);
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, secrets) VALUES ('s', 'webhook', $1, $2::jsonb, $3::jsonb) RETURNING id`,
      [`${receiver.url}${path}`, JSON.stringify({ keywords: [WORDS[n]] }), JSON.stringify([generateWebhookSecret()])],
    );
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [{ id }] = await stores.db.ds.query(
        `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
        [sub, await paper(`g${n}-${i}`)],
      );
      ids.push(id);
    }
    await expect(delivery.handleDeliver(ids, job(`deliver-gone-${n}`) as never)).rejects.toThrow(UnrecoverableError);
    return { sub, ids, path };
  };
  const rows = async (sub: string) =>
    (await stores.db.ds.query(
      `SELECT id, paper_id, status, attempts, last_status_code, last_error FROM deliveries WHERE subscription_id = $1 ORDER BY created_at, id`,
      [sub],
    )) as { id: string; paper_id: string; status: string; attempts: number; last_status_code: number | null; last_error: string | null }[];

  it('records the deliveries skipped while disabled as never sent: no attempt, no HTTP error', async () => {
    const { sub } = await goneWebhook();
    const skipped = (await rows(sub)).filter((r) => r.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const r of skipped) {
      expect([r.attempts, r.last_status_code, errorClass(r.last_error, r.last_status_code)]).toEqual([0, null, 'subscription disabled']);
    }
    for (const r of (await rows(sub)).filter((x) => x.status === 'failed')) expect([r.attempts, r.last_status_code]).toEqual([1, 410]);
  });

  it('resume after the endpoint is fixed sends what it missed: the failed, the skipped and the papers matched meanwhile', async () => {
    const { sub, ids, path } = await goneWebhook();
    const late = await paper(`late-${n}`);
    answers.set(path, 204);
    const resumed = await setSubscriptionStatus(stores.db.ds, stores.queues, 'operator', sub, 'active', { backfill: true });
    expect(resumed.status).toBe('active');
    expect(resumed.backfill).toBeDefined();
    // the 410's deliveries are pending again, as a fresh run of attempts
    expect((await rows(sub)).map((r) => r.status)).toEqual(ids.map(() => 'pending'));

    await backfill.handleBackfillSubscription(sub, (await stores.queues.get('notify').getJob(resumed.backfill!.jobId))!.data.since);
    const pending = (await rows(sub)).filter((r) => r.status === 'pending');
    expect(pending.map((r) => r.paper_id)).toContain(late);
    for (const r of pending) await delivery.handleDeliver([r.id], job(`deliver-${r.id}`) as never);
    const after = await rows(sub);
    expect(after.map((r) => r.status)).toEqual(after.map(() => 'delivered'));
    expect(after).toHaveLength(21);
    const got = receiver.requests.filter((r) => r.path === path && r.status === 204);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(21);
  });

  it('counts in papersToCheck the reopened deliveries whose papers were notified before the window, as the backfill sends them', async () => {
    const { sub, ids, path } = await goneWebhook();
    // its papers were notified an hour before the 410: outside the window of notified papers the backfill checks
    await stores.db.ds.query(
      `UPDATE paper_stages SET notified_at = now() - interval '1 hour' WHERE paper_id IN (SELECT paper_id FROM deliveries WHERE subscription_id = $1)`,
      [sub],
    );
    answers.set(path, 204);
    const resumed = await setSubscriptionStatus(stores.db.ds, stores.queues, 'operator', sub, 'active', { backfill: true });
    const [{ n: notified }] = await stores.db.ds.query(`SELECT count(*)::int AS n FROM paper_stages WHERE notified_at >= $1`, [resumed.backfill!.since]);
    expect(resumed.backfill!.papersToCheck).toBe(notified + ids.length);

    const done = await backfill.handleBackfillSubscription(sub, (await stores.queues.get('notify').getJob(resumed.backfill!.jobId))!.data.since);
    expect(done.checked).toBe(notified);
    expect(done.enqueued).toBe(ids.length);
    for (const r of await rows(sub)) await delivery.handleDeliver([r.id], job(`deliver-${r.id}`) as never);
    expect((await rows(sub)).map((r) => r.status)).toEqual(ids.map(() => 'delivered'));
  });

  it('--no-backfill re-enables it and sends nothing of the past', async () => {
    const { sub } = await goneWebhook();
    const before = await rows(sub);
    const resumed = await setSubscriptionStatus(stores.db.ds, stores.queues, 'operator', sub, 'active', { backfill: false });
    expect(resumed.status).toBe('active');
    expect(resumed.backfill).toBeUndefined();
    expect(await rows(sub)).toEqual(before);
  });
});
