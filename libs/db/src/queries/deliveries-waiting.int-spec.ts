import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { statementsOfCall } from '../test-db';
import { mailServerState } from './mail-server';
import { heldDeliveryCount } from './stats';

jest.setTimeout(120_000);

// The held and mail-waiting counts of /ops and GET /v1/stats/pipeline read the waiting deliveries (stored pending or
// sending) from idx_deliveries_waiting alone (migration 1796390000000): through idx_deliveries_status they visited the
// heap page of each one, and held deliveries pile up while their subscriptions stay paused. 1,000 subscriptions (a
// tenth paused, a tenth email), 100,000 deliveries of which 3,000 wait, vacuumed and analysed.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dwait_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  await ds.query(
    `INSERT INTO subscriptions (name, channel, target, status, created_at)
     SELECT 's' || n, CASE WHEN n % 10 = 1 THEN 'email' ELSE 'webhook' END,
            CASE WHEN n % 10 = 1 THEN 'r' || n || '@example.org' ELSE 'https://example.org/' || n END,
            CASE WHEN n % 10 = 0 THEN 'paused' ELSE 'active' END, now() - make_interval(mins => n)
       FROM generate_series(1, 1000) n`,
  );
  // 100 deliveries a subscription, their own paper ids; every 33rd one still waiting, a third of those tried once
  await ds.query(
    `INSERT INTO deliveries (subscription_id, paper_id, status, attempts)
     SELECT s.id, gen_random_uuid(), CASE WHEN j % 33 = 0 THEN (CASE WHEN j % 2 = 0 THEN 'pending' ELSE 'sending' END) ELSE 'delivered' END,
            CASE WHEN j % 99 = 0 THEN 1 ELSE 0 END
       FROM subscriptions s CROSS JOIN generate_series(1, 100) j`,
  );
  await ds.query('VACUUM (ANALYZE) deliveries, subscriptions');
});

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

const count = async (sql: string): Promise<number> => Number((await ds.query(sql))[0].n);

it('the held count reads the waiting deliveries from idx_deliveries_waiting alone, and counts what the table holds', async () => {
  const expected = await count(
    `SELECT count(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.status IN ('pending', 'sending') AND s.status = 'paused'`,
  );
  expect(expected).toBeGreaterThan(0);
  const sent = await statementsOfCall(ds, async (db) => expect(await heldDeliveryCount(db)).toBe(expected));
  expect(sent).toHaveLength(1);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_deliveries_waiting on deliveries/);
  expect(sent[0].plan).not.toMatch(/idx_deliveries_status|Seq Scan on deliveries/);
  // the heap page of each of the 3,000 waiting deliveries was ~1 buffer each
  expect(sent[0].buffers).toBeLessThan(300);
});

it("the mail server's waiting count reads them from idx_deliveries_waiting alone too", async () => {
  const expected = await count(
    `SELECT count(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE s.channel = 'email' AND s.status <> 'paused' AND d.status IN ('pending', 'sending') AND d.attempts > 0`,
  );
  expect(expected).toBeGreaterThan(0);
  const sent = await statementsOfCall(ds, async (db) => expect((await mailServerState(db)).waiting).toBe(expected));
  expect(sent).toHaveLength(1);
  expect(sent[0].plan).toMatch(/Index Only Scan using idx_deliveries_waiting on deliveries/);
  expect(sent[0].plan).not.toMatch(/idx_deliveries_status|Seq Scan on deliveries/);
});
