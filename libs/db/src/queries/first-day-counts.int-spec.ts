import type { DataSource } from 'typeorm';
import { statementsOfCall } from '../test-db';
import { ListingCounts1796120000000 } from '../migrations/1796120000000-listing-counts';
import { classifyCatalogue, countsCatalogue, deleteAndRename, keptCounts, paperNumber, reclassify, strayRows, writeWhileClassifying, type Counts } from './day-counts.testing';
import { replacePaperTopics } from './paper-topics';
import { listedRangePage } from './read-model';
import type { Db } from './sql';
import { compactFirstDayCounts, firstDaysTotal } from './topic-days';

// The total of a week or month listing, unfiltered or filtered by one topic (`/?month=&topic=`, `/v1/papers?week=`), is
// a sum over the period's days in `first_day_counts` (migration 1796120000000): ≤ 31 small index ranges, whatever the
// period's size. Before, each page counted the period's papers (filtered: probing every one's topics). 6,000 papers,
// 4,000 of them first seen in March 2026 (2,500 in its second week): the counts equal the source rows after every kind
// of write (inserts in both orders, reclassification, re-dated papers as refreshReadModel upserts them, rank-only
// updates, removed read rows, deleted papers, a deleted and a renamed topic, two writers of one paper at once), after
// the sweeper folds the deltas and after a down / up of the migration; the total's plan reads first_day_counts only.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `firstdaycounts_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const N = 6_000;
let ds: DataSource;

const n = paperNumber;
/** paper_read's columns for a paper first seen at `t0` (SQL). */
const readRow = (t0: string) =>
  `${t0}, (${t0} AT TIME ZONE 'UTC')::date, date_trunc('week', ${t0} AT TIME ZONE 'UTC')::date, date_trunc('month', ${t0} AT TIME ZONE 'UTC')::date`;

