import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase, migrate } from '../data-source';
import { digestLeftOutCount, digestLeftOutPage, keyedDelivery } from './deliveries';

// The papers a capped digest left out (migration 1796110000000): kept with the delivery in the same statement, once
// (a re-run of the same period's digest adds nothing), read a page at a time in the digest's order, gone with the
// delivery; the migration goes down and up again.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `digestleftout_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;
let sub: string;
const ids = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
const period = { start: '2026-12-06T08:00:00.000Z', end: '2026-12-07T08:00:00.000Z' };
const detail = { period, papers: [], total: 123, leftOutKept: true };

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 2 }).initialize();
  await migrate(ds);
  [{ id: sub }] = await ds.query(
    `INSERT INTO subscriptions (name, channel, target, filters, mode, schedule, status)
     VALUES ('weekly rag', 'email', 'owner@example.com', '{}', 'weekly', '{"hour":8}', 'active') RETURNING id`,
  );
});
afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

describe('digest_left_out', () => {
  it('keeps the list with the delivery once, and reads it a page at a time in order', async () => {
    const made = await keyedDelivery(ds, sub, '2026-W49', detail, 'pending', ids);
    const again = await keyedDelivery(ds, sub, '2026-W49', detail, 'pending', ids.slice(0, 5));
    expect(again).toMatchObject({ id: made.id, created: false });
    expect(await ds.query(`SELECT count(*)::int AS n FROM digest_left_out WHERE delivery_id = $1`, [made.id])).toEqual([{ n: 120 }]);
    const second = await digestLeftOutPage(ds, made.id, 50, 50);
    expect(second).toMatchObject({ subscriptionName: 'weekly rag', mode: 'weekly', digestKey: '2026-W49', total: 123, leftOutCount: 120 });
    expect(second!.ids).toEqual(ids.slice(50, 100));
    expect((await digestLeftOutPage(ds, made.id, 100, 50))!.ids).toEqual(ids.slice(100));
    // a confirmation delivery is no digest
    const confirm = await keyedDelivery(ds, sub, 'confirm', {});
    expect(await digestLeftOutPage(ds, confirm.id, 0, 50)).toBeNull();
    await ds.query(`DELETE FROM deliveries WHERE id = $1`, [made.id]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM digest_left_out`)).toEqual([{ n: 0 }]);
  });

  it('the count is the list\'s: a digest storing it (until 2026-12-07) reads the same, one made before the list none', async () => {
    const stored = await keyedDelivery(ds, sub, '2026-W47', { period, papers: [], total: 10, leftOut: 7 }, 'pending', ids.slice(0, 7));
    const kept = await keyedDelivery(ds, sub, '2026-W48', { period, papers: [], total: 3, leftOutKept: true }, 'pending', []);
    const before = await keyedDelivery(ds, sub, '2026-W46', { period, papers: [], total: 3, restUrl: 'https://pw.example/?date=2026-11-09' });
    expect(await digestLeftOutPage(ds, stored.id, 0, 50)).toMatchObject({ leftOutCount: 7, ids: ids.slice(0, 7) });
    expect(await digestLeftOutPage(ds, kept.id, 0, 50)).toMatchObject({ leftOutCount: 0, ids: [] });
    expect(await digestLeftOutPage(ds, before.id, 0, 50)).toMatchObject({ leftOutCount: null, ids: [], restUrl: 'https://pw.example/?date=2026-11-09' });
    expect([await digestLeftOutCount(ds, stored.id), await digestLeftOutCount(ds, kept.id), await digestLeftOutCount(ds, before.id)]).toEqual([7, 0, null]);
  });

  it('the migration goes down and up again', async () => {
    const exists = async () => (await ds.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [`"${schema}".digest_left_out`]))[0].e as boolean;
    expect(await exists()).toBe(true);
    // undo every migration from the newest down to this one (later migrations are undone and redone with it)
    const executed: { name: string }[] = await ds.query(`SELECT name FROM "${schema}".migrations ORDER BY id DESC`);
    const depth = executed.findIndex((m) => /^DigestLeftOut\d+$/.test(m.name)) + 1;
    expect(depth).toBeGreaterThan(0);
    for (let i = 0; i < depth; i += 1) await ds.undoLastMigration({ transaction: 'each' });
    expect(await exists()).toBe(false);
    await migrate(ds);
    expect(await exists()).toBe(true);
  });
});
