import { toDeliveryLogEntry } from '@paperwire/actions';
import { deliveriesByStatus, deliveryLogPage } from '@paperwire/db';
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
    const log = (await deliveryLogPage(ds, sub, { limit: 50 })).map(toDeliveryLogEntry);
    const counted: Record<string, number> = {};
    for (const e of log) counted[e.status] = (counted[e.status] ?? 0) + 1;
    expect(counted).toEqual(stats);
  });
});
