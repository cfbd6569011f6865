import { useTestStores } from '@paperwire/testing/jest';
import { pipelineStats } from './stats';
import { pipelineIdle, summary } from './up';

// Restarting `npm start` while a webhook delivery waited for its retry hung 10 minutes: the retry's delayed job
// (its backoff spans about 6 hours) counted as pipeline work. The start-up summary comes once the papers are
// through, and says how many deliveries wait to retry. Real Postgres and Redis: the counts are the queues' own.
describe('paperwire up: when the papers are through', () => {
  const stores = useTestStores('up_idle');

  it('does not wait for a delivery retry waiting on its backoff, and reports it', async () => {
    const { db, queues } = stores();
    const [{ id: paper }] = await db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('arxiv:2612.00001', 'T', 'A', 'h') RETURNING id`,
    );
    await db.ds.query(`UPDATE paper_stages SET stage = 'notified', notified_at = now() WHERE paper_id = $1`, [paper]);
    const [{ id: sub }] = await db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode)
       VALUES ('hook', 'webhook', 'https://hook.example/x', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'instant') RETURNING id`,
    );
    const [{ id: delivery }] = await db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, status, attempts, last_error) VALUES ($1, $2, 'pending', 2, 'HTTP 503') RETURNING id`,
      [sub, paper],
    );
    await queues.enqueue('deliver', { deliveryId: delivery }, { delay: 3 * 3600_000 });

    const stats = await pipelineStats(db.ds, queues);
    expect(stats.queues.find((q) => q.queue === 'deliver')?.delayed).toBe(1);
    expect(pipelineIdle(stats)).toBe(true);
    expect(summary(stats)).toMatch(/^retries\s+1 delivery waiting to retry/m);

    // a paper still on its way (a classify job waiting) is work to wait for
    await queues.enqueue('classify-papers', { papers: [{ paperId: paper, contentHash: 'a'.repeat(64) }] }, { delay: 60_000 });
    expect(pipelineIdle(await pipelineStats(db.ds, queues))).toBe(false);
  });
});
