import type { DataSource } from 'typeorm';
import { statementsOfCall } from '../test-db';
import { TopicDayCounts1796096000000 } from '../migrations/1796096000000-topic-day-counts';
import { ListingCounts1796120000000 } from '../migrations/1796120000000-listing-counts';
import { classifyCatalogue, countsCatalogue, deleteAndRename, keptCounts, paperNumber, reclassify, strayRows, writeWhileClassifying, type Counts } from './day-counts.testing';
import { replacePaperTopics } from './paper-topics';
import { dailyCardRows, type DayOrderKey, type DayRankKey, listedDayPage } from './read-model';
import type { Db } from './sql';
import { compactTopicDayCounts, topicDayTotal } from './topic-days';

// The total of a day listing filtered by one topic (`/?topic=&date=`, `/v1/daily?topic=`) is read from
// `topic_day_counts` (migration 1796096000000): one index range, whatever the day's size. Before, each page counted
// the whole day probing every paper's topics. 6,000 papers, 4,000 of them on one day: the total equals the count of
// the source rows after every kind of write (inserts, reclassification in both forms, moved and removed days, deleted
// papers, a deleted and a renamed topic, two writers of one paper at once), after the sweeper folds the deltas, and
// after a down / up of the migration; its plan reads topic_day_counts only, the same few buffers on the big day as on
// a small one.

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `topicdaycounts_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const N = 6_000;
const BIG_DAY = '2026-03-10';
let ds: DataSource;

const n = paperNumber;

beforeAll(async () => {
  ds = await countsCatalogue(url, schema, N);
  // Days first (the topics' insert counts against them), then topics (the days' insert counted none of them yet),
  // then more days: both triggers do the counting. Papers 1-4000 on the big day, the rest on five others; 1 in 7 on a
  // second day too.
  await ds.query(
    `INSERT INTO paper_days (paper_id, day, upvotes, sighted_at)
     SELECT id, CASE WHEN ${n} <= 4000 THEN date '${BIG_DAY}' ELSE date '2026-03-01' + (${n} % 5) END, ${n} % 13, now() FROM papers`,
  );
  await classifyCatalogue(ds, 'tdc');
  await ds.query(
    `INSERT INTO paper_days (paper_id, day, upvotes, sighted_at) SELECT id, date '2026-03-20', 1, now() FROM papers WHERE ${n} % 7 = 0`,
  );
  await ds.query('ANALYZE');
}, 180_000);

afterAll(async () => {
  await ds?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds?.destroy();
});

const kept = () => keptCounts(ds, 'topic_day_counts');
/** The definition of topic_day_papers: (topic, day, paper) triples. */
const DAY_TRIPLES = `SELECT pt.topic_slug, pd.day, pd.paper_id FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id`;
/** The definition: papers of each topic each day lists, and of each day in all (topic '': migration 1796120000000). */
const truth = async (): Promise<Counts> =>
  Object.fromEntries(
    ((await ds.query(
      `SELECT pt.topic_slug || ' ' || pd.day::text AS k, count(*)::int AS n
         FROM paper_days pd JOIN paper_topics pt ON pt.paper_id = pd.paper_id GROUP BY 1
       UNION ALL
       SELECT ' ' || day::text, count(*)::int FROM paper_days GROUP BY 1`,
    )) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
  );
const expectExact = async () => {
  expect(await kept()).toEqual(await truth());
  expect(await strayRows(ds, 'topic_day_papers', DAY_TRIPLES)).toEqual({ extra: 0, missing: 0 });
};
const ids = async (where: string): Promise<string[]> =>
  ((await ds.query(`SELECT id FROM papers WHERE ${where} ORDER BY id`)) as { id: string }[]).map((r) => r.id);

describe('topic_day_counts stays exact', () => {
  it('after the inserts that filled the tables (days before topics, and after)', async () => {
    const t = await truth();
    expect(t[`peft ${BIG_DAY}`]).toBe(1333);
    expect(t['rare 2026-03-20']).toBeGreaterThan(0);
    await expectExact();
  });

  it('after reclassification: topics replaced in a transaction, and in the classifier\'s one statement; a score update counts none', async () => {
    await reclassify(ds, await ids(`${n} BETWEEN 1 AND 90`), expectExact, async () => Number((await ds.query(`SELECT count(*)::int AS n FROM topic_day_counts`))[0].n));
  });

  it('after days move and go (as refreshReadModel writes them: delete and insert in one statement), and rank updates', async () => {
    const papers = await ids(`${n} BETWEEN 3990 AND 4100`);
    await ds.query(
      `WITH gone AS (DELETE FROM paper_days WHERE paper_id = ANY($1::uuid[]) AND day = $2::date RETURNING 1)
       INSERT INTO paper_days (paper_id, day, upvotes, sighted_at) SELECT unnest($1::uuid[]), date '2026-03-11', 2, now()
       ON CONFLICT DO NOTHING`,
      [papers, BIG_DAY],
    );
    await ds.query(`UPDATE paper_days SET upvotes = 99 WHERE day = '2026-03-11'`);
    await ds.query(`DELETE FROM paper_days WHERE day = '2026-03-20' AND paper_id IN (SELECT id FROM papers WHERE ${n} % 14 = 0)`);
    await expectExact();
  });

  it('after papers are deleted (cascade), a topic is deleted and a slug renamed (cascades)', async () => {
    await deleteAndRename(ds, `${n} BETWEEN 200 AND 260 OR ${n} % 701 = 0`, expectExact, kept);
  });

  it("a days writer and a topics writer of the same papers in concurrent transactions: each triple is counted once", async () => {
    const papers = await ids(`${n} BETWEEN 5000 AND 5020`);
    await writeWhileClassifying(
      ds,
      papers,
      (days) =>
        days.query(`INSERT INTO paper_days (paper_id, day, upvotes, sighted_at) SELECT unnest($1::uuid[]), date '2026-03-25', 1, now()`, [papers]),
      'rare',
    );
    await expectExact();
    expect((await kept())['rare 2026-03-25']).toBe(papers.length);
  });
});

describe('the day total of one topic', () => {
  it('is the listing\'s total, read from the counts, equal to counting the day', async () => {
    for (const [topic, day] of [['peft', BIG_DAY], ['rare', BIG_DAY], ['retrieval', '2026-03-02'], ['peft', '2026-02-01']]) {
      const [{ n: counted }] = (await ds.query(
        `SELECT count(*)::int AS n FROM paper_days d WHERE d.day = $1 AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug = $2)`,
        [day, topic],
      )) as { n: number }[];
      expect({ topic, day, total: await topicDayTotal(ds, topic, day) }).toEqual({ topic, day, total: counted });
      expect((await listedDayPage(ds, { day, sort: 'rank', topic: [topic], limit: 10, offset: 0 })).total).toBe(counted);
      expect((await dailyCardRows(ds, { day, topic: [topic], limit: 10, offset: 0 })).total).toBe(counted);
    }
    // two topics may share papers: counted from the day, not summed
    const two = await listedDayPage(ds, { day: BIG_DAY, sort: 'rank', topic: ['peft', 'retrieval'], limit: 10, offset: 0 });
    const [{ n: both }] = (await ds.query(
      `SELECT count(*)::int AS n FROM paper_days d WHERE d.day = $1 AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug IN ('peft', 'retrieval'))`,
      [BIG_DAY],
    )) as { n: number }[];
    expect(two.total).toBe(both);
    expect(both).toBeLessThan((await topicDayTotal(ds, 'peft', BIG_DAY)) + (await topicDayTotal(ds, 'retrieval', BIG_DAY)));
  });

  it('reads the count\'s index only: as few buffers on the 4,000-paper day as on a small one', async () => {
    await compactTopicDayCounts(ds, 100_000);
    await ds.query('ANALYZE topic_day_counts');
    const buffersOf = async (day: string): Promise<{ plan: string; buffers: number }> => {
      const rows: { 'QUERY PLAN': string }[] = await ds.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT coalesce(sum(papers), 0)::int AS n FROM topic_day_counts WHERE topic_slug = $1 AND day = $2::date`,
        ['peft', day],
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      const top = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
      return { plan, buffers: Number(top?.[1] ?? 0) + Number(top?.[2] ?? 0) };
    };
    const big = await buffersOf(BIG_DAY);
    const small = await buffersOf('2026-03-02');
    // (a table of a few dozen rows is one page, which the planner may scan; at 1M papers it is idx_topic_day_counts)
    expect(big.plan).toMatch(/on topic_day_counts/);
    expect(big.plan).not.toMatch(/paper_days|paper_topics/);
    expect(big.buffers).toBeLessThanOrEqual(4);
    expect(big.buffers).toBe(small.buffers);
  });
});

