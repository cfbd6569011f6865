import { loadConfig } from '@paperwire/config';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { createTestStores, seedPaper, seedTopic, startSmtpInbox, type SmtpInbox, type TestStores } from '@paperwire/testing';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { notifierServiceEnvSchema } from './notifier-config';
import { NotifierRepository } from './notifier.repository';

jest.setTimeout(60_000);

// Review 27, a digest read on a phone (Postgres, a real SMTP relay): every abstract ended inside a word
// ("… vary by orders of magnitude. Conseque…", "cross-model latent alignm…") where the Daily Papers cards end on a
// whole word ("… i.e., connecting…").
const ABSTRACT =
  'Adversarial robustness evaluations of large language models (LLMs) typically report attack success rate (ASR) under ' +
  'fixed query budgets, implicitly treating all attacks as equally costly. In practice, the computational expense of ' +
  'different attack strategies can vary by orders of magnitude. Consequently, we propose a compute-aware evaluation ' +
  'that reports robustness per unit of attacker compute.';

describe('the abstracts of a digest', () => {
  let stores: TestStores;
  let inbox: SmtpInbox;
  let digests: DigestService;
  let mailer: Mailer;

  beforeAll(async () => {
    stores = await createTestStores('notifier_mail_abstract_clip');
    inbox = await startSmtpInbox();
    const config = loadConfig(notifierServiceEnvSchema, { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, PUBLIC_URL: 'https://pw.example' });
    mailer = new Mailer(config);
    digests = new DigestService(
      new DigestRepository(stores.db.ds),
      new NotifierRepository(stores.db.ds),
      mailer,
      config,
      createLogger('mail-abstract-clip-test', 'silent'),
      new Metrics(),
    );
    await seedTopic(stores.db.ds, 'robustness', 'Robustness');
    await seedPaper(stores.db.ds, {
      title: 'Risk under pressure',
      abstract: ABSTRACT,
      topics: [{ slug: 'robustness', score: 0.9, primary: true }],
      stage: 'notified',
      stageAgo: { notified: 60 },
    });
  });
  afterAll(async () => {
    mailer?.onModuleDestroy();
    await inbox?.close();
    await stores?.close();
  });

  it('end on a whole word, in the text and the HTML part alike, as the cards do', async () => {
    expect(ABSTRACT.length).toBeGreaterThan(300);
    const [{ id }] = (await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
       VALUES ('Robustness', 'email', 'reader@example.com', $1, 'daily', $2, 'active') RETURNING id`,
      [JSON.stringify({ topics: { slugs: ['robustness'], match: 'any' } }), JSON.stringify({ hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC' })],
    )) as { id: string }[];
    await expect(digests.handleSendDigest(id, { firedAt: new Date(), onDemand: true })).resolves.toBe('delivered');
    const mail = inbox.mails.at(-1)!;
    const text = mail.text!.replace(/\s+/g, ' ');
    const html = mail.html!.replace(/\s+/g, ' ');
    for (const part of [text, html]) {
      expect(part).toContain('vary by orders of magnitude…');
      expect(part).not.toMatch(/Conseq\w*…/);
    }
  });
});
