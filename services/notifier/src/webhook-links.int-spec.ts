import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@paperwire/config';
import {
  generateWebhookSecret,
  type DigestWebhookPayload,
  type PaperWebhookPayload,
} from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import {
  createTestStores,
  startWebhookReceiver,
  type TestStores,
  type WebhookReceiver,
} from '@paperwire/testing';
import { DeliveryService } from './delivery.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';

// Real Postgres, Redis and HTTP: a paper stored with javascript: and data: links reaches a webhook receiver
// (paper.matched and digest.ready) with its web links only, as the API and the pages give them.

const HOSTILE = /javascript:|data:text|data:application|vbscript:/i;
const STORED_LINKS = {
  abs: 'javascript:alert(1)',
  pdf: 'data:application/pdf;base64,JVBERi0xLjQ=',
  code: [' JavaScript:alert(2)', 'https://github.com/good/repo', 'data:text/html,<script>alert(3)</script>'],
  project: ['data:text/html,<b>x</b>', 'http://project.example.org/'],
};
const WEB_LINKS = {
  abs: null,
  pdf: null,
  code: ['https://github.com/good/repo'],
  project: ['http://project.example.org/'],
  // each link by what it is (servedLinks), web addresses only too
  labelled: [
    { kind: 'code', label: 'Code on GitHub', short: 'Code', url: 'https://github.com/good/repo', listedAs: 'code' },
    { kind: 'project', label: 'Project page', short: 'Project', url: 'http://project.example.org/', listedAs: 'project' },
  ],
};

describe('webhook payloads carry web links only (Postgres + Redis + HTTP)', () => {
  let stores: TestStores;
  let receiver: WebhookReceiver;
  let deliveries: DeliveryService;
  let digests: DigestService;
  let paperId: string;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    stores = await createTestStores('notifier_webhook_links');
    receiver = await startWebhookReceiver(() => 204);
    const config = loadConfig(notifierServiceEnvSchema, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      PUBLIC_URL: 'https://papers.example.org',
    });
    const log = createLogger('webhook-links-test', 'silent');
    const repo = new NotifierRepository(stores.db.ds);
    digests = new DigestService(
      new DigestRepository(stores.db.ds),
      repo,
      new Mailer(config),
      config,
      log,
      new Metrics(),
    );
    deliveries = new DeliveryService(repo, digests, stores.queues, config, log, new Metrics());
    [{ id: paperId }] = await stores.db.ds.query(
      `INSERT INTO papers (paper_key, arxiv_id, title, abstract, links, has_code, content_hash)
       VALUES ('arxiv:2612.00301', '2612.00301', 'Hostile links', 'Stored links that are not web addresses.', $1::jsonb, true, 'h')
       RETURNING id`,
      [JSON.stringify(STORED_LINKS)],
    );
    await stores.db.ds.query(
      `UPDATE paper_stages SET stage = 'notified', notified_at = now() - interval '1 minute' WHERE paper_id = $1`,
      [paperId],
    );
  });

  afterAll(async () => {
    await receiver?.close();
    await stores?.close();
  });

  const subscription = async (path: string, mode: 'instant' | 'daily'): Promise<string> =>
    (
      await stores.db.ds.query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule)
         VALUES ('links', 'webhook', $1, $2::jsonb, '{}', $3, $4::jsonb) RETURNING id`,
        [
          `${receiver.url}${path}`,
          JSON.stringify([secret]),
          mode,
          // (the digest hour half a day from now: the period so far holds recent papers at any time of day)
          mode === 'daily' ? JSON.stringify({ hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC' }) : null,
        ],
      )
    )[0].id as string;
  const received = <T>(path: string): T[] =>
    receiver.requests
      .filter((r) => r.path === path)
      .map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as T);

  it('paper.matched', async () => {
    const sub = await subscription('/matched', 'instant');
    const [{ id }] = await stores.db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{"reasons":["r"]}') RETURNING id`,
      [sub, paperId],
    );
    expect(
      await deliveries.handleDeliver([id], { id: `deliver-${id}`, attemptsMade: 0, opts: { attempts: 15 } }),
    ).toBe('delivered');
    const [payload] = received<PaperWebhookPayload>('/matched');
    expect(payload!.data.paper.id).toBe(paperId);
    expect(payload!.data.paper.links).toEqual(WEB_LINKS);
    expect(receiver.requests.find((r) => r.path === '/matched')!.body).not.toMatch(HOSTILE);
  });

  it('digest.ready', async () => {
    const sub = await subscription('/digest', 'daily');
    expect(await digests.handleSendDigest(sub, { firedAt: new Date(), onDemand: true }, false)).toBe(
      'delivered',
    );
    const [payload] = received<DigestWebhookPayload>('/digest');
    expect(payload!.data.items.map((i) => i.paper.id)).toEqual([paperId]);
    expect(payload!.data.items[0]!.paper.links).toEqual(WEB_LINKS);
    expect(receiver.requests.find((r) => r.path === '/digest')!.body).not.toMatch(HOSTILE);
  });
});