describe('a topic rare on the day: its papers read from topic_day_papers', () => {
  /** The listing's definition, walked from paper_days (rank order). */
  const reference = async (day: string, topic: string[], limit: number, offset: number) =>
    ((await ds.query(
      `SELECT d.paper_id FROM paper_days d
        WHERE d.day = $1 AND EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug = ANY($2))
        ORDER BY d.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id LIMIT $3 OFFSET $4`,
      [day, topic, limit, offset],
    )) as { paper_id: string }[]).map((r) => r.paper_id);

  beforeAll(async () => {
    await ds.query(
      `INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       SELECT id, 'rare', 0.5, true, '[]', 'tdc6', content_hash FROM papers WHERE ${n} % 400 IN (8, 11) ON CONFLICT DO NOTHING`,
    );
    await ds.query('ANALYZE');
  });

  it('lists the same pages as the walk (listedDayPage, dailyCardRows), and the same totals; the unfiltered total is counted', async () => {
    expect(await topicDayTotal(ds, 'rare', BIG_DAY)).toBeGreaterThan(5);
    for (const topic of [['rare'], ['rare', 'retrieval'], ['peft'], ['nothing'], ['rare', 'nothing']])
      for (const offset of [0, 4]) {
        const q = { day: BIG_DAY, topic, limit: 4, offset };
        const all = await reference(BIG_DAY, topic, 100_000, 0);
        const page = await listedDayPage(ds, { ...q, sort: 'rank' });
        expect({ q, ids: page.ids, total: page.total }).toEqual({ q, ids: all.slice(offset, offset + 5), total: all.length });
        const cards = await dailyCardRows(ds, q);
        expect({ q, ids: cards.rows.map((r) => r.id), total: cards.total }).toEqual({ q, ids: all.slice(offset, offset + 4), total: all.length });
        for (const sort of ['published', 'trending'] as const)
          expect((await listedDayPage(ds, { ...q, sort, offset: 0, limit: 100_000 })).ids.sort()).toEqual([...all].sort());
      }
    const [{ n: day }] = (await ds.query(`SELECT count(*)::int AS n FROM paper_days WHERE day = $1`, [BIG_DAY])) as { n: number }[];
    expect((await listedDayPage(ds, { day: BIG_DAY, sort: 'rank', limit: 4, offset: 0 })).total).toBe(day);
    expect(await topicDayTotal(ds, '', BIG_DAY)).toBe(day);
  });

  it("reads the rare topic's papers of the day, not the day: the page's plan reads topic_day_papers, not the day's index", async () => {
    const plansOf = async (topic: string[]) =>
      (await statementsOfCall(ds, (db: Db) => listedDayPage(db, { day: BIG_DAY, sort: 'rank', topic, limit: 20, offset: 0 }))).find((s) => /paper_days/.test(s.plan))?.plan ?? '';
    const rare = await plansOf(['rare']);
    expect(rare).toMatch(/topic_day_papers/);
    expect(rare).not.toMatch(/idx_paper_days_rank|Seq Scan on paper_days/);
    expect(await plansOf(['peft'])).not.toMatch(/topic_day_papers/);
  });
});