beforeAll(async () => {
  ds = await countsCatalogue(url, schema, N);
  // Read rows of papers 1-5000 first (the topics' insert counts against them), then topics, then the other read rows.
  // Papers 1-2500 in the week of 2026-03-09, 2501-4000 in the rest of March, the others in February.
  const t0 = `(CASE WHEN ${n} <= 2500 THEN timestamptz '2026-03-09 00:00Z' + (${n} % 7) * interval '1 day'
                    WHEN ${n} <= 4000 THEN timestamptz '2026-03-01 00:00Z' + (${n} % 31) * interval '1 day'
                    ELSE timestamptz '2026-02-01 00:00Z' + (${n} % 28) * interval '1 day' END + (${n} % 1440) * interval '1 minute')`;
  const insertRead = (where: string) =>
    ds.query(
      `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, upvotes, sources, signal, trend_key)
       SELECT id, ${readRow(t0)}, ${n} % 13, 1, ${n} % 13, CASE WHEN ${n} % 13 > 0 THEN ln(${n} % 13) END FROM papers WHERE ${where}`,
    );
  await insertRead(`${n} <= 5000`);
  await classifyCatalogue(ds, 'fdc');
  await insertRead(`${n} > 5000`);
  await ds.query('ANALYZE');
}, 180_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

const kept = () => keptCounts(ds, 'first_day_counts');
/** The definition of topic_first_papers: (topic, first day, paper) triples. */
const FIRST_DAY_TRIPLES = `SELECT pt.topic_slug, r.day0 AS day, r.paper_id FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id`;
/** The definition: papers whose first day is each day, in all and per topic. */
const truth = async (): Promise<Counts> =>
  Object.fromEntries(
    ((await ds.query(
      `SELECT ' ' || day0::text AS k, count(*)::int AS n FROM paper_read GROUP BY 1
       UNION ALL
       SELECT pt.topic_slug || ' ' || r.day0::text, count(*)::int FROM paper_read r JOIN paper_topics pt ON pt.paper_id = r.paper_id GROUP BY 1`,
    )) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
  );
const expectExact = async () => {
  expect(await kept()).toEqual(await truth());
  expect(await strayRows(ds, 'topic_first_papers', FIRST_DAY_TRIPLES)).toEqual({ extra: 0, missing: 0 });
};
const ids = async (where: string): Promise<string[]> =>
  ((await ds.query(`SELECT id FROM papers WHERE ${where} ORDER BY id`)) as { id: string }[]).map((r) => r.id);
const rowCount = async (where = 'true') => Number((await ds.query(`SELECT count(*)::int AS n FROM first_day_counts WHERE ${where}`))[0].n);

describe('first_day_counts stays exact', () => {
  it('after the inserts that filled the tables (read rows before topics, and after)', async () => {
    const t = await truth();
    expect(t[' 2026-03-09']).toBeGreaterThan(300);
    expect(t['rare 2026-02-01']).toBeGreaterThan(0);
    await expectExact();
  });

  it("after reclassification: topics replaced in a transaction, and in the classifier's one statement; a score update counts none", async () => {
    await reclassify(ds, await ids(`${n} BETWEEN 1 AND 90 OR ${n} BETWEEN 5990 AND 6000`), expectExact, () => rowCount());
  });

  it('after re-dating as refreshReadModel writes it (upsert and delete in one statement), and rank-only updates', async () => {
    // papers 2400-2600 move to another week and month, 10 read rows go, 20 new ones come (papers 5001-5020 re-inserted)
    const moved = await ids(`${n} BETWEEN 2400 AND 2600`);
    const gone = await ids(`${n} BETWEEN 3000 AND 3009`);
    await ds.query(`DELETE FROM paper_read WHERE paper_id IN (SELECT id FROM papers WHERE ${n} BETWEEN 5001 AND 5020)`);
    const back = await ids(`${n} BETWEEN 5001 AND 5020`);
    await expectExact();
    const t0 = `timestamptz '2026-04-02 10:00Z'`;
    await ds.query(
      `WITH up AS (
         INSERT INTO paper_read (paper_id, t0, day0, week0, month0, upvotes, sources, signal, trend_key)
         SELECT id, ${readRow(t0)}, 3, 1, 3, ln(3) FROM papers WHERE id = ANY($1::uuid[]) ORDER BY id
         ON CONFLICT (paper_id) DO UPDATE SET t0 = EXCLUDED.t0, day0 = EXCLUDED.day0, week0 = EXCLUDED.week0, month0 = EXCLUDED.month0
         RETURNING 1
       ), gone AS (DELETE FROM paper_read WHERE paper_id = ANY($2::uuid[]) RETURNING 1)
       SELECT (SELECT count(*) FROM up) + (SELECT count(*) FROM gone) AS n`,
      [[...moved, ...back], gone],
    );
    expect((await truth())[' 2026-04-02']).toBe(moved.length + back.length);
    await expectExact();
    const before = await rowCount();
    await ds.query(`UPDATE paper_read SET upvotes = 99, signal = 99, trend_key = ln(99) WHERE day0 = '2026-04-02'`);
    expect(await rowCount()).toBe(before);
  });

  it('after papers are deleted (cascade), a topic is deleted and a slug renamed (cascades)', async () => {
    await deleteAndRename(ds, `${n} BETWEEN 200 AND 260 OR ${n} % 701 = 0`, expectExact, kept);
  });

  it('a read-row writer and a topics writer of the same papers in concurrent transactions: each pair is counted once', async () => {
    const papers = await ids(`${n} BETWEEN 5100 AND 5120`);
    await ds.query(`DELETE FROM paper_read WHERE paper_id = ANY($1::uuid[])`, [papers]);
    await writeWhileClassifying(
      ds,
      papers,
      (reads) =>
        reads.query(
          `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, sources, signal)
           SELECT unnest($1::uuid[]), ${readRow(`timestamptz '2026-04-20 08:00Z'`)}, 1, 0`,
          [papers],
        ),
      'rare',
    );
    await expectExact();
    expect((await kept())['rare 2026-04-20']).toBe(papers.length);
  });
});

describe("a week's or month's total", () => {
  const direct = async (col: 'week0' | 'month0', from: string, topics: string[]): Promise<number> => {
    const [{ n: counted }] = (await ds.query(
      `SELECT count(*)::int AS n FROM paper_read r WHERE r.${col} = $1
          AND (cardinality($2::text[]) = 0 OR EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = r.paper_id AND pt.topic_slug = ANY($2)))`,
      [from, topics],
    )) as { n: number }[];
    return counted;
  };

  it("is the listing's total, read from the counts, equal to counting the period (by trend and by date)", async () => {
    const periods = [
      { kind: 'week' as const, from: '2026-03-09', to: '2026-03-15' },
      { kind: 'month' as const, from: '2026-03-01', to: '2026-03-31' },
      { kind: 'month' as const, from: '2026-02-01', to: '2026-02-28' },
      { kind: 'week' as const, from: '2026-03-30', to: '2026-04-05' },
    ];
    for (const p of periods)
      for (const topic of [[], ['peft'], ['retrieval'], ['rare'], ['nothing']]) {
        const counted = await direct(p.kind === 'week' ? 'week0' : 'month0', p.from, topic);
        expect({ ...p, topic, total: await firstDaysTotal(ds, topic[0] ?? null, p.from, p.to) }).toEqual({ ...p, topic, total: counted });
        for (const byTrend of [true, false])
          expect((await listedRangePage(ds, { ...p, byTrend, topic, limit: 5, offset: 0 })).total).toBe(counted);
      }
    // two topics may share papers: counted from the period, not summed
    const two = await listedRangePage(ds, { kind: 'month', from: '2026-03-01', to: '2026-03-31', byTrend: true, topic: ['peft', 'retrieval'], limit: 5, offset: 0 });
    const both = await direct('month0', '2026-03-01', ['peft', 'retrieval']);
    expect(two.total).toBe(both);
    expect(both).toBeLessThan((await firstDaysTotal(ds, 'peft', '2026-03-01', '2026-03-31')) + (await firstDaysTotal(ds, 'retrieval', '2026-03-01', '2026-03-31')));
  });

  it("sends one statement that reads paper_read, the page's; the total reads first_day_counts, a few buffers for the 4,000-paper month", async () => {
    await compactFirstDayCounts(ds, 100_000);
    await ds.query('ANALYZE first_day_counts');
    for (const topic of [[], ['peft']]) {
      const month = (from: string, to: string) =>
        statementsOf((db) => listedRangePage(db, { kind: 'month', from, to, byTrend: true, topic, limit: 20, offset: 0 }));
      const big = await month('2026-03-01', '2026-03-31');
      const empty = await month('2025-03-01', '2025-03-31');
      expect(big).toHaveLength(2);
      // (before: a second statement counted the month's paper_read rows, 4,000 of them, probing each one's topics)
      expect(big.filter((s) => /paper_read/.test(s.plan))).toHaveLength(1);
      const total = big.find((s) => /first_day_counts/.test(s.plan));
      expect(total?.plan).not.toMatch(/paper_read|paper_topics/);
      // (the table is a few pages here, which the planner may scan whole, for the topic and for all; at 2M papers it
      // is idx_first_day_counts)
      expect(total?.buffers).toBeLessThanOrEqual(16);
      expect(empty.filter((s) => /paper_read/.test(s.plan))).toHaveLength(1);
    }
  });
});

const statementsOf = (run: (db: Db) => Promise<unknown>) => statementsOfCall(ds, run);

describe('a topic rare in the period: its papers read from topic_first_papers', () => {
  const march = { kind: 'month' as const, from: '2026-03-01', to: '2026-03-31' };
  /** The listing's definition, walked from paper_read. */
  const reference = async (q: { topic: string[]; byTrend: boolean; submitter?: string; limit: number; offset: number }) =>
    ((await ds.query(
      `SELECT r.paper_id FROM paper_read r
        WHERE r.day0 BETWEEN $1::date AND $2::date AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = r.paper_id AND pt.topic_slug = ANY($3))
          AND ($4::text IS NULL OR r.submitted_by = $4)
        ORDER BY ${q.byTrend ? `coalesce(r.trend_key, '-Infinity'::float8) DESC, ` : ''}r.t0 DESC, r.paper_id DESC LIMIT $5 OFFSET $6`,
      [march.from, march.to, q.topic, q.submitter ?? null, q.limit + 1, q.offset],
    )) as { paper_id: string }[]).map((r) => r.paper_id);

  beforeAll(async () => {
    await ds.query(`UPDATE paper_read SET submitted_by = 'ana' WHERE paper_id IN (SELECT id FROM papers WHERE ${n} % 4 = 0)`);
    await ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       SELECT id, 'rare', 0.5, true, '[]', 'fdc6', content_hash FROM papers WHERE ${n} % 400 IN (8, 11) ON CONFLICT DO NOTHING`,
    );
    await ds.query('ANALYZE');
  });

  it('lists the same pages as the walk, by offset and by keyset, with and without a submitter, and the same totals', async () => {
    expect(await firstDaysTotal(ds, 'rare', march.from, march.to)).toBeGreaterThan(1);
    for (const topic of [['rare'], ['rare', 'retrieval'], ['peft'], ['nothing'], ['rare', 'nothing']])
      for (const byTrend of [true, false])
        for (const submitter of [undefined, 'ana']) {
          for (const offset of [0, 2]) {
            const q = { ...march, topic, byTrend, submitter, limit: 3, offset };
            const got = await listedRangePage(ds, q);
            expect({ q, ids: got.rows.map((r) => r.paper_id) }).toEqual({ q, ids: await reference(q) });
            const all = await reference({ ...q, limit: 100_000, offset: 0 });
            expect({ q, total: got.total }).toEqual({ q, total: all.length });
            // the next page by keyset, from the page's last row
            const last = got.rows[Math.min(2, got.rows.length - 1)];
            if (!last || got.rows.length < 4) continue;
            const after = byTrend ? [last.trend_key ?? '-Infinity', last.t0_key, last.paper_id] : [last.t0_key, last.paper_id];
            const next = await listedRangePage(ds, { ...q, after, offset: 0 });
            const want = all.slice(all.indexOf(last.paper_id) + 1, all.indexOf(last.paper_id) + 5);
            expect({ q, next: next.rows.map((r) => r.paper_id) }).toEqual({ q, next: want });
          }
        }
  });

  it("reads the rare topic's papers of the period, not the period: the plan reads topic_first_papers, no period index", async () => {
    const plans = await statementsOf((db) => listedRangePage(db, { ...march, byTrend: true, topic: ['rare'], limit: 20, offset: 0 }));
    const page = plans.find((s) => /paper_read/.test(s.plan));
    expect(page?.plan).toMatch(/topic_first_papers/);
    expect(page?.plan).not.toMatch(/idx_paper_read_month|Seq Scan on paper_read/);
    // (a common topic still walks the month's index: its page is near its start)
    const common = await statementsOf((db) => listedRangePage(db, { ...march, byTrend: true, topic: ['peft'], limit: 20, offset: 0 }));
    expect(common.find((s) => /paper_read/.test(s.plan))?.plan).toMatch(/idx_paper_read_month/);
  });
});

describe("the sweeper's fold", () => {
  it('leaves one folded row per (topic, day), none for a zero, and the same totals; a second fold finds nothing', async () => {
    const papers = await ids(`${n} BETWEEN 100 AND 130`);
    for (let i = 0; i < 3; i++)
      await ds.transaction((m) =>
        replacePaperTopics(m, papers, papers.map((paper_id) => ({ paper_id, topic_slug: i % 2 ? 'peft' : 'rare', score: 0.5, is_primary: true, evidence: [], model_version: 'fdc5', content_hash: 'h' }))),
      );
    const before = await kept();
    const [{ pairs }] = (await ds.query(`SELECT count(*)::int AS pairs FROM (SELECT DISTINCT topic_slug, day FROM first_day_counts) x`)) as { pairs: number }[];
    expect(await rowCount()).toBeGreaterThan(pairs);
    expect(await compactFirstDayCounts(ds, 5_000)).toBeGreaterThan(0);
    expect(await kept()).toEqual(before);
    expect(await rowCount()).toBe(Object.keys(before).length);
    expect(await rowCount('NOT folded')).toBe(0);
    expect(await compactFirstDayCounts(ds, 5_000)).toBe(0);
    await expectExact();
  });
});

describe('the migration', () => {
  it('down and up on the populated schema give the same counts, and the triggers count again', async () => {
    const before = await kept();
    expect(Object.keys(before).length).toBeGreaterThan(50);
    const qr = ds.createQueryRunner();
    try {
      await new ListingCounts1796120000000().down(qr);
      const gone: { t: string | null }[] = await qr.query(`SELECT to_regclass('first_day_counts')::text AS t`);
      expect(gone[0].t).toBeNull();
      // (no trigger is left to fail a write)
      await qr.query(`UPDATE paper_read SET day0 = day0 + 1 WHERE paper_id IN (SELECT id FROM papers WHERE ${n} = 3)`);
      await qr.query(`UPDATE paper_read SET day0 = day0 - 1 WHERE paper_id IN (SELECT id FROM papers WHERE ${n} = 3)`);
      await new ListingCounts1796120000000().up(qr);
    } finally {
      await qr.release();
    }
    expect(await kept()).toEqual(before);
    await ds.query(`DELETE FROM paper_read WHERE day0 = '2026-03-03'`);
    await expectExact();
  });

  it("a truncate of the topics drops the topics' counts only; of the papers, all", async () => {
    await ds.query(`TRUNCATE paper_topics`);
    await expectExact();
    expect(await rowCount()).toBeGreaterThan(0);
    await ds.query(`TRUNCATE papers CASCADE`);
    expect(await rowCount()).toBe(0);
  });
});
