import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { listPaperRows, sourceFilterTargets } from '@paperwire/db';
import { mergeNeeds } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { seedPaper, seedSource, startWebhookReceiver } from '@paperwire/testing';
import { useTestStores } from '@paperwire/testing/jest';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache, matchPapers } from './subscription-cache';

// A subscription's `sources` and the query filters' `source=` name the same papers: a source's name, its kind, or
// the format a `file` source replays (the bundled sample's papers are hf-daily-papers papers to both), live (an
// instant webhook) and in a digest.

describe('source filters: subscriptions agree with the query filter (Postgres)', () => {
  const stores = useTestStores('notifier_source_agreement');
  const ds = () => stores().db.ds;
  let repo: NotifierRepository;
  const titleOf = new Map<string, string>();

  beforeAll(async () => {
    repo = new NotifierRepository(ds());
    const hf = await seedSource(ds(), 'hf-daily', 'hf-daily-papers');
    const sample = await seedSource(ds(), 'sample-hf', 'file');
    await ds().query(`UPDATE sources SET params = '{"format": "hf-daily-papers"}' WHERE id = $1`, [sample]);
    const rss = await seedSource(ds(), 'arxiv-cs', 'arxiv-rss');
    // a format no source is of the kind of: only a file source replays it
    const replayedApi = await seedSource(ds(), 'sample-arxiv', 'file');
    await ds().query(`UPDATE sources SET params = '{"format": "arxiv-api"}' WHERE id = $1`, [replayedApi]);
    for (const [title, sourceId, sourceKind] of [
      ['A paper seen on Hugging Face', hf, 'hf-daily-papers'],
      ['A paper replayed from the sample', sample, 'file'],
      ['A paper from the arXiv feed', rss, 'arxiv-rss'],
      ['A paper replayed from an arXiv API response', replayedApi, 'file'],
    ]) {
      const id = await seedPaper(ds(), { title, abstract: 'An abstract.', stage: 'notified', stageAgo: { notified: 60 }, sightings: [{ sourceId, sourceKind }] });
      titleOf.set(id, title);
    }
  });
  beforeEach(async () => {
    await ds().query(`DELETE FROM deliveries`);
    await ds().query(`DELETE FROM subscriptions`);
  });

  // names, kinds and a replayed format, as written and in other cases (one rule: the same text in any case); each value
  // as the query filter takes it
  const VALUES = ['hf-daily-papers', 'sample-hf', 'hf-daily', 'arxiv-rss', 'arxiv-cs', 'file', 'arxiv-api', 'HF-Daily-Papers', 'ARXIV-CS', 'Arxiv-Api', 'FILE'];
  const titles = (ids: Iterable<string>) => [...ids].map((id) => titleOf.get(id)).sort();
  const listed = async (source: string) =>
    titles((await listPaperRows(ds(), { filters: { source: [source] }, sort: 'recent', limit: 50 })).map((r) => r.id));
  const subscribe = async (sources: string[], digest?: { target: string }) => {
    const hour = (new Date().getUTCHours() + 12) % 24;
    const [{ id }] = await ds().query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule)
       VALUES ('s', 'webhook', $1, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', $2, $3, $4) RETURNING id`,
      [
        digest?.target ?? 'https://hooks.example/x',
        JSON.stringify({ sources }),
        digest ? 'daily' : 'instant',
        digest ? JSON.stringify({ hour, timeZone: 'UTC' }) : null,
      ],
    );
    return id as string;
  };

  it('the query filter lists the sample papers under their format', async () => {
    expect(await listed('hf-daily-papers')).toEqual(['A paper replayed from the sample', 'A paper seen on Hugging Face']);
  });

  it('a subscription may name a format only a file source replays, as the query filter may (in any case, as it is matched)', async () => {
    expect((await sourceFilterTargets(ds(), 'arxiv-api')).known).toBe(true);
    expect((await sourceFilterTargets(ds(), 'ArXiv-API')).known).toBe(true);
    expect((await sourceFilterTargets(ds(), 'arxiv-ap')).known).toBe(false);
  });

  it('an instant webhook subscription matches what the query filter lists, by name, kind and format', async () => {
    const ids = [...titleOf.keys()];
    for (const value of VALUES) {
      const sub = await subscribe([value]);
      const cache = new SubscriptionCache(repo);
      const subs = (await cache.instant()).filter((s) => s.row.id === sub);
      const papers = await repo.matchablePapers(ids, mergeNeeds(subs.map((s) => s.needs)));
      const matched = titles(matchPapers(papers, subs).map((m) => m.paperId));
      expect({ value, matched }).toEqual({ value, matched: await listed(value) });
    }
  });

  it('a digest carries what the query filter lists, by name, kind and format', async () => {
    const receiver = await startWebhookReceiver(() => 200);
    try {
      const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' });
      const digests = new DigestService(new DigestRepository(ds()), repo, new Mailer(config), config, createLogger('source-agreement', 'silent'), new Metrics());
      for (const value of VALUES) {
        const sub = await subscribe([value], { target: `${receiver.url}/digest` });
        const expected = await listed(value);
        await expect(digests.handleSendDigest(sub, { firedAt: new Date(), onDemand: true })).resolves.toBe(expected.length > 0 ? 'delivered' : 'skipped');
        const [{ detail }] = await ds().query(`SELECT detail FROM deliveries WHERE subscription_id = $1`, [sub]);
        expect({ value, carried: titles(detail.papers ?? []) }).toEqual({ value, carried: expected });
      }
    } finally {
      await receiver.close();
    }
  });
});