/** A day's orders by their definitions, as the listing must walk them. */
const DAY_ORDERS = {
  rank: 'd.upvotes DESC NULLS LAST, d.capture_pos ASC NULLS LAST, d.sighted_at DESC, d.paper_id',
  published: 'd.sighted_at DESC, d.paper_id DESC',
  trending: 'd.trend_key DESC, d.sighted_at DESC, d.paper_id DESC',
} as const;
const dayInOrder = async (sort: keyof typeof DAY_ORDERS, topic: string[]) =>
  ((await ds.query(
    `SELECT d.paper_id FROM paper_days d
      WHERE d.day = $1 AND (cardinality($2::text[]) = 0 OR EXISTS (SELECT 1 FROM paper_topics pt WHERE pt.paper_id = d.paper_id AND pt.topic_slug = ANY($2)))
      ORDER BY ${DAY_ORDERS[sort]}`,
    [BIG_DAY, topic],
  )) as { paper_id: string }[]).map((r) => r.paper_id);

describe("a day's next pages by keyset (after a row's key in the day's order: rank, publication, trend)", () => {
  beforeAll(async () => {
    // ties on every key: upvotes missing for a fifth, capture positions for a third (shared), four sighting times to
    // the microsecond, trend keys shared by a fifth of the day each, a third without a signal (-Infinity)
    await ds.query(
      `UPDATE paper_days d SET upvotes = CASE WHEN ${n} % 5 = 0 THEN NULL ELSE ${n} % 4 END,
              capture_pos = CASE WHEN ${n} % 3 = 0 THEN ${n} % 7 END,
              sighted_at = timestamptz '2026-03-10 10:00:00.123456Z' + (${n} % 4) * interval '1 microsecond',
              trend_key = CASE WHEN ${n} % 3 = 0 THEN '-Infinity'::float8 ELSE (${n} % 5) + 7000.25 END
         FROM papers p WHERE p.id = d.paper_id AND d.day = $1`,
      [BIG_DAY],
    );
    await ds.query('ANALYZE paper_days');
  });

  it('pages through the whole day as the order lists it, through listedDayPage and dailyCardRows, unfiltered and by topic', async () => {
    for (const sort of ['rank', 'published', 'trending'] as const)
      for (const topic of [[], ['rare'], ['peft']]) {
        const all = await dayInOrder(sort, topic);
        expect(all.length).toBeGreaterThan(3);
        const limit = topic[0] === 'rare' ? 2 : topic.length ? 97 : 397;
        const viaPage: string[] = [];
        const viaCards: string[] = [];
        let after: DayOrderKey | undefined;
        let cardsAfter: DayOrderKey | undefined;
        for (let i = 0; i < 200 && viaPage.length < all.length; i++) {
          const page = await listedDayPage(ds, { day: BIG_DAY, sort, topic, limit, offset: 0, after });
          viaPage.push(...page.ids.slice(0, limit));
          after = page.keys[limit - 1];
          const cards = await dailyCardRows(ds, { day: BIG_DAY, sort, topic, limit, offset: 0, after: cardsAfter });
          viaCards.push(...cards.rows.map((r) => r.id));
          cardsAfter = cards.rows[cards.rows.length - 1]?.key;
          if (!after) break;
        }
        expect({ sort, topic, ids: viaPage }).toEqual({ sort, topic, ids: all });
        expect({ sort, topic, ids: viaCards }).toEqual({ sort, topic, ids: all });
      }
  }, 60_000);

  it('reads the page from its key: a page 900 rows deep costs what the first page costs, the offset walks the 900', async () => {
    // (the earlier specs' rank updates leave dead index entries an index-only scan visits until a vacuum: 328 heap
    // fetches for 20 rows in one range. What is measured here is how many entries each read walks.)
    await ds.query('VACUUM ANALYZE paper_days');
    const all = await dayInOrder('rank', []);
    const [key] = (await listedDayPage(ds, { day: BIG_DAY, sort: 'rank', limit: 1, offset: 899 })).keys;
    expect((key as DayRankKey)[3]).toBe(all[899]);
    // (the page's statement: the total reads topic_day_counts only)
    const buffersOf = async (q: { offset: number; after?: DayOrderKey }) =>
      (await statementsOfCall(ds, (db: Db) => dailyCardRows(db, { day: BIG_DAY, limit: 20, ...q }))).find((s) => /paper_days/.test(s.plan)) ?? { plan: '', buffers: NaN };

    const deep = await buffersOf({ offset: 900 });
    const keyset = await buffersOf({ offset: 0, after: key });
    const first = await buffersOf({ offset: 0 });
    if (process.env.SHOW_PLANS) console.log(deep.buffers, keyset.buffers, first.buffers);
    expect(deep.plan).toMatch(/idx_paper_days_rank/);
    expect(keyset.plan).toMatch(/idx_paper_days_rank/);
    expect(keyset.buffers).toBeLessThan(deep.buffers / 5);
    expect(keyset.buffers).toBeLessThanOrEqual(first.buffers * 3);
  });
});

