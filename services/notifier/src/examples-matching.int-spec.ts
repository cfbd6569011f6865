import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { MIGRATIONS } from '@paperwire/db';
import { mergeNeeds } from '@paperwire/notifications';
import { Metrics } from '@paperwire/service-kit';
import { createLogger } from '@paperwire/telemetry';
import { startWebhookReceiver } from '@paperwire/testing';
import { useTestStores } from '@paperwire/testing/jest';
import { BackfillService } from './backfill.service';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { Mailer } from './mailer';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache, matchPapers } from './subscription-cache';

// Real Postgres: `examples` subscriptions matched on real abstracts (data/classification/labels/dev.jsonl),
// live (the subscription cache) and by the backfill of a resumed subscription; legacy rows without papers.
const dev = readFileSync(join(__dirname, '../../../data/classification/labels/dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { title: string; abstract: string });
const row = (start: string) => dev.find((r) => r.title.startsWith(start))!;

describe('examples subscriptions (Postgres)', () => {
  const stores = useTestStores('notifier_examples');
  let repo: NotifierRepository;
  const ds = () => stores().db.ds;

  beforeAll(() => {
    repo = new NotifierRepository(ds());
  });
  beforeEach(async () => {
    await ds().query(`DELETE FROM deliveries`);
    await ds().query(`DELETE FROM subscriptions`);
  });

  const paper = async (key: string, start: string, minutesAgo = 1): Promise<string> => {
    const r = row(start);
    const [{ id }] = await ds().query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, $3, md5($1))
       ON CONFLICT (paper_key) DO UPDATE SET title = excluded.title RETURNING id`,
      [key, r.title, r.abstract],
    );
    await ds().query(
      `UPDATE paper_stages SET stage = 'notified', notified_at = now() - make_interval(mins => $2) WHERE paper_id = $1`,
      [id, minutesAgo],
    );
    return id;
  };
  const subscription = async (filters: unknown, status = 'active'): Promise<string> => {
    const [{ id }] = await ds().query(
      `INSERT INTO subscriptions (name, channel, target, filters, status)
       VALUES ('s', 'webhook', 'https://hooks.example/x', $1, $2) RETURNING id`,
      [JSON.stringify(filters), status],
    );
    return id;
  };

  it('matches a paper close to the example papers and not an unrelated one, naming the closest example', async () => {
    const luttinger = await paper('ex1', 'A Luttinger Liquid Core Inside Helium-4');
    const bosons = await paper('ex2', 'Interacting bosons in one dimension');
    const helium = await paper('c1', 'Quantum Monte Carlo measurement of the chemical potential of helium-4');
    const decoding = await paper('c2', 'VIA-SD');
    const sub = await subscription({ examples: { papers: [luttinger, bosons], minSimilarity: 0.8 } });
    const keywords = await subscription({ keywords: ['speculative decoding'] });

    const cache = new SubscriptionCache(repo);
    const subs = await cache.instant();
    expect(subs.map((s) => s.row.id).sort()).toEqual([sub, keywords].sort());
    const needs = mergeNeeds(subs.map((s) => s.needs));
    expect(needs.text).toBe(true);
    const papers = await repo.matchablePapers([helium, decoding], needs);
    const matches = matchPapers(papers, subs);
    expect(matches.map((m) => [m.subscriptionId, m.paperId])).toEqual(
      expect.arrayContaining([
        [sub, helium],
        [keywords, decoding],
      ]),
    );
    expect(matches).toHaveLength(2);
    expect(matches.find((m) => m.subscriptionId === sub)!.reasons).toEqual([
      expect.stringMatching(
        /^similar to your example "Interacting bosons in one dimension.*" \(0\.\d\d ≥ 0\.8\)$/,
      ),
    ]);
  });

  it('backfills a resumed examples subscription through the same matching', async () => {
    const luttinger = await paper('ex1', 'A Luttinger Liquid Core Inside Helium-4', 500);
    const helium = await paper(
      'c1',
      'Quantum Monte Carlo measurement of the chemical potential of helium-4',
      30,
    );
    const decoding = await paper('c2', 'VIA-SD', 20);
    const superfluid = await paper('c3', 'Local Superfluidity at the Nanoscale', 10);
    const sub = await subscription({ examples: { papers: [luttinger], minSimilarity: 0.8 } });
    const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    const backfill = new BackfillService(
      repo,
      stores().queues,
      config,
      createLogger('examples-test', 'silent'),
    );
    const r = await backfill.handleBackfillSubscription(sub, new Date(Date.now() - 3600_000).toISOString());
    const delivered: { paper_id: string }[] = await ds().query(
      `SELECT paper_id FROM deliveries WHERE subscription_id = $1`,
      [sub],
    );
    const ids = delivered.map((d) => d.paper_id);
    expect(ids).toEqual(expect.arrayContaining([helium, superfluid]));
    expect(ids).not.toContain(decoding);
    expect(r.matches).toBe(delivered.length);
  });

  it('sends a digest of the papers close to the examples', async () => {
    const receiver = await startWebhookReceiver(() => 200);
    try {
      const luttinger = await paper('ex1', 'A Luttinger Liquid Core Inside Helium-4', 3000);
      const helium = await paper(
        'c1',
        'Quantum Monte Carlo measurement of the chemical potential of helium-4',
        3,
      );
      const decoding = await paper('c2', 'VIA-SD', 2);
      // (the digest hour half a day from now: the period so far then holds the papers of the last minutes at any time
      // of day — with a fixed 08:00 a run just after 08:00 UTC left out the paper notified 3 minutes before)
      const hour = (new Date().getUTCHours() + 12) % 24;
      const [{ id }] = await ds().query(
        `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, schedule)
         VALUES ('d', 'webhook', $1, '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', $2, 'daily', $3)
         RETURNING id`,
        [
          `${receiver.url}/digest`,
          JSON.stringify({ examples: { papers: [luttinger], minSimilarity: 0.8 } }),
          JSON.stringify({ hour, timeZone: 'UTC' }),
        ],
      );
      const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' });
      const digests = new DigestService(
        new DigestRepository(ds()),
        repo,
        new Mailer(config),
        config,
        createLogger('examples-test', 'silent'),
        new Metrics(),
      );
      await expect(digests.handleSendDigest(id, { firedAt: new Date(), onDemand: true })).resolves.toBe(
        'delivered',
      );
      const [{ detail }] = await ds().query(`SELECT detail FROM deliveries WHERE subscription_id = $1`, [id]);
      expect(detail.papers).toContain(helium);
      expect(detail.papers).not.toContain(decoding);
      expect(detail.reasons[helium]).toEqual([
        expect.stringMatching(/^similar to your example "A Luttinger Liquid/),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('a legacy examples filter (no papers) never crashes the notifier; the migration pauses it with a reason', async () => {
    const legacy = await subscription({ examples: { minSimilarity: 0.5 } });
    const pausedLegacy = await subscription({ examples: { minSimilarity: 0.5 } }, 'paused');
    const pending = await subscription({ examples: { minSimilarity: 0.5 } }, 'pending_confirmation');
    const ok = await subscription({ keywords: ['helium'] });
    const cache = new SubscriptionCache(repo);
    expect((await cache.instant()).map((s) => s.row.id)).toEqual([ok]);
    expect(cache.invalidFilters().get(legacy)).toMatch(/examples/);

    const migration = MIGRATIONS.map((M) => new M()).find(
      (m) => m.name === 'ExamplesNeedPapers1795650000000',
    )!;
    const runner = ds().createQueryRunner();
    try {
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows: { id: string; status: string; status_reason: string | null; paused_at: Date | null }[] =
      await ds().query(`SELECT id, status, status_reason, paused_at FROM subscriptions`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [legacy, pausedLegacy]) {
      expect(byId.get(id)!.status).toBe('paused');
      expect(byId.get(id)!.status_reason).toMatch(/needs example papers/);
      expect(byId.get(id)!.paused_at).not.toBeNull();
    }
    expect(byId.get(pending)!.status).toBe('pending_confirmation');
    expect(byId.get(ok)).toMatchObject({ status: 'active', status_reason: null });
  });

  it('an examples subscription whose example papers are all gone is refused, not matched against nothing', async () => {
    const sub = await subscription({
      examples: { papers: ['00000000-0000-4000-8000-000000000001'], minSimilarity: 0.5 },
    });
    const cache = new SubscriptionCache(repo);
    expect(await cache.instant()).toEqual([]);
    expect(cache.invalidFilters().get(sub)).toMatch(/none of the example papers is in the catalogue/);
  });
});
