import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { digestWebhookPayloadSchema } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import type { Logger } from '@paperwire/telemetry';
import { startWebhookReceiver, type WebhookReceiver } from '@paperwire/testing';
import { useTestDb } from '@paperwire/testing/jest';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import type { Mailer } from './mailer';
import { NotifierRepository } from './notifier.repository';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Logger;

// Real Postgres: a period with more matching papers than the digest carries says so (total, truncated, "3 of 7")
// and links the page where the rest are listed, in the webhook body and in both parts of the mail.
describe('a digest cut to its limit', () => {
  const db = useTestDb('digest_total');
  let receiver: WebhookReceiver;
  let service: DigestService;
  const mails: { subject: string; text: string; html: string }[] = [];
  const PAPERS = 7;
  const LIMIT = 3;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => 200);
    const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true', PUBLIC_URL: 'https://pw.example' });
    const mailer = { send: async (m: { subject: string; text: string; html: string }) => void mails.push(m) } as unknown as Mailer;
    service = new DigestService(new DigestRepository(db().ds), new NotifierRepository(db().ds), mailer, config, quiet, new Metrics());
    for (let i = 1; i <= PAPERS; i++) {
      const [{ id }] = await db().ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'About adapters.', 'h') RETURNING id`,
        [`arxiv:2612.0000${i}`, `Paper ${i}`],
      );
      await db().ds.query(`UPDATE paper_stages SET stage = 'notified', notified_at = now() - interval '1 minute' WHERE paper_id = $1`, [id]);
      // listed on the day page of 1 Sep 2026 (a sample's day, not the digest's); the newest has 42 upvotes, the one
      // before no upvotes but 2 comments and 15 GitHub stars
      const [upvotes, comments, stars] = i === PAPERS ? [42, null, null] : i === PAPERS - 1 ? [null, 2, 15] : [null, null, null];
      await db().ds.query(
        `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, sources, signal, upvotes, comments, stars)
         VALUES ($1, now(), '2026-09-01', '2026-08-31', '2026-09-01', 1, $2, $3, $4, $5)`,
        [id, (upvotes ?? 0) + 2 * (comments ?? 0) + (stars ?? 0), upvotes, comments, stars],
      );
    }
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const digestHour = () => (new Date().getUTCHours() + 12) % 24;
  const subscription = async (channel: 'webhook' | 'email', target: string): Promise<string> =>
    (
      await db().ds.query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule, status)
         VALUES ('everything', $1, $2, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'daily', $3, 'active') RETURNING id`,
        [channel, target, JSON.stringify({ hour: digestHour(), timeZone: 'UTC', limit: LIMIT })],
      )
    )[0].id as string;

  it('digest.ready counts every paper of the period (total 7, truncated) and links the page listing the rest', async () => {
    const id = await subscription('webhook', `${receiver.url}/digest`);
    await expect(service.handleSendDigest(id, { firedAt: new Date(), onDemand: true }, true)).resolves.toBe('delivered');
    const body = digestWebhookPayloadSchema.parse(JSON.parse(receiver.requests.at(-1)!.body));
    expect(body.data.items).toHaveLength(LIMIT);
    expect(body.data.digest).toMatchObject({ total: PAPERS, truncated: true });
    // the digest's own page, which lists exactly the 4 papers it left out (tools/parity/digest-rest-page.int-spec.ts)
    const [d] = await db().ds.query(`SELECT id, detail FROM deliveries WHERE subscription_id = $1`, [id]);
    expect(body.data.digest.url).toMatch(new RegExp(`^https://pw\\.example/digests/${d.id}\\?t=[\\w.-]+$`));
    // the left-out papers are kept as a list (its count is the list's, not stored again)
    expect(d.detail).toMatchObject({ leftOutKept: true });
    expect(d.detail.leftOut).toBeUndefined();
    const kept = (await db().ds.query(`SELECT paper_id FROM digest_left_out WHERE delivery_id = $1 ORDER BY position`, [d.id])) as { paper_id: string }[];
    expect(kept).toHaveLength(PAPERS - LIMIT);
    expect(kept.filter((k) => (d.detail.papers as string[]).includes(k.paper_id))).toEqual([]);
  });

  // The webhook said periodKey "2026-12-07" while the digest's page said "on-demand:…": a receiver deduplicating on
  // periodKey would then drop the scheduled digest of that day. One digest has one key, its delivery's, everywhere.
  it('gives an on-demand digest one periodKey, its own: in its webhook as on its page, never the period date', async () => {
    const id = await subscription('webhook', `${receiver.url}/digest-key`);
    await expect(service.handleSendDigest(id, { firedAt: new Date(), onDemand: true }, true)).resolves.toBe('delivered');
    const body = digestWebhookPayloadSchema.parse(JSON.parse(receiver.requests.at(-1)!.body));
    const [d] = await db().ds.query(`SELECT digest_key FROM deliveries WHERE subscription_id = $1`, [id]);
    expect(body.data.digest.periodKey).toBe(d.digest_key);
    expect(body.data.digest.periodKey).toMatch(/^on-demand:\d{4}-\d\d-\d\dT/);
  });

  it('the mail says "3 of 7 new papers" and links the rest, in the text and the HTML part', async () => {
    const id = await subscription('email', 'reader@example.com');
    await expect(service.handleSendDigest(id, { firedAt: new Date(), onDemand: true }, true)).resolves.toBe('delivered');
    const mail = mails.at(-1)!;
    expect(mail.subject).toContain('3 of 7 new papers');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('3 of 7 new papers');
      expect(part).toContain('and 4 more');
      expect(part).toMatch(/https:\/\/pw\.example\/digests\/[0-9a-f-]{36}\?t=[\w.-]+/);
    }
  });

  // The digests showed neither abstracts nor upvotes: each paper has a short abstract and, when it has any, its
  // upvotes, comments and GitHub stars (the newest paper, first in the digest, has 42 upvotes; the next 2 comments).
  it('shows a short abstract and the signals of each paper (upvotes, comments, stars), in the text and the HTML part', async () => {
    const id = await subscription('email', 'reader2@example.com');
    await expect(service.handleSendDigest(id, { firedAt: new Date(), onDemand: true }, true)).resolves.toBe('delivered');
    const mail = mails.at(-1)!;
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('▲ 42 upvotes');
      // no upvotes is no reason to hide why it is there
      expect(part).toContain('2 comments · ★ 15 GitHub stars');
      expect(part.match(/About adapters\./g)).toHaveLength(LIMIT);
    }
  });
});