describe("a day by publication and by trend at depth", () => {
  it("reads a page 3,000 rows deep from its key at the first page's cost, through the order's index (the offset walks the 3,000)", async () => {
    for (const sort of ['published', 'trending'] as const) {
      const all = await dayInOrder(sort, []);
      const [key] = (await listedDayPage(ds, { day: BIG_DAY, sort, limit: 1, offset: 2999 })).keys;
      expect(key[key.length - 1]).toBe(all[2999]);
      const cost = async (q: { offset: number; after?: DayOrderKey }) => {
        const [page, cards] = await Promise.all([
          statementsOfCall(ds, (db: Db) => listedDayPage(db, { day: BIG_DAY, sort, limit: 20, ...q })),
          statementsOfCall(ds, (db: Db) => dailyCardRows(db, { day: BIG_DAY, sort, limit: 20, ...q })),
        ]);
        return [page, cards].map((s) => s.find((x) => /paper_days/.test(x.plan)) ?? { plan: '', buffers: NaN });
      };
      const first = await cost({ offset: 0 });
      const keyset = await cost({ offset: 0, after: key });
      const deep = await cost({ offset: 3000 });
      const index = sort === 'published' ? /idx_paper_days_published/ : /idx_paper_days_trend/;
      for (const i of [0, 1]) {
        if (process.env.SHOW_PLANS) console.log(sort, i ? 'cards' : 'ids', { first: first[i].buffers, keyset: keyset[i].buffers, deep: deep[i].buffers });
        expect(keyset[i].plan).toMatch(index);
        expect(first[i].plan).toMatch(index);
        expect(keyset[i].plan).not.toMatch(/Sort Key/);
        expect(keyset[i].buffers).toBeLessThanOrEqual(first[i].buffers + 3);
        expect(keyset[i].buffers * 3).toBeLessThan(deep[i].buffers);
      }
    }
  });
});

