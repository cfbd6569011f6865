import { reclassifyPapers, reextractPapers } from '@paperwire/actions';
import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import type { PaperRef } from '@paperwire/contracts';
import { advanceStage, papersNotifiedSince } from '@paperwire/db';
import type { QueueSet } from '@paperwire/queue';
import { Metrics } from '@paperwire/service-kit';
import { seedBarePapers, seedTopic } from '@paperwire/testing';
import { useTestDb } from '@paperwire/testing/jest';
import { MatchService } from './match.service';
import { NotifierRepository } from './notifier.repository';
import { SubscriptionCache } from './subscription-cache';

// A review ran `paperwire reclassify --all` (classifier unchanged): every subscription got ~200 papers of the back
// catalogue as paper.matched webhooks. A reprocessed paper is not new to a subscriber: it goes to a subscription only
// if it never went to it, it first reached `notified` after the subscription was created, and within the backfill
// window (7 days); a new paper goes as always. Real Postgres; the classify / extract moves are made as the stages make
// them (advanceStage), the notify stage is the notifier's own MatchService.
const DAY = 24 * 3600 * 1000;

describe.each([
  ['reclassify', reclassifyPapers, ['classified', 'extracted'] as const],
  ['reextract', reextractPapers, ['extracted'] as const],
])('a reprocess (%s --all) notifies new papers only', (name, reprocess, moves) => {
  const db = useTestDb(`reprocess_notify_${name}`);
  const ids: Record<string, string> = {};
  const subs: Record<string, string> = {};
  const enqueued: PaperRef[] = [];
  const queues = {
    enqueueNext: async (_stage: string, refs: readonly PaperRef[]) => (enqueued.push(...refs), 1),
    enqueueBulk: async () => [],
  } as unknown as QueueSet;
  const firstNotified: Record<string, Date> = {};

  const subscription = async (key: string, filters: object, createdDaysAgo: number) => {
    const [{ id }] = await db().ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode, status, created_at)
       VALUES ($1, 'webhook', 'https://hooks.example/in', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', $2, 'instant', 'active', now() - make_interval(secs => $3))
       RETURNING id`,
      [key, JSON.stringify(filters), createdDaysAgo * 86400],
    );
    subs[key] = id;
  };
  /** a paper notified `daysAgo` (its first time, as the pipeline keeps it), delivered to EVERY back then */
  const notifiedPaper = async (key: string, daysAgo: number, topic?: string) => {
    const [ref] = await seedBarePapers(db().ds, 1, `${name}-${key}`);
    const at = new Date(Date.now() - daysAgo * DAY);
    firstNotified[key] = at;
    await db().ds.query(
      `UPDATE paper_stages SET stage = 'notified', notified_at = $2, first_notified_at = $2, extractor_version = 'x' WHERE paper_id = $1`,
      [ref.paperId, at],
    );
    await db().ds.query(`INSERT INTO deliveries (subscription_id, paper_id, detail, status) VALUES ($1, $2, '{}', 'delivered')`, [
      subs.EVERY,
      ref.paperId,
    ]);
    // what the recomputation gives it now (the classifier writes it; the notify stage reads it)
    if (topic)
      await db().ds.query(
        `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
         VALUES ($1, $2, 0.9, true, '[]', 'test-1', $3)`,
        [ref.paperId, topic, ref.contentHash],
      );
    ids[key] = ref.paperId;
  };

  beforeAll(async () => {
    await seedTopic(db().ds, 'rag');
    await subscription('EVERY', {}, 40); // everything, for 40 days
    await subscription('RAG', { topics: { slugs: ['rag'], match: 'any' } }, 2); // since 2 days
    await subscription('NEW', {}, 0); // everything, created just now
    await notifiedPaper('OLD', 30); // the back catalogue
    await notifiedPaper('OLD_RAG', 30, 'rag'); // the back catalogue, in RAG's topic now
    await notifiedPaper('RECENT_RAG', 1, 'rag'); // first notified yesterday (RAG existed), in RAG's topic only now
    // a new paper on its way through the pipeline: its first pass
    const [fresh] = await seedBarePapers(db().ds, 1, `${name}-FRESH`, { stage: 'extracted' });
    ids.FRESH = fresh.paperId;

    const { papers } = await reprocess(db().ds, queues, { all: true, batchSize: 50 });
    expect(papers).toBe(4);
    for (const stage of moves) await advanceStage(db().ds, stage, enqueued);
    const repo = new NotifierRepository(db().ds);
    const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    const matcher = new MatchService(repo, new SubscriptionCache(repo), queues, new Metrics(), config);
    await expect(matcher.handleMatchSubscriptions(enqueued)).resolves.toMatchObject({ notified: 4 });
  });

  const deliveries = async (): Promise<string[]> => {
    const rows: { s: string; p: string; status: string }[] = await db().ds.query(
      `SELECT s.name AS s, d.paper_id AS p, d.status FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id`,
    );
    const paper = (id: string) => Object.keys(ids).find((k) => ids[k] === id);
    return rows.map((r) => `${paper(r.p)}→${r.s} ${r.status}`).sort();
  };

  it('delivers a new paper, and a reprocessed one only to a subscription it newly matches within the window', async () => {
    expect(await deliveries()).toEqual(
      [
        // delivered before the reprocess, not again
        'OLD→EVERY delivered',
        'OLD_RAG→EVERY delivered',
        'RECENT_RAG→EVERY delivered',
        // new: to every subscription it matches
        'FRESH→EVERY pending',
        'FRESH→NEW pending',
        // first notified after RAG was created, within 7 days, matching RAG only now
        'RECENT_RAG→RAG pending',
        // nothing of the back catalogue to NEW, nor OLD_RAG (30 days old) to RAG
      ].sort(),
    );
  });

  it('keeps when a reprocessed paper first finished the pipeline: the digests and a resume backfill do not take it as new', async () => {
    const rows: { paper_id: string; notified_at: Date; first_notified_at: Date }[] = await db().ds.query(
      `SELECT paper_id, notified_at, first_notified_at FROM paper_stages WHERE paper_id = ANY($1::uuid[])`,
      [Object.values(ids)],
    );
    for (const key of ['OLD', 'OLD_RAG', 'RECENT_RAG']) {
      const row = rows.find((r) => r.paper_id === ids[key])!;
      expect(row.notified_at.getTime()).toBe(firstNotified[key].getTime());
      expect(row.first_notified_at.getTime()).toBe(firstNotified[key].getTime());
    }
    const fresh = rows.find((r) => r.paper_id === ids.FRESH)!;
    expect(fresh.first_notified_at.getTime()).toBe(fresh.notified_at.getTime());
    // what finished the pipeline in the last hour: the new paper only
    expect(await papersNotifiedSince(db().ds, new Date(Date.now() - 3600_000), 100)).toEqual([ids.FRESH]);
  });

  it('counts a new version (a new content hash) as a new paper, as before', async () => {
    await db().ds.query(`UPDATE papers SET content_hash = md5(content_hash) WHERE id = $1`, [ids.OLD]);
    const [row] = await db().ds.query(`SELECT stage, notified_at, first_notified_at FROM paper_stages WHERE paper_id = $1`, [ids.OLD]);
    expect(row).toEqual({ stage: 'parsed', notified_at: null, first_notified_at: null });
  });
});
