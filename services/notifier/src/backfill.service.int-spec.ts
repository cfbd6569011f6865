import { loadConfig, notifierEnvSchema } from '@paperwire/config';
import { createLogger } from '@paperwire/telemetry';
import { useTestStores } from '@paperwire/testing/jest';
import { BackfillService } from './backfill.service';
import { NotifierRepository } from './notifier.repository';

// Real Postgres and Redis: a subscription auto-paused by the notifier, papers notified before and
// after the pause, then the resume's backfill.
describe('BackfillService (Postgres + Redis)', () => {
  const stores = useTestStores('notifier_backfill');
  let repo: NotifierRepository;
  let service: BackfillService;

  beforeAll(async () => {
    repo = new NotifierRepository(stores().db.ds);
    const config = loadConfig(notifierEnvSchema, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    service = new BackfillService(repo, stores().queues, config, createLogger('backfill-test', 'silent'));
  });

  /** A paper that reached `stage` `minutesAgo` minutes ago; "adapters" in the title matches. */
  const paper = async (
    key: string,
    title: string,
    minutesAgo: number,
    stage = 'notified',
  ): Promise<string> => {
    const [{ id }] = await stores().db.ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ($1, $2, 'An abstract.', md5($1)) RETURNING id`,
      [key, title],
    );
    await stores().db.ds.query(
      `UPDATE paper_stages SET stage = $2, notified_at = CASE WHEN $2 = 'notified' THEN now() - make_interval(mins => $3) END WHERE paper_id = $1`,
      [id, stage, minutesAgo],
    );
    return id;
  };

  const subscription = async (mode = 'instant'): Promise<string> => {
    const [{ id }] = await stores().db.ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule)
       VALUES ('s', 'webhook', 'https://hooks.example/x', '{"keywords":["adapters"]}', $1,
               CASE WHEN $1 <> 'instant' THEN '{"hour":8}'::jsonb END)
       RETURNING id`,
      [mode],
    );
    return id;
  };

  const deliveries = async (
    subscriptionId: string,
  ): Promise<{ id: string; paper_id: string; status: string }[]> =>
    stores().db.ds.query(
      `SELECT id, paper_id, status FROM deliveries WHERE subscription_id = $1 ORDER BY created_at, id`,
      [subscriptionId],
    );

  const pausedAt = async (id: string): Promise<Date | null> =>
    (await stores().db.ds.query(`SELECT paused_at FROM subscriptions WHERE id = $1`, [id]))[0].paused_at;

  /**
   * The notifier's auto-pause (one message failed for good, of one allowed: `deadPaper`'s) while `failingPaper`'s
   * delivery waits for its retry (left pending), then the pause moved 2 hours back.
   */
  const autoPause = async (subscriptionId: string, failingPaper: string, deadPaper: string): Promise<Date> => {
    const [{ id }] = await stores().db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{}') RETURNING id`,
      [subscriptionId, failingPaper],
    );
    const [{ id: dead }] = await stores().db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail) VALUES ($1, $2, '{}') RETURNING id`,
      [subscriptionId, deadPaper],
    );
    const failure = { status: 500, error: 'HTTP 500', gone: false, maxFailures: 1 };
    // a failed attempt to be retried pauses nothing; the message that failed for good does
    expect(await repo.recordFailure(id, subscriptionId, { ...failure, final: false })).toBe('active');
    const status = await repo.recordFailure(dead, subscriptionId, { ...failure, final: true });
    expect(status).toBe('paused');
    const at = await pausedAt(subscriptionId);
    expect(at).not.toBeNull();
    expect(Date.now() - at!.getTime()).toBeLessThan(60_000);
    // Only a status change touches paused_at (trigger), so the test can move the pause back in time
    // (and the delivery that tripped it to before the pause).
    await stores().db.ds.query(`UPDATE subscriptions SET paused_at = now() - interval '2 hours' WHERE id = $1`, [
      subscriptionId,
    ]);
    await stores().db.ds.query(
      `UPDATE deliveries SET created_at = now() - interval '3 hours' WHERE id = ANY($1::uuid[])`,
      [[id, dead]],
    );
    return (await pausedAt(subscriptionId))!;
  };

  const resume = async (id: string) => {
    await stores().db.ds.query(`UPDATE subscriptions SET status = 'active', status_reason = NULL WHERE id = $1`, [id]);
    expect(await pausedAt(id)).toBeNull();
  };

  it('delivers exactly the matching papers notified while paused, once', async () => {
    const sub = await subscription();
    const failing = await paper('failing', 'Adapters that failed to arrive', 200);
    const dead = await paper('dead', 'Adapters that failed for good', 200);
    const since = await autoPause(sub, failing, dead);
    const before = await paper('before', 'Adapters before the pause', 180);
    const after1 = await paper('after1', 'Adapters after the pause', 100);
    const after2 = await paper('after2', 'More adapters after the pause', 10);
    await paper('other', 'Unrelated pruning', 50);
    await paper('unfinished', 'Adapters still being extracted', 0, 'extracted');
    // Matched live after the resume, already delivered: the backfill must not add a second delivery.
    const live = await paper('live', 'Adapters matched live', 5);
    await stores().db.ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, detail, status) VALUES ($1, $2, '{}', 'delivered')`,
      [sub, live],
    );
    await resume(sub);

    const first = await service.handleBackfillSubscription(sub, since.toISOString());
    // 2 new deliveries, and the one left waiting for its retry when the pause came (its job skipped it) again;
    // the message that failed for good stays failed (redeliver sends it).
    expect(first).toEqual({ checked: 4, matches: 3, enqueued: 3 });
    const rows = await deliveries(sub);
    expect(rows.map((r) => r.paper_id).sort()).toEqual([failing, dead, after1, after2, live].sort());
    expect(rows.find((r) => r.paper_id === dead)?.status).toBe('failed');
    expect(rows.map((r) => r.paper_id)).not.toContain(before);
    const backfilled = rows.filter((r) => r.paper_id === after1 || r.paper_id === after2);
    const deliver = stores().queues.get('deliver');
    for (const d of backfilled) {
      expect(d.status).toBe('pending');
      expect((await deliver.getJob(`deliver-${d.id}`))?.data).toEqual({ deliveryId: d.id });
    }
    const stranded = rows.find((r) => r.paper_id === failing)!;
    expect(stranded.status).toBe('pending');
    expect((await deliver.getJob(`deliver-${stranded.id}-resume-${since.getTime()}`))?.data).toEqual({
      deliveryId: stranded.id,
    });
    const queued = await deliver.getJobCountByTypes('waiting', 'delayed', 'prioritized');

    // A second run (a retry, a second resume) adds no delivery and no job: the ids are the same.
    const second = await service.handleBackfillSubscription(sub, since.toISOString());
    expect(second).toEqual({ checked: 4, matches: 3, enqueued: 3 });
    expect(await deliveries(sub)).toEqual(rows);
    expect(await deliver.getJobCountByTypes('waiting', 'delayed', 'prioritized')).toBe(queued);
  });

  it('does nothing for a subscription paused again or turned into a digest', async () => {
    await paper('recent', 'Recent adapters', 1);
    const paused = await subscription();
    await stores().db.ds.query(`UPDATE subscriptions SET status = 'paused' WHERE id = $1`, [paused]);
    const digest = await subscription('daily');
    const since = new Date(Date.now() - 3600_000).toISOString();
    for (const id of [paused, digest]) {
      expect(await service.handleBackfillSubscription(id, since)).toEqual({
        checked: 0,
        matches: 0,
        enqueued: 0,
      });
      expect(await deliveries(id)).toEqual([]);
    }
  });

  it('keeps paused_at while a paused subscription is edited and sets it once per pause', async () => {
    const sub = await subscription();
    await stores().db.ds.query(`UPDATE subscriptions SET status = 'paused' WHERE id = $1`, [sub]);
    await stores().db.ds.query(`UPDATE subscriptions SET paused_at = '2026-01-01T00:00:00Z' WHERE id = $1`, [sub]);
    await stores().db.ds.query(`UPDATE subscriptions SET status = 'paused', name = 'renamed' WHERE id = $1`, [sub]);
    expect(await pausedAt(sub)).toEqual(new Date('2026-01-01T00:00:00Z'));
    await resume(sub);
    await stores().db.ds.query(`UPDATE subscriptions SET status = 'paused' WHERE id = $1`, [sub]);
    expect(Date.now() - (await pausedAt(sub))!.getTime()).toBeLessThan(60_000);
  });
});
