import { loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestDb, startWebhookReceiver, waitFor, type TestDb, type WebhookReceiver } from '@paperwire/testing';
import { DeliveryService } from './delivery.service';
import type { DigestService } from './digest.service';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';

// Real Postgres and a real webhook endpoint: two jobs that name the same delivery (its own and a
// resume's re-send, or a sweeper's re-enqueue) must not both send it.
describe('DeliveryService: one send per delivery (Postgres + HTTP)', () => {
  let db: TestDb;
  let receiver: WebhookReceiver;
  let service: DeliveryService;
  let repo: NotifierRepository;

  beforeAll(async () => {
    db = await createTestDb('notifier_delivery');
    // The first attempt hangs (an attempt in flight); later ones answer 204.
    receiver = await startWebhookReceiver(({ n }) => (n === 0 ? 'hang' : 204));
    const config = loadConfig(notifierServiceEnvSchema, {
      NODE_ENV: 'test',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '1500',
    });
    // Webhook deliveries never reach the digest service (it sends e-mail only).
    const email = {} as DigestService;
    repo = new NotifierRepository(db.ds);
    service = new DeliveryService(
      repo,
      email,
      config,
      createLogger('delivery-test', 'silent'),
      new Metrics(),
    );
  });

  afterAll(async () => {
    await receiver?.close();
    await db?.drop();
  });

  async function delivery(key = 'k1'): Promise<string> {
    const [{ id: paperId }] = await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash, stage) VALUES ($1, 'A title', 'An abstract.', md5($1), 'notified') RETURNING id`,
      [key],
    );
    const [{ id: sub }] = await db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, status)
       VALUES ('s', 'webhook', $1, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', 'active') RETURNING id`,
      [`${receiver.url}/hook`],
    );
    const [{ id }] = await db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["topic"]}') RETURNING id`,
      [sub, paperId],
    );
    return id as string;
  }

  it('does not send a delivery another job is sending; that job finishes it', async () => {
    const id = await delivery();
    const first = service.handleDeliver(id, 1, 15);
    await waitFor('the first attempt to reach the endpoint', async () => receiver.requests.length === 1);
    const [{ status }] = await db.ds.query(`SELECT status FROM deliveries WHERE id = $1`, [id]);
    expect(status).toBe('sending');

    // A second job for the same delivery while the first attempt is in flight.
    await expect(service.handleDeliver(id, 1, 15)).rejects.toThrow(/in flight/);
    expect(receiver.requests).toHaveLength(1);

    // The first attempt times out (a retryable failure): the delivery is pending again, and the next
    // attempt, whichever job makes it, sends it once more with the same webhook-id.
    await expect(first).rejects.toThrow(/webhook attempt failed/);
    await expect(service.handleDeliver(id, 2, 15)).resolves.toBe('delivered');
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].headers['webhook-id']).toBe(receiver.requests[0].headers['webhook-id']);
    await expect(service.handleDeliver(id, 1, 15)).resolves.toBe('already-delivered');
    expect(receiver.requests).toHaveLength(2);
  }, 20_000);

  it('marks a delivery sending once: a compare-and-set, taken over only when the attempt outlived its lease', async () => {
    const id = await delivery('k2');
    const [a, b] = await Promise.all([repo.markSending(id, 60_000), repo.markSending(id, 60_000)]);
    expect([a, b].sort()).toEqual([false, true]);
    await db.ds.query(`UPDATE deliveries SET updated_at = now() - interval '61 seconds' WHERE id = $1`, [id]);
    expect(await repo.markSending(id, 60_000)).toBe(true);
    const [{ status, attempts }] = await db.ds.query(`SELECT status, attempts FROM deliveries WHERE id = $1`, [id]);
    expect({ status, attempts }).toEqual({ status: 'sending', attempts: 2 });
  });
});
