import { toDeliveryLogEntry } from '@paperwire/actions';
import { MIGRATIONS, deliveriesByStatus, deliveryLogPage, heldDeliveryCount, mailServerState, resetFailedDelivery, type Db } from '@paperwire/db';
import { useTestDb } from '@paperwire/testing/jest';

// `paperwire stats` said "deliveries … pending 3" for deliveries the delivery log calls `retrying`: both count
// with one vocabulary (real Postgres: the counts come from the table).
describe('delivery statuses in paperwire stats and the delivery log', () => {
  const db = useTestDb('delivery_status');

  it('a delivery that failed and waits for its retry is `retrying` in both, one not tried yet `pending`', async () => {
    const ds = db().ds;
    const [{ id: sub }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode)
       VALUES ('hook', 'webhook', 'https://hook.example/x', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'instant') RETURNING id`,
    );
    const rows: [string, number][] = [
      ['pending', 0],
      ['pending', 1],
      ['pending', 5],
      ['sending', 1],
      ['sending', 2],
      ['delivered', 1],
      ['failed', 8],
    ];
    for (const [i, [status, attempts]] of rows.entries())
      await ds.query(`INSERT INTO deliveries (subscription_id, digest_key, status, attempts) VALUES ($1, $2, $3, $4)`, [
        sub,
        `k${i}`,
        status,
        attempts,
      ]);
    const stats = await deliveriesByStatus(ds);
    expect(stats).toEqual({ pending: 2, retrying: 3, delivered: 1, failed: 1 });
    const log = (await deliveryLogPage(ds, sub, { limit: 50 })).map((r) => toDeliveryLogEntry(r));
    const counted: Record<string, number> = {};
    for (const e of log) counted[e.status] = (counted[e.status] ?? 0) + 1;
    expect(counted).toEqual(stats);
  });

  // `paperwire up` said "retrying 70 … waiting to retry after a failed send" where 64 belonged to a subscription paused
  // (its key revoked): never attempted, past their nextAttemptAt, and nothing retries them. While the subscription is
  // paused they are `held`, in the stats, the log and the mail server's waiting count; resumed, they are what they were.
  it('the waiting deliveries of a paused subscription are `held`, not retrying, in both', async () => {
    const ds = db().ds;
    const [{ id: sub }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, filters, mode, status, status_reason)
       VALUES ('paused mail', 'email', 'reader@example.com', '{}', 'instant', 'paused', 'its API key was revoked') RETURNING id`,
    );
    const before = await deliveriesByStatus(ds);
    const mailWaiting = (await mailServerState(ds)).waiting;
    const rows: [string, number][] = [
      ['pending', 0],
      ['pending', 2],
      ['sending', 1],
      ['delivered', 1],
    ];
    for (const [i, [status, attempts]] of rows.entries())
      await ds.query(`INSERT INTO deliveries (subscription_id, digest_key, status, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, now() - interval '1 hour')`, [
        sub,
        `h${i}`,
        status,
        attempts,
      ]);
    const stats = await deliveriesByStatus(ds);
    expect(stats).toEqual({ ...before, held: 3, delivered: (before.delivered ?? 0) + 1 });
    expect(Object.keys(stats)).toContain('held');
    expect(await heldDeliveryCount(ds)).toBe(3);
    // an email subscription's held deliveries do not wait for the mail server
    expect((await mailServerState(ds)).waiting).toBe(mailWaiting);
    const log = (await deliveryLogPage(ds, sub, { limit: 50 })).map((r) => toDeliveryLogEntry(r, 'paused'));
    expect(log.map((e) => [e.status, e.nextAttemptAt])).toEqual(
      expect.arrayContaining([['held', null], ['held', null], ['held', null], ['delivered', null]]),
    );
    // resumed: what they were
    await ds.query(`UPDATE subscriptions SET status = 'active', status_reason = NULL WHERE id = $1`, [sub]);
    const resumed = await deliveriesByStatus(ds);
    expect(resumed.held).toBeUndefined();
    // (one in flight, `sending`, counts its own attempt)
    expect(resumed.pending).toBe((before.pending ?? 0) + 2);
    expect(resumed.retrying).toBe((before.retrying ?? 0) + 1);
    expect((await mailServerState(ds)).waiting).toBe(mailWaiting + 2);
    expect((await deliveryLogPage(ds, sub, { limit: 50 })).map((r) => toDeliveryLogEntry(r, 'active').status).sort()).toEqual(
      ['delivered', 'pending', 'pending', 'retrying'],
    );
  });

  // The log named a paper by its uuid only: each entry carries the paper's arXiv id and title, and a page still
  // reads a page (each entry's paper by its primary key), at 20k deliveries.
  it('names the paper of each entry (arXiv id, title), a page reading a page', async () => {
    const ds = db().ds;
    const [{ id: sub }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode)
       VALUES ('many', 'webhook', 'https://hook.example/y', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'instant') RETURNING id`,
    );
    await ds.query(
      `WITH p AS (
         INSERT INTO papers (paper_key, arxiv_id, title, abstract, content_hash)
         SELECT 'arxiv:2612.' || lpad(g::text, 5, '0'), '2612.' || lpad(g::text, 5, '0'), 'Paper ' || g, 'A', md5(g::text)
           FROM generate_series(1, 20000) g RETURNING id, arxiv_id)
       INSERT INTO deliveries (subscription_id, paper_id, status, attempts, created_at)
       SELECT $1, p.id, 'delivered', 1, now() - substr(p.arxiv_id, 6)::int * interval '1 second' FROM p`,
      [sub],
    );
    await ds.query('ANALYZE deliveries; ANALYZE papers');
    const [first] = (await deliveryLogPage(ds, sub, { limit: 20 })).map((r) => toDeliveryLogEntry(r));
    expect(first).toMatchObject({ paperArxivId: '2612.00001', paperTitle: 'Paper 1', eventType: 'paper.matched' });

    const plans: Record<string, unknown>[] = [];
    const explaining = {
      query: async (sql: string, params: unknown[]) => {
        plans.push((await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params))[0]['QUERY PLAN'][0].Plan);
        return [];
      },
    } as unknown as Db;
    await deliveryLogPage(explaining, sub, { limit: 20 });
    const nodes = (p: Record<string, unknown>): Record<string, unknown>[] => [p, ...((p.Plans as Record<string, unknown>[]) ?? []).flatMap(nodes)];
    const all = nodes(plans[0]);
    expect(all.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(all.find((n) => n['Index Name'] === 'idx_deliveries_log')).toBeDefined();
    const buffers = Number(plans[0]['Shared Hit Blocks'] ?? 0) + Number(plans[0]['Shared Read Blocks'] ?? 0);
    expect(buffers).toBeLessThan(120);
  });

  // `redeliver` set attempts back to 0: the history of a message that failed 8 times was lost. A redelivery is a
  // fresh run of attempts (the retry policy counts the run) that keeps the count; the migration adds the history.
  it('a redelivery keeps the attempts made before it, and its migration goes down and up', async () => {
    const ds = db().ds;
    const [{ id: sub }] = await ds.query(
      `INSERT INTO subscriptions (name, channel, target, secrets, filters, mode)
       VALUES ('again', 'webhook', 'https://hook.example/z', '["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]', '{}', 'instant') RETURNING id`,
    );
    const [{ id: paper }] = await ds.query(
      `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('arxiv:2612.99999', 'Again', 'A', 'h') RETURNING id`,
    );
    const [{ id }] = await ds.query(
      `INSERT INTO deliveries (subscription_id, paper_id, status, attempts, last_error) VALUES ($1, $2, 'failed', 8, 'HTTP 503') RETURNING id`,
      [sub, paper],
    );
    const r = await resetFailedDelivery(ds, sub, id);
    if (!r.reset) throw new Error('not reset');
    expect(toDeliveryLogEntry(r.row)).toMatchObject({ status: 'pending', attempts: 8, redeliveries: 1 });
    // the run's own count starts again (the retry policy's limit applies to the run)
    expect((await ds.query(`SELECT attempts, earlier_attempts FROM deliveries WHERE id = $1`, [id]))[0]).toEqual({ attempts: 0, earlier_attempts: 8 });
    await ds.query(`UPDATE deliveries SET status = 'failed', attempts = 3 WHERE id = $1`, [id]);
    const again = await resetFailedDelivery(ds, sub, id);
    if (!again.reset) throw new Error('not reset');
    expect(toDeliveryLogEntry(again.row)).toMatchObject({ attempts: 11, redeliveries: 2 });

    const columns = async () =>
      (
        await ds.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'deliveries'
              AND column_name IN ('earlier_attempts', 'redeliveries') ORDER BY 1`,
        )
      ).map((c: { column_name: string }) => c.column_name);
    const History = MIGRATIONS.find((m) => m.name === 'DeliveryAttemptHistory1796100000000')!;
    const runner = ds.createQueryRunner();
    try {
      await new History().down(runner);
      expect(await columns()).toEqual([]);
      await new History().up(runner);
      expect(await columns()).toEqual(['earlier_attempts', 'redeliveries']);
      expect((await ds.query(`SELECT attempts, earlier_attempts, redeliveries FROM deliveries WHERE id = $1`, [id]))[0]).toEqual({
        attempts: 0,
        earlier_attempts: 0,
        redeliveries: 0,
      });
    } finally {
      await runner.release();
    }
  });
});
