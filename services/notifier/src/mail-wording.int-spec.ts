import { seedPaper, seedTopic, type SmtpInbox, type TestStores } from '@paperwire/testing';
import type { DigestService } from './digest.service';
import { startDigestMail, type DigestMail } from './testing/digest-mail';

jest.setTimeout(60_000);

// A user's review (session 25), the mails as a subscriber reads them (Postgres, a real SMTP relay): the confirmation
// listed topic slugs under a subject of names and said "a daily digest" but not when; a digest for two topics had a
// section per primary topic, one of them a topic the subscription never named; titles kept their raw LaTeX.
describe('the mails a subscriber reads', () => {
  let kit: DigestMail;
  let stores: TestStores;
  let inbox: SmtpInbox;
  let digests: DigestService;

  beforeAll(async () => {
    kit = await startDigestMail('notifier_mail_wording');
    ({ stores, inbox, digests } = kit);
    const ds = stores.db.ds;
    for (const [slug, name] of [
      ['efficiency', 'Efficiency'],
      ['vision-language', 'Vision and language'],
      ['retrieval', 'Retrieval and ranking'],
    ])
      await seedTopic(ds, slug, name);
    // notified a minute ago: inside the period of a digest asked for now
    await seedPaper(ds, {
      title: 'Attention in $O(n^2)$ time',
      abstract: 'We make attention cheaper.',
      topics: [
        { slug: 'retrieval', score: 0.9, primary: true },
        { slug: 'efficiency', score: 0.5 },
      ],
      stage: 'notified',
      stageAgo: { notified: 60 },
    });
    await seedPaper(ds, {
      title: 'Seeing and saying',
      abstract: 'A vision-language model.',
      topics: [{ slug: 'vision-language', score: 0.8, primary: true }],
      stage: 'notified',
      stageAgo: { notified: 60 },
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const subscription = async (status: string, schedule: Record<string, unknown>) =>
    (
      await stores.db.ds.query(
        `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
         VALUES ('Trending papers: Efficiency, Vision and language', 'email', 'reader@example.com', $1, 'daily', $2, $3) RETURNING id`,
        [JSON.stringify({ topics: { slugs: ['efficiency', 'vision-language'], match: 'any' } }), JSON.stringify(schedule), status],
      )
    )[0].id as string;

  it('the confirmation names the topics as its subject does, and says when the digest goes out', async () => {
    const id = await subscription('pending_confirmation', { hour: 8, timeZone: 'Europe/Paris', limit: 10 });
    await expect(digests.handleSendConfirmation(id)).resolves.toBe('sent');
    const mail = inbox.mails.at(-1)!;
    expect(mail.subject).toContain('Trending papers: Efficiency, Vision and language');
    expect(mail.text).toContain('topics: Efficiency or Vision and language');
    expect(mail.text).not.toMatch(/vision-language|efficiency or/);
    expect(mail.text).toContain('delivered as a daily digest at 08:00 Europe/Paris time');
  });

  it("a digest has a section per topic of the subscription's, its titles as the pages show them", async () => {
    // the digest hour half a day away: the period asked for now holds the last minutes whatever the time of day
    const id = await subscription('active', { hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC' });
    await expect(digests.handleSendDigest(id, { firedAt: new Date(), onDemand: true })).resolves.toBe('delivered');
    const mail = inbox.mails.at(-1)!;
    expect(mail.text!.match(/^== .* ==$/gm)).toEqual(['== Efficiency (1) ==', '== Vision and language (1) ==']);
    expect(mail.text).not.toContain('Retrieval and ranking');
    expect(mail.text).toContain('Attention in O(n²) time');
    expect(mail.html).toContain('Attention in O(n²) time');
    expect(`${mail.text}${mail.html}`).not.toContain('$O(n^2)$');
  });
});
