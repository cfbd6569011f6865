import type { DataSource } from 'typeorm';
import { createTestDb, statementsOfCall, type TestDb } from '../test-db';
import { mailServerState } from './mail-server';
import { PAPER_REMOVED, skipPendingDeliveriesOf } from './paper-removal';
import { strandedDeliveries } from './recovery';

jest.setTimeout(120_000);

// Two reads of the waiting deliveries that cost what every waiting delivery costs, whatever they returned: a paper's
// removal skipping its pending deliveries (idx_deliveries_status gave every pending one to test: 5.1k buffers at 1M
// papers) and the sweeper's stranded-deliveries check (the heap of every old waiting delivery and of its
// subscription: 9.4k buffers every sweep); and the mail-waiting count of /ops, which probed the subscription of every
// retried waiting delivery (24.6k buffers with 6k of them). Migrations 1796400000000/1 add partial indexes for them.
// 2,000 subscriptions (a tenth paused, a twentieth disabled, a fifth email), 50 deliveries each over 5,000 papers; the
// last of each waits (the paused and disabled ones' since long ago, held; a tenth of the active ones' untouched for an
// hour, the rest just now), a third of those tried once.

let testDb: TestDb;
let ds: DataSource;

beforeAll(async () => {
  testDb = await createTestDb('dpend');
  ds = testDb.ds;
  await ds.query(
    `INSERT INTO subscriptions (name, channel, target, status, created_at)
     SELECT 's' || n, CASE WHEN n % 10 IN (0, 5) THEN 'email' ELSE 'webhook' END,
            CASE WHEN n % 10 IN (0, 5) THEN 'r' || n || '@example.org' ELSE 'https://example.org/' || n END,
            CASE WHEN n % 10 = 0 THEN 'paused' WHEN n % 20 = 1 THEN 'disabled' ELSE 'active' END, now() - make_interval(mins => n)
       FROM generate_series(1, 2000) n`,
  );
  await ds.query(
    `INSERT INTO deliveries (subscription_id, paper_id, status, attempts, created_at, updated_at)
     SELECT s.id, md5(((s.n * 50 + j) % 5000)::text)::uuid,
            CASE WHEN j < 50 THEN 'delivered' WHEN s.n % 7 = 0 THEN 'sending' ELSE 'pending' END, CASE WHEN s.n % 3 = 0 THEN 1 ELSE 0 END,
            now() - make_interval(days => 60 - j),
            CASE WHEN j < 50 OR s.status <> 'active' THEN now() - make_interval(days => 60 - j)
                 WHEN s.n % 10 = 3 THEN now() - interval '1 hour' ELSE now() END
       FROM (SELECT id, status, row_number() OVER (ORDER BY created_at) AS n FROM subscriptions) s CROSS JOIN generate_series(1, 50) j`,
  );
  await ds.query('VACUUM (ANALYZE) deliveries, subscriptions');
});

afterAll(async () => {
  await testDb?.drop();
});

it("the mail-waiting count hashes the sending email subscriptions from an index alone, no probe a delivery", async () => {
  const [{ n: expected }]: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE s.channel = 'email' AND s.status <> 'paused' AND d.status IN ('pending', 'sending') AND d.attempts > 0`,
  );
  expect(expected).toBeGreaterThan(20);
  const sent = await statementsOfCall(ds, async (db) => expect((await mailServerState(db)).waiting).toBe(expected));
  expect(sent).toHaveLength(1);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_subscriptions_email_sending on subscriptions/);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_deliveries_waiting on deliveries/);
  expect(sent[0].plan).not.toMatch(/Index Scan using "?PK_|Seq Scan on subscriptions/);
});

it("the sweeper's stranded check reads the old waiting deliveries and the subscriptions not active from indexes alone", async () => {
  const expected: { id: string }[] = await ds.query(
    `SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE d.status IN ('pending', 'sending') AND s.status = 'active' AND d.paper_id IS NOT NULL
        AND d.updated_at < now() - interval '600 seconds'`,
  );
  expect(expected.length).toBeGreaterThan(50);
  let got: string[] = [];
  const sent = await statementsOfCall(ds, async (db) => (got = await strandedDeliveries(db, 600, 10_000)));
  expect([...got].sort()).toEqual(expected.map((r) => r.id).sort());
  expect(sent).toHaveLength(1);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_deliveries_waiting_since on deliveries/);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_subscriptions_status_created on subscriptions/);
  expect(sent[0].plan).not.toMatch(/idx_deliveries_status|Seq Scan/);
  // through idx_deliveries_status, the heap of each of the ~500 old waiting deliveries and of its subscription (~1,000
  // buffers); here tens of index pages, plus the few heap pages the index-only scans visit when a snapshot another test
  // file holds open kept VACUUM from marking them all-visible (CI: 82 with 500 heap fetches)
  expect(sent[0].buffers).toBeLessThan(200);
});

/** The buffers of the plan node that reads `index`. */
function scanBuffers(plan: string, index: string): number {
  const m = new RegExp(`using ${index} [\\s\\S]*?Buffers: shared hit=(\\d+)(?: read=(\\d+))?`).exec(plan);
  expect(m).not.toBeNull();
  return Number(m?.[1] ?? 0) + Number(m?.[2] ?? 0);
}

it("a paper's removal skips its pending deliveries from idx_deliveries_pending_paper, not every pending one", async () => {
  const [paper]: { paper_id: string; n: string }[] = await ds.query(
    `SELECT paper_id, count(*) AS n FROM deliveries WHERE status = 'pending' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
  );
  expect(Number(paper.n)).toBeGreaterThan(0);
  const pendingBefore = Number((await ds.query(`SELECT count(*) AS n FROM deliveries WHERE status = 'pending'`))[0].n);
  const sent = await statementsOfCall(ds, (db) => skipPendingDeliveriesOf(db, [paper.paper_id]));
  expect(sent).toHaveLength(1);
  expect(sent[0].plan).toMatch(/idx_deliveries_pending_paper/);
  expect(sent[0].plan).not.toMatch(/idx_deliveries_status|Seq Scan on deliveries/);
  // (the EXPLAIN ANALYZE ran it: the paper's pending deliveries are skipped, no other)
  const after: { status: string; last_error: string | null; n: string }[] = await ds.query(
    `SELECT status, last_error, count(*) AS n FROM deliveries WHERE paper_id = $1 AND status IN ('pending', 'skipped') GROUP BY 1, 2`,
    [paper.paper_id],
  );
  expect(after).toEqual([{ status: 'skipped', last_error: PAPER_REMOVED, n: paper.n }]);
  const pendingAfter = Number((await ds.query(`SELECT count(*) AS n FROM deliveries WHERE status = 'pending'`))[0].n);
  expect(pendingAfter).toBe(pendingBefore - Number(paper.n));
  // the read (the update's own writes follow the rows it skips): every pending delivery's heap tuple was tested
  // through idx_deliveries_status, ≥ 1,600 of them here on hundreds of pages
  expect(scanBuffers(sent[0].plan, 'idx_deliveries_pending_paper')).toBeLessThan(60);
});
