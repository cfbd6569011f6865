import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, type TestStores } from '@paperwire/testing';
import { DeliveryService, type BatchResult } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';
import { RetryLaterError } from './webhook-backoff';

jest.setTimeout(60_000);

type Mode = 'ok' | 'busy' | 'silent';

/**
 * A mail server on 127.0.0.1 whose mood the test sets: 'ok' accepts every mail (but refuses for good, 550,
 * any recipient whose address starts with "refused"), 'busy' answers 421 on connect, 'silent' never greets.
 */
async function moodySmtp(port = 0): Promise<{ port: number; received: string[]; mode: Mode; close(): Promise<void> }> {
  const state = { mode: 'ok' as Mode, received: [] as string[] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onConnect(_session, callback) {
      if (state.mode === 'busy') return callback(Object.assign(new Error('4.3.2 relay.internal.example busy'), { responseCode: 421 }));
      if (state.mode === 'ok') callback(); // 'silent': no greeting
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused'))
        return callback(Object.assign(new Error('5.1.1 user unknown'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        state.received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const bound = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port: bound,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

/** A port on 127.0.0.1 nothing listens on (until the test starts a server there). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// The operator's mail server down, busy or silent is no fault of any subscriber: the deliveries wait and
// are retried, but no subscription is paused for it, nor has its failure streak grown. Only a recipient
// refused for good (5xx to RCPT TO) counts against its subscription.
describe('a mail server outage (Postgres + Redis + SMTP)', () => {
  let stores: TestStores;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    stores = await createTestStores('notifier_mail_outage');
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await stores?.close();
  });

  const servicesFor = (port: number, env: Record<string, string> = {}) => {
    const config = loadConfig(notifierServiceEnvSchema, {
      // short timeouts: a silent server fails the attempt quickly
      SMTP_URL: `smtp://127.0.0.1:${port}?connectionTimeout=1000&greetingTimeout=300&socketTimeout=1000`,
      DELIVERY_BACKOFF_MS: '200',
      ...env,
    });
    const log = createLogger('mail-outage-test', 'silent');
    const metrics = new Metrics();
    const repo = new NotifierRepository(stores.db.ds);
    const mailer = new Mailer(config, undefined, stores.db.ds);
    closers.push(async () => mailer.onModuleDestroy());
    const digests = new DigestService(new DigestRepository(stores.db.ds), repo, mailer, config, log, metrics);
    return { delivery: new DeliveryService(repo, digests, stores.queues, config, log, metrics), digests };
  };

  let n = 0;
  const subscription = async (target: string, consecutiveFailures = 0): Promise<string> => {
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, consecutive_failures) VALUES ('mail', 'email', $1, $2) RETURNING id`,
      [target, consecutiveFailures],
    );
    return id;
  };
  const deliveries = async (sub: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      n++;
      const [{ id: paper }] = await stores.db.ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
        [`outage-${n}`, `Paper ${n}`],
      );
      await stores.db.ds.query(`UPDATE paper_stages SET stage = 'notified' WHERE paper_id = $1`, [paper]);
      const [{ id }] = await stores.db.ds.query(
        `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
        [sub, paper],
      );
      ids.push(id);
    }
    return ids;
  };
  const subState = async (sub: string) =>
    (await stores.db.ds.query(`SELECT status, status_reason, consecutive_failures FROM subscriptions WHERE id = $1`, [sub]))[0] as {
      status: string;
      status_reason: string | null;
      consecutive_failures: number;
    };
  const deliveryStates = async (ids: string[]) =>
    (await stores.db.ds.query(`SELECT status, attempts FROM deliveries WHERE id = ANY($1) ORDER BY id`, [ids])) as {
      status: string;
      attempts: number;
    }[];
  const mailServer = async () =>
    (await stores.db.ds.query(`SELECT error_class, failing_since, last_failure_at FROM mail_server_state`))[0] as
      | { error_class: string | null; failing_since: Date | null; last_failure_at: Date | null }
      | undefined;
  const job = (id: string, attemptsMade = 0) => ({ id: `deliver-${id}`, attemptsMade, opts: { attempts: 15 } });

  it('refused connections, 421 and a silent server over > 20 deliveries pause nothing; the deliveries go once it is back', async () => {
    const port = await freePort();
    const { delivery } = servicesFor(port); // the default pause threshold: 20 failures in a row
    const sub = await subscription('reader@example.com', 3);
    const ids = await deliveries(sub, 21);

    // 1. nothing listens: connections refused (a live batch, then each on its own as its retry job would)
    const batch = (await delivery.handleDeliver(ids.slice(0, 7), job(ids[0]!))) as BatchResult;
    expect(batch).toMatchObject({ delivered: 0, retrying: 7, failed: 0 });
    const down = await mailServer();
    expect(down).toMatchObject({ error_class: 'connection refused' });
    expect(down!.failing_since).toBeInstanceOf(Date);
    const smtp = await moodySmtp(port);
    closers.push(smtp.close);
    // 2. the server answers 421 on connect; 3. it never greets (the send times out)
    for (const [mode, slice] of [['busy', ids.slice(7, 14)], ['silent', ids.slice(14)]] as const) {
      smtp.mode = mode;
      for (const id of slice) await expect(delivery.handleDeliver([id], job(id))).rejects.toThrow(RetryLaterError);
      // the class of the latest failure; failing since the first one
      expect(await mailServer()).toMatchObject({
        error_class: mode === 'busy' ? 'SMTP 421' : 'timeout',
        failing_since: down!.failing_since,
      });
    }
    expect(await subState(sub)).toEqual({ status: 'active', status_reason: null, consecutive_failures: 3 });
    expect((await deliveryStates(ids)).every((d) => d.status === 'pending' && d.attempts === 1)).toBe(true);
    expect(smtp.received).toEqual([]);

    // the server is back: every retry goes through, and a success ends the (unrelated) streak as before
    smtp.mode = 'ok';
    for (const id of ids) await expect(delivery.handleDeliver([id], job(id, 1))).resolves.toBe('delivered');
    expect(smtp.received).toHaveLength(21);
    expect(await mailServer()).toMatchObject({ failing_since: null, error_class: 'timeout' });
    expect((await deliveryStates(ids)).every((d) => d.status === 'delivered' && d.attempts === 2)).toBe(true);
    expect(await subState(sub)).toMatchObject({ status: 'active', consecutive_failures: 0 });
  });

  it('a recipient refused for good (550 to RCPT TO) still counts, and pauses at the threshold', async () => {
    const smtp = await moodySmtp();
    closers.push(smtp.close);
    const { delivery } = servicesFor(smtp.port, { WEBHOOK_MAX_FAILED_MESSAGES: '2' });
    const sub = await subscription('refused@example.com');
    const [a, b] = await deliveries(sub, 2);
    await expect(delivery.handleDeliver([a!], job(a!))).rejects.toThrow(/refused this address \(SMTP 550\)/);
    expect(await subState(sub)).toMatchObject({ status: 'active', consecutive_failures: 1 });
    await expect(delivery.handleDeliver([b!], job(b!))).rejects.toThrow(/SMTP 550/);
    expect(await subState(sub)).toEqual({
      status: 'paused',
      status_reason: 'paused after 2 messages in a row failed for good (retries exhausted or refused), none delivered since; last: the mail server refused this address (SMTP 550)',
      consecutive_failures: 2,
    });
  });

  it('digests follow the same rule: a busy mail server counts against none, a refused recipient counts', async () => {
    const smtp = await moodySmtp();
    closers.push(smtp.close);
    const { digests } = servicesFor(smtp.port, { WEBHOOK_MAX_FAILED_MESSAGES: '1' });
    await deliveries(await subscription('someone@example.com'), 1); // a paper notified in the digest's window
    const digestSub = async (target: string): Promise<string> =>
      (
        await stores.db.ds.query(
          `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule)
           VALUES ('daily mail', 'email', $1, '{}', 'daily', $2) RETURNING id`,
          // (the digest hour half a day from now: the period so far holds the paper of a minute ago at any time of day)
          [target, JSON.stringify({ hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC' })],
        )
      )[0].id as string;
    await stores.db.ds.query(`UPDATE paper_stages SET notified_at = now() - interval '1 minute' WHERE stage = 'notified'`);
    const run = { firedAt: new Date(), onDemand: true };

    const reader = await digestSub('daily@example.com');
    smtp.mode = 'busy';
    await expect(digests.handleSendDigest(reader, run)).rejects.toThrow(/SMTP 421/);
    expect(await subState(reader)).toEqual({ status: 'active', status_reason: null, consecutive_failures: 0 });
    smtp.mode = 'ok';
    await expect(digests.handleSendDigest(reader, run)).resolves.toBe('delivered');

    const refused = await digestSub('refused-daily@example.com');
    await expect(digests.handleSendDigest(refused, run)).rejects.toThrow(/SMTP 550/);
    expect(await subState(refused)).toEqual({
      status: 'paused',
      status_reason: 'paused after 1 message failed for good (retries exhausted or refused), none delivered since; last: the mail server refused this address (SMTP 550)',
      consecutive_failures: 1,
    });
  });
});
