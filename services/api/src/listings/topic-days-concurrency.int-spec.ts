import 'reflect-metadata';
import { pruneTopicDays, saveClassifications, topicDayNeighbours, type ClassifiedTopic } from '@paperwire/db';
import {
  createTestDb,
  pruneTopicDaysFully,
  seedPaper,
  seedSource,
  seedTopic,
  storedTopicDays,
  topicDaysNowAndPruned,
  trueTopicDays,
  type TestDb,
} from '@paperwire/testing';

jest.setTimeout(120_000);

const DAYS = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];
const EXTRA = ['ta', 'tb', 'tc'];
const CLIENTS = 4;
const ROUNDS = 12;

const isDeadlock = (e: unknown) => (e as { code?: string }).code === '40P01';

// Several classifier workers re-classifying papers of the same days at once: each save removes topics on some days
// (facts a delete may have made false) and adds topics on others, the days crossing between workers. topic_days'
// upkeep must never make two of them wait for each other in a cycle (Postgres would abort one with 40P01 after
// deadlock_timeout), and what the readers see of it must be exact afterwards.
describe('topic_days under concurrent re-classification', () => {
  let db: TestDb;
  /** per client: its papers (one listed on each day), by day index */
  const papers: string[][] = [];

  beforeAll(async () => {
    db = await createTestDb('t_tdays_dl');
    await seedTopic(db.ds, 'common', 'Common');
    for (const t of [...EXTRA, 'tz']) await seedTopic(db.ds, t, t.toUpperCase());
    const arxiv = await seedSource(db.ds, 'arxiv', 'arxiv-api');
    for (let c = 0; c < CLIENTS; c++) {
      papers.push([]);
      for (const [i, d] of DAYS.entries())
        papers[c].push(
          await seedPaper(db.ds, {
            title: `Paper ${c} ${d}`,
            abstract: 'A paper.',
            publishedAt: `${d}T10:00:00Z`,
            stage: 'parsed',
            topics: [
              { slug: 'common', score: 0.5 },
              ...(i % 2 === 0 ? [{ slug: EXTRA[(i + c) % 3], score: 0.8 }] : []),
            ],
            sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }],
          }),
        );
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  /**
   * What readers see (suspected facts verified) is exact now; once the sweeper has pruned, so is the table itself: one
   * row per true fact, no suspect left.
   */
  const expectExact = async () => {
    const { truth, read, pruned } = await topicDaysNowAndPruned(db.ds);
    expect(read).toEqual(truth);
    expect(pruned).toEqual({ facts: truth, suspects: 0 });
  };

  /** One classifier save of client `c`'s papers in round `r`: each paper toggles its extra topic (odd days lose it when even days gain it). */
  const reclassify = async (c: number, r: number): Promise<void> => {
    const ids = papers[c];
    const hashes: { paper_id: string; content_hash: string }[] = await db.ds.query(
      `WITH u AS (UPDATE paper_stages SET stage = 'parsed' WHERE paper_id = ANY($1::uuid[]) RETURNING paper_id, content_hash)
       SELECT paper_id, content_hash FROM u`,
      [ids],
    );
    const hash = new Map(hashes.map((h) => [h.paper_id, h.content_hash]));
    const topics: ClassifiedTopic[] = [];
    for (const [i, id] of ids.entries()) {
      topics.push({ paper_id: id, topic_slug: 'common', score: 0.5, is_primary: true, evidence: [] });
      if ((i + r + c) % 2 === 1)
        topics.push({
          paper_id: id,
          topic_slug: EXTRA[(i + c) % 3],
          score: 0.8,
          is_primary: false,
          evidence: [],
        });
    }
    const moved = await saveClassifications(
      db.ds,
      ids.map((id) => ({
        paperId: id,
        contentHash: hash.get(id)!,
        primaryTopic: 'common',
        contribution: null,
        predictedCategory: null,
        classifierVersion: `v${r}`,
      })),
      topics,
    );
    expect(moved).toHaveLength(ids.length);
  };

  it('re-classifications crossing days on several workers: no deadlock, and the facts are exact afterwards', async () => {
    let deadlocks = 0;
    const worker = async (c: number) => {
      for (let r = 0; r < ROUNDS; r++) {
        // a job that failed on a deadlock is retried (what BullMQ would do), so the end state is the same
        for (;;) {
          try {
            await reclassify(c, r);
            break;
          } catch (e) {
            if (!isDeadlock(e)) throw e;
            deadlocks += 1;
          }
        }
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => worker(c)));
    console.log(
      `re-classification: ${CLIENTS} workers x ${ROUNDS} rounds in ${Date.now() - t0} ms, ${deadlocks} deadlocks`,
    );
    expect(deadlocks).toBe(0);
    // Not pruned yet: topic_days holds facts the last saves made false, suspected; the readers step over them.
    const want = await trueTopicDays(db.ds);
    const stale = (await storedTopicDays(db.ds)).facts.filter(
      (f) => !want.some((w) => w.topic_slug === f.topic_slug && w.first === f.first && w.day === f.day),
    );
    expect(stale.length).toBeGreaterThan(0);
    for (const topic of ['common', ...EXTRA])
      for (const firstDays of [false, true])
        for (let i = -1; i <= DAYS.length; i++) {
          const day = new Date(Date.parse(DAYS[0]) + i * 86_400_000).toISOString().slice(0, 10);
          const days = want.filter((w) => w.topic_slug === topic && w.first === firstDays).map((w) => w.day);
          const expected = {
            previous: days.filter((d) => d < day).pop() ?? null,
            next: days.find((d) => d > day) ?? null,
          };
          expect({
            topic,
            firstDays,
            day,
            ...(await topicDayNeighbours(db.ds, { from: day, to: day, topics: [topic], firstDays })),
          }).toEqual({ topic, firstDays, day, ...expected });
        }
    await expectExact();
  });

  it('two transactions adding the same new facts in opposite orders, statement by statement, do not deadlock', async () => {
    // client 0's paper of day 0 and client 1's of day 1 gain 'tz' (new facts), then each gains the other's day
    const [a1, a2] = [papers[0][0], papers[0][1]];
    const [b1, b2] = [papers[1][1], papers[1][0]];
    const add = `INSERT INTO paper_topics (paper_id, topic_slug, score, model_version, content_hash) VALUES ($1, 'tz', 0.7, 't', 'h')`;
    const runners = [db.ds.createQueryRunner(), db.ds.createQueryRunner()];
    const errors: unknown[] = [];
    try {
      for (const q of runners) await q.startTransaction();
      const [ta, tb] = runners;
      await ta.query(add, [a1]);
      await tb.query(add, [b1]);
      const settle = (p: Promise<unknown>, q: (typeof runners)[number]) =>
        p.then(
          () => q.commitTransaction(),
          async (e) => {
            errors.push(e);
            await q.rollbackTransaction();
          },
        );
      await Promise.all([settle(ta.query(add, [a2]), ta), settle(tb.query(add, [b2]), tb)]);
    } finally {
      for (const q of runners) await q.release();
    }
    expect(errors.filter(isDeadlock)).toHaveLength(0);
    expect(errors).toEqual([]);
    await expectExact();
  });

  it('the sweeper drops a suspected fact only once every writer that may have relied on it without adding it has ended', async () => {
    // 'tz' on day 3: one paper (client 2's); client 3's paper of day 3 gains it in a transaction left open: the fact
    // is there and unsuspected, so that writer adds nothing. Then the first paper loses it (a suspect, committed).
    const [x, y] = [papers[2][3], papers[3][3]];
    const add = `INSERT INTO paper_topics (paper_id, topic_slug, score, model_version, content_hash) VALUES ($1, 'tz', 0.7, 't', 'h')`;
    const count = async () =>
      (
        await db.ds.query(
          `SELECT count(*)::int AS n FROM topic_days WHERE topic_slug = 'tz' AND NOT first AND day = $1`,
          [DAYS[3]],
        )
      )[0].n;
    await db.ds.query(add, [x]);
    expect(await count()).toBe(1);
    const writer = db.ds.createQueryRunner();
    try {
      await writer.startTransaction();
      await writer.query(add, [y]);
      expect(await count()).toBe(1);
      await db.ds.query(`DELETE FROM paper_topics WHERE paper_id = $1 AND topic_slug = 'tz'`, [x]);
      // The fact is false as far as committed rows go (readers skip it), but the writer still runs: pruning keeps it.
      expect(
        await topicDayNeighbours(db.ds, { from: DAYS[2], to: DAYS[2], topics: ['tz'], firstDays: false }),
      ).toMatchObject({ next: null });
      for (let i = 0; i < 3; i++)
        expect(await pruneTopicDays(db.ds, 100)).toMatchObject({ resolved: 0, deleted: 0 });
      // (two suspects: x's listed-day fact and its first-day fact, both on day 3)
      expect([await count(), (await storedTopicDays(db.ds)).suspects]).toEqual([1, 2]);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    // Committed: the fact is true (y), the suspect resolved without deleting it.
    expect(
      await topicDayNeighbours(db.ds, { from: DAYS[2], to: DAYS[2], topics: ['tz'], firstDays: false }),
    ).toMatchObject({ next: DAYS[3] });
    await pruneTopicDaysFully(db.ds);
    expect(await count()).toBe(1);
    await expectExact();
    // A writer that sees the suspect adds the fact again (a row the pruning statement's snapshot does not hold).
    await db.ds.query(`DELETE FROM paper_topics WHERE paper_id = $1 AND topic_slug = 'tz'`, [y]);
    await db.ds.query(add, [x]);
    expect(await count()).toBe(2);
    await pruneTopicDaysFully(db.ds);
    expect(await count()).toBe(1);
    await expectExact();
  });

  it('a reader past many suspected false facts (a topic dropped from most of its days, not pruned yet) still finds the nearest true day', async () => {
    await seedTopic(db.ds, 'tw', 'TW');
    const arxiv = (await db.ds.query(`SELECT id FROM sources WHERE kind = 'arxiv-api' LIMIT 1`))[0].id;
    const days = Array.from({ length: 12 }, (_, i) => `2024-01-${String(i + 10).padStart(2, '0')}`);
    const ids: string[] = [];
    for (const d of days)
      ids.push(
        await seedPaper(db.ds, {
          title: `TW ${d}`,
          abstract: 'A paper.',
          publishedAt: `${d}T10:00:00Z`,
          topics: [{ slug: 'tw', score: 0.6 }],
          sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }],
        }),
      );
    // dropped from the papers of the 10 middle days: 10 suspected false facts between the first day and the last
    await db.ds.query(`DELETE FROM paper_topics WHERE topic_slug = 'tw' AND paper_id = ANY($1::uuid[])`, [
      ids.slice(1, 11),
    ]);
    expect((await storedTopicDays(db.ds)).suspects).toBe(20);
    const near = (from: string, firstDays: boolean) =>
      topicDayNeighbours(db.ds, { from, to: from, topics: ['tw'], firstDays });
    for (const firstDays of [false, true]) {
      expect(await near(days[11], firstDays)).toEqual({ previous: days[0], next: null });
      expect(await near(days[0], firstDays)).toEqual({ previous: null, next: days[11] });
      expect(await near(days[5], firstDays)).toEqual({ previous: days[0], next: days[11] });
      expect(await near('2024-01-31', firstDays)).toEqual({ previous: days[11], next: null });
    }
    // The same through each way of topic_days_near and topic_days_holds: from the topic's papers (a topic under 1,024
    // papers, the readers' case here) and through the candidates, each verified by a walk of its day (`small` 0).
    for (const small of [1024, 0])
      for (const firstDays of [false, true]) {
        const rows: { prev: string | null; next: string | null; holds: boolean[] }[] = await db.ds.query(
          `SELECT topic_days_near('tw', $1, $2::date, false, $3)::text AS prev, topic_days_near('tw', $1, $2::date, true, $3)::text AS next,
                  ARRAY(SELECT topic_days_holds('tw', $1, d::date, $3) FROM unnest($4::text[]) AS d) AS holds`,
          [firstDays, days[5], small, days],
        );
        expect({ small, firstDays, ...rows[0] }).toEqual({
          small,
          firstDays,
          prev: days[0],
          next: days[11],
          holds: days.map((_, i) => i === 0 || i === 11),
        });
      }
    await expectExact();
    expect(await near(days[5], false)).toEqual({ previous: days[0], next: days[11] });
  });
});
