import type { AddressInfo } from 'node:net';
import { UnrecoverableError } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, type TestStores } from '@paperwire/testing';
import { DeliveryService } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { RetryLaterError } from './webhook-backoff';

jest.setTimeout(60_000);

/** A mail server on 127.0.0.1 that answers every RCPT TO with `code` (an SMTP reply code) and `text`. */
async function refusingSmtp(code: number, text: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(text), { responseCode: code }));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Email deliveries against real SMTP answers: a recipient refused for good is not retried for hours,
// and what the subscriber sees of a failure (its subscription's status reason) names no part of the
// operator's mail setup (its address, port or the relay's own words).
describe('email deliveries (Postgres + Redis + SMTP)', () => {
  let stores: TestStores;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    stores = await createTestStores('notifier_email_delivery');
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await stores?.close();
  });

  const servicesFor = (smtpUrl: string, env: Record<string, string> = {}): { delivery: DeliveryService; digests: DigestService } => {
    const config = loadConfig(notifierServiceEnvSchema, { SMTP_URL: smtpUrl, DELIVERY_BACKOFF_MS: '200', ...env });
    const log = createLogger('email-delivery-test', 'silent');
    const metrics = new Metrics();
    const repo = new NotifierRepository(stores.db.ds);
    const mailer = new Mailer(config);
    closers.push(async () => mailer.onModuleDestroy());
    const digests = new DigestService(new DigestRepository(stores.db.ds), repo, mailer, config, log, metrics);
    return { delivery: new DeliveryService(repo, digests, stores.queues, config, log, metrics), digests };
  };
  const serviceFor = (smtpUrl: string, env: Record<string, string> = {}): DeliveryService => servicesFor(smtpUrl, env).delivery;

  let n = 0;
  const setup = async (target: string): Promise<{ sub: string; id: string }> => {
    n++;
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target) VALUES ('mail', 'email', $1) RETURNING id`,
      [target],
    );
    const [{ id: paper }] = await stores.db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
      [`mail-${n}`, `Paper ${n}`],
    );
    await stores.db.ds.query(`UPDATE paper_stages SET stage = 'notified' WHERE paper_id = $1`, [paper]);
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
      [sub, paper],
    );
    return { sub, id };
  };
  const state = async (sub: string, id: string) => ({
    subscription: (
      await stores.db.ds.query(`SELECT status, status_reason, consecutive_failures FROM subscriptions WHERE id = $1`, [sub])
    )[0] as { status: string; status_reason: string | null; consecutive_failures: number },
    delivery: (await stores.db.ds.query(`SELECT status, attempts, last_error FROM deliveries WHERE id = $1`, [id]))[0] as {
      status: string;
      attempts: number;
      last_error: string | null;
    },
  });
  const job = (id: string) => ({ id: `deliver-${id}`, attemptsMade: 0, opts: { attempts: 15 } });

  it.each([550, 553])('a recipient the mail server refuses for good (%i) ends the delivery on its first attempt', async (code) => {
    const smtp = await refusingSmtp(code, '5.1.1 <x@relay.internal.example>: user unknown in virtual mailbox table');
    closers.push(smtp.close);
    const service = serviceFor(`smtp://127.0.0.1:${smtp.port}`);
    const { sub, id } = await setup(`nobody${code}@example.com`);
    await expect(service.handleDeliver([id], job(id))).rejects.toThrow(UnrecoverableError);
    const after = await state(sub, id);
    expect(after.delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(after.delivery.last_error).toContain(String(code));
    expect(after.delivery.last_error).not.toMatch(/relay\.internal|virtual mailbox/);
    expect(after.subscription.consecutive_failures).toBe(1);
  });

  it('a busy mail server (4xx) is retried', async () => {
    const smtp = await refusingSmtp(451, '4.3.0 relay.internal.example is busy');
    closers.push(smtp.close);
    const service = serviceFor(`smtp://127.0.0.1:${smtp.port}`);
    const { sub, id } = await setup('busy@example.com');
    await expect(service.handleDeliver([id], job(id))).rejects.toThrow(RetryLaterError);
    const after = await state(sub, id);
    expect(after.delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(after.delivery.last_error).not.toMatch(/relay\.internal/);
  });

  it('an unreachable mail server is retried, counts against no subscription, and its error names none of its setup', async () => {
    const smtp = await refusingSmtp(250, 'unused');
    await smtp.close(); // a port nothing listens on any more
    const service = serviceFor(`smtp://127.0.0.1:${smtp.port}`, { WEBHOOK_MAX_FAILED_MESSAGES: '1' });
    const { sub, id } = await setup('down@example.com');
    await expect(service.handleDeliver([id], job(id))).rejects.toThrow(RetryLaterError);
    const after = await state(sub, id);
    expect(after.delivery).toMatchObject({ status: 'pending', attempts: 1, last_error: 'the mail server was not available' });
    expect(after.subscription).toEqual({ status: 'active', status_reason: null, consecutive_failures: 0 });
    expect(after.delivery.last_error).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${smtp.port}|ECONNREFUSED`));
  });

  it('a confirmation mail refused for good fails once (no job retry) and is recorded failed', async () => {
    const smtp = await refusingSmtp(550, '5.1.1 user unknown');
    closers.push(smtp.close);
    const { digests } = servicesFor(`smtp://127.0.0.1:${smtp.port}`);
    const [{ id: sub }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, status) VALUES ('mail', 'email', 'gone@example.com', 'pending_confirmation') RETURNING id`,
    );
    await expect(digests.handleSendConfirmation(sub)).rejects.toThrow(UnrecoverableError);
    const [row] = await stores.db.ds.query(`SELECT status, last_error FROM deliveries WHERE subscription_id = $1`, [sub]);
    expect(row).toEqual({ status: 'failed', last_error: 'the mail server refused this address (SMTP 550)' });
  });
});
