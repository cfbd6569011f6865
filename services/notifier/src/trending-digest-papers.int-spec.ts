import { seedPaper, seedSource, seedTopic, type SmtpInbox, type TestStores } from '@paperwire/testing';
import type { DigestService } from './digest.service';
import { startDigestMail, type DigestMail } from './testing/digest-mail';

jest.setTimeout(60_000);

// Review 27, a trending digest for two topics read on a phone (Postgres, a real SMTP relay): every abstract ended
// inside a word ("… vary by orders of magnitude. Conseque…", "cross-model latent alignm…") where the Daily Papers
// cards end on a whole word ("… i.e., connecting…"); and the one numbered list never said which of the reader's two
// topics a paper was in.
const ABSTRACT =
  'Adversarial robustness evaluations of large language models (LLMs) typically report attack success rate (ASR) under ' +
  'fixed query budgets, implicitly treating all attacks as equally costly. In practice, the computational expense of ' +
  'different attack strategies can vary by orders of magnitude. Consequently, we propose a compute-aware evaluation ' +
  'that reports robustness per unit of attacker compute.';

describe('the papers of a trending digest', () => {
  let kit: DigestMail;
  let stores: TestStores;
  let inbox: SmtpInbox;
  let digests: DigestService;

  beforeAll(async () => {
    kit = await startDigestMail('notifier_trending_digest_papers');
    ({ stores, inbox, digests } = kit);
    await seedTopic(stores.db.ds, 'robustness', 'Robustness');
    await seedTopic(stores.db.ds, 'agents', 'Reasoning and tool use');
    const hf = await seedSource(stores.db.ds, 'hf-daily', 'hf-daily-papers');
    // trending: upvoted on today's Daily Papers
    const sightings = [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5, featuredAt: new Date(Date.now() - 3_600_000).toISOString() }];
    await seedPaper(stores.db.ds, {
      title: 'Risk under pressure',
      abstract: ABSTRACT,
      topics: [{ slug: 'robustness', score: 0.9, primary: true }],
      sightings,
      stage: 'notified',
      stageAgo: { notified: 60 },
    });
    await seedPaper(stores.db.ds, {
      title: 'Agents under attack',
      abstract: 'Tool-calling agents are attacked.',
      topics: [
        { slug: 'agents', score: 0.9, primary: true },
        { slug: 'robustness', score: 0.6 },
      ],
      sightings,
      stage: 'notified',
      stageAgo: { notified: 60 },
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** A home-page sign-up's digest (trending order) of these topics, sent now: its mail. */
  const digestOf = async (slugs: string[]) => {
    const [{ id }] = (await stores.db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
       VALUES ($4, 'email', $3, $1, 'daily', $2, 'active') RETURNING id`,
      [
        JSON.stringify({ topics: { slugs, match: 'any' } }),
        JSON.stringify({ hour: (new Date().getUTCHours() + 12) % 24, timeZone: 'UTC', sort: 'trending' }),
        `${slugs.join('-')}@example.com`,
        `Trending papers: ${slugs.map((s) => (s === 'agents' ? 'Reasoning and tool use' : 'Robustness')).join(', ')}`,
      ],
    )) as { id: string }[];
    await expect(digests.handleSendDigest(id, { firedAt: new Date(), onDemand: true })).resolves.toBe('delivered');
    return inbox.mails.at(-1)!;
  };

  it('end their abstracts on a whole word, in the text and the HTML part alike, as the cards do', async () => {
    expect(ABSTRACT.length).toBeGreaterThan(300);
    const mail = await digestOf(['robustness']);
    const text = mail.text!.replace(/\s+/g, ' ');
    const html = String(mail.html).replace(/\s+/g, ' ');
    for (const part of [text, html]) {
      expect(part).toContain('vary by orders of magnitude…');
      expect(part).not.toMatch(/Conseq\w*…/);
    }
  });

  it("each say which of the reader's topics they are in, when the digest has two topics or more", async () => {
    const two = await digestOf(['agents', 'robustness']);
    // the heading names the topics once, not "Your daily digest: Trending papers: Reasoning and tool use, Robustness"
    expect(two.text!.split('\n')[0]).toBe('Your PaperWire daily digest of trending papers in Reasoning and tool use, Robustness');
    expect(two.html).toContain('>Your daily digest of trending papers in Reasoning and tool use, Robustness</h1>');
    // under the title, its page and its upvotes and authors
    expect(two.text).toMatch(/Agents under attack\n.*\n.*\n {2}Topics: Reasoning and tool use, Robustness\n/);
    expect(two.text).toMatch(/Risk under pressure\n.*\n.*\n {2}Topic: Robustness\n/);
    expect(two.html).toContain('>Topics: Reasoning and tool use, Robustness</div>');
    expect(two.html).toContain('>Topic: Robustness</div>');
    // one topic: every paper is in it, nothing to say
    const one = await digestOf(['robustness']);
    expect(`${one.text}${one.html}`).not.toMatch(/Topics?: /);
  });
});
