import pino from 'pino';
import { loadConfig } from '@paperwire/config';
import { generateWebhookSecret } from '@paperwire/notifications';
import { Metrics, isReportedFailure } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { createTestStores, startWebhookReceiver, type TestStores, type WebhookReceiver } from '@paperwire/testing';
import { DeliveryService } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { EndpointFailureLog } from './endpoint-failure-log';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { RetryLaterError } from './webhook-backoff';

// A failing endpoint with many deliveries retrying: the notifier says so in one line per endpoint and minute, with a
// count of what it did not log one by one, and the job's retry is not warned about a second time (Postgres, Redis,
// a real HTTP endpoint; the log read back as it is written).
describe('the log of a failing webhook endpoint', () => {
  let stores: TestStores;
  let service: DeliveryService;
  let receiver: WebhookReceiver;
  let now = 1_000_000;
  const lines: { level: string; msg: string; subscriptionId?: string; unloggedSinceLastLine?: number }[] = [];
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    stores = await createTestStores('notifier_failure_log');
    const repo = new NotifierRepository(stores.db.ds);
    receiver = await startWebhookReceiver(() => 500);
    const config = loadConfig(notifierServiceEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000', DELIVERY_BACKOFF_MS: '200' });
    const log = pino(
      { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
      { write: (s: string) => void lines.push(JSON.parse(s)) },
    ) as unknown as Logger;
    const metrics = new Metrics();
    const digests = new DigestService(new DigestRepository(stores.db.ds), repo, new Mailer(config), config, log, metrics);
    service = new DeliveryService(repo, digests, stores.queues, config, log, metrics);
    service.failureLog = new EndpointFailureLog(60_000, () => now);
  });

  afterAll(async () => {
    await receiver?.close();
    await stores?.close();
  });

  let n = 0;
  /** A webhook subscription (its endpoint answers 500) with `count` pending deliveries. */
  const setup = async (count: number): Promise<{ sub: string; ids: string[] }> => {
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets) VALUES ('s', 'webhook', $1, $2::jsonb) RETURNING id`,
      [`${receiver.url}/hook-${++n}`, JSON.stringify([secret])],
    );
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const [{ id: paper }] = await stores.db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
        [`fl-${n}-${i}`, `Paper ${n}.${i}`],
      );
      const [{ id }] = await stores.db.ds.query(
        `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
        [sub, paper],
      );
      ids.push(id);
    }
    return { sub, ids };
  };
  /** Each delivery's own retry job (deliver-<id>, not its last attempt): the error it ends with. */
  const retryEach = (ids: string[]) =>
    Promise.all(ids.map((id) => service.handleDeliver([id], { id: `deliver-${id}`, attemptsMade: 1, opts: { attempts: 15 } }).catch((e: unknown) => e)));
  const warnings = (sub: string) => lines.filter((l) => l.level === 'warn' && l.subscriptionId === sub);

  it('writes one warning per endpoint and minute, then one counting the attempts it did not log', async () => {
    const a = await setup(6);
    const b = await setup(2);
    const errors = await retryEach([...a.ids, ...b.ids]);
    expect(receiver.requests).toHaveLength(8);
    // Every retry is a RetryLaterError already reported: the job's own line is debug, not a second warning.
    for (const e of errors) {
      expect(e).toBeInstanceOf(RetryLaterError);
      expect(isReportedFailure(e)).toBe(true);
    }
    expect(warnings(a.sub)).toHaveLength(1);
    expect(warnings(b.sub)).toHaveLength(1);
    expect(warnings(a.sub)[0]).not.toHaveProperty('unloggedSinceLastLine');

    // Within the minute: counted, not logged.
    now += 30_000;
    await retryEach(a.ids.slice(0, 3));
    expect(warnings(a.sub)).toHaveLength(1);

    // A minute after the line: one line, with the count of the attempts logged by none.
    now += 31_000;
    await retryEach(a.ids.slice(0, 1));
    const after = warnings(a.sub);
    expect(after).toHaveLength(2);
    expect(after[1]!.unloggedSinceLastLine).toBe(5 + 3);
    expect(after[1]!.msg).toBe('webhook attempts failed (and 8 more since the last line)');
  });
});