describe('the sweeper\'s fold', () => {
  it('leaves one folded row per (topic, day), none for a zero, and the same totals; a second fold finds nothing', async () => {
    const papers = await ids(`${n} BETWEEN 100 AND 130`);
    for (let i = 0; i < 3; i++) {
      await ds.transaction((m) =>
        replacePaperTopics(m, papers, papers.map((paper_id) => ({ paper_id, topic_slug: i % 2 ? 'peft' : 'rare', score: 0.5, is_primary: true, evidence: [], model_version: 'tdc5', content_hash: 'h' }))),
      );
    }
    const before = await kept();
    const rows = async () => Number((await ds.query(`SELECT count(*)::int AS n FROM topic_day_counts`))[0].n);
    const [{ pairs }] = (await ds.query(`SELECT count(*)::int AS pairs FROM (SELECT DISTINCT topic_slug, day FROM topic_day_counts) x`)) as { pairs: number }[];
    expect(await rows()).toBeGreaterThan(pairs);
    expect(await compactTopicDayCounts(ds, 5_000)).toBeGreaterThan(0);
    expect(await kept()).toEqual(before);
    expect(await rows()).toBe(Object.keys(before).length);
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM topic_day_counts WHERE NOT folded`))[0].n)).toBe(0);
    expect(await compactTopicDayCounts(ds, 5_000)).toBe(0);
    await expectExact();
  });
});

describe('the migration', () => {
  it('down and up on the populated schema give the same counts, and the triggers count again', async () => {
    const before = await kept();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const qr = ds.createQueryRunner();
    try {
      // (the later migration that replaced its functions goes first, and comes back after)
      await new ListingCounts1796120000000().down(qr);
      await new TopicDayCounts1796096000000().down(qr);
      const gone: { t: string | null }[] = await qr.query(`SELECT to_regclass('topic_day_counts')::text AS t`);
      expect(gone[0].t).toBeNull();
      // (no trigger is left to fail a write)
      await qr.query(`UPDATE paper_topics SET score = score WHERE paper_id IN (SELECT id FROM papers WHERE ${n} = 3)`);
      await new TopicDayCounts1796096000000().up(qr);
      await new ListingCounts1796120000000().up(qr);
    } finally {
      await qr.release();
    }
    expect(await kept()).toEqual(before);
    await ds.query(`DELETE FROM paper_days WHERE day = '2026-03-03'`);
    await expectExact();
  });

  it('a truncate empties it', async () => {
    await ds.query(`TRUNCATE papers CASCADE`);
    expect(Number((await ds.query(`SELECT count(*)::int AS n FROM topic_day_counts`))[0].n)).toBe(0);
  });
});
