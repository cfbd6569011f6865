import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { QueryRunner } from 'typeorm';
import { refreshReadModel, replacePaperTopics } from '@paperwire/db';
import { createTestDb, seedPaper, seedSource, seedTopic, type TestDb, topicDaysNowAndPruned, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../testing/app';
import { ListingsService } from './listings.service';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const day = (d: string, h = 8) => `${d}T${String(h).padStart(2, '0')}:00:00Z`;

// A listing filtered by topic links the nearest earlier / later period that lists a paper of that topic (read from
// topic_days, kept by triggers on paper_days and paper_topics), never a period whose filtered listing is empty.
describe('previous / next of a topic-filtered listing', () => {
  let db: TestDb;
  let app: INestApplication;
  let svc: ListingsService;
  let hf: string;
  let arxiv: string;
  const ids: Record<string, string> = {};
  const now = new Date('2026-04-10T12:00:00Z');
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDb('t_topic_nb');
    await seedTopic(db.ds, 'rare', 'Rare');
    await seedTopic(db.ds, 'common', 'Common');
    hf = await seedSource(db.ds, 'hf', 'hf-daily-papers');
    arxiv = await seedSource(db.ds, 'arxiv', 'arxiv-api');
    // A 'common' paper every day from 2026-01-05 to 2026-03-20.
    for (let t = Date.parse('2026-01-05T00:00:00Z'); t <= Date.parse('2026-03-20T00:00:00Z'); t += DAY) {
      const d = new Date(t).toISOString().slice(0, 10);
      await seedPaper(db.ds, { title: `Common ${d}`, abstract: 'A paper.', topics: [{ slug: 'common', score: 0.8 }], sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: day(d) }] });
    }
    // 'rare' papers: 2026-01-06; one published on arXiv Friday 2026-02-27 (ISO week 9) and featured on HF Monday
    // 2026-03-02 (week 10): listed on both days, but in week 9 and February only (its first appearance); 2026-03-18.
    ids.jan = await seedPaper(db.ds, { title: 'Rare January', abstract: 'A paper.', topics: [{ slug: 'rare', score: 0.9 }, { slug: 'common', score: 0.5 }], sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: day('2026-01-06', 9) }] });
    ids.feb = await seedPaper(db.ds, {
      title: 'Rare February',
      abstract: 'A paper.',
      publishedAt: day('2026-02-27', 10),
      topics: [{ slug: 'rare', score: 0.9 }],
      sightings: [
        { sourceId: arxiv, sourceKind: 'arxiv-api' },
        { sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: day('2026-03-02', 9) },
      ],
    });
    ids.mar = await seedPaper(db.ds, { title: 'Rare March', abstract: 'A paper.', topics: [{ slug: 'rare', score: 0.9 }], sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: day('2026-03-18', 9) }] });
    app = await createTestApp(db, `{${uniqueName('t-topic-nb')}}`);
    svc = app.get(ListingsService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** The days whose listing filtered by `topic` is not empty, from the source tables. */
  const daysWith = async (topic: string): Promise<string[]> =>
    (
      await db.ds.query(
        `SELECT DISTINCT d.day::text AS day FROM paper_days d JOIN paper_topics pt ON pt.paper_id = d.paper_id WHERE pt.topic_slug = $1 ORDER BY 1`,
        [topic],
      )
    ).map((r: { day: string }) => r.day);

  /**
   * What readers take from topic_days is exactly the true facts: (topic, false, day) for each topic and day of the join
   * of paper_days and paper_topics, (topic, true, day) for each topic of a paper and that paper's first day; once the
   * sweeper has pruned (pruneTopicDays), the table holds those alone, once each.
   */
  const expectTableInSync = async (after: string) => {
    const { truth, read, pruned } = await topicDaysNowAndPruned(db.ds);
    expect({ after, read, pruned }).toEqual({ after, read: truth, pruned: { facts: truth, suspects: 0 } });
  };
  /** Whether readers take (topic, first, day) as a fact: in topic_days, and not suspected or verified. */
  const fact = async (topic: string, first: boolean, d: string): Promise<boolean> =>
    (
      await db.ds.query(
        `SELECT 1 FROM topic_days WHERE topic_slug = $1 AND first = $2 AND day = $3
            AND (NOT EXISTS (SELECT 1 FROM topic_days_stale WHERE topic_slug = $1 AND first = $2 AND day = $3) OR topic_days_holds($1, $2, $3))`,
        [topic, first, d],
      )
    ).length > 0;

  /** Runs `fn` with two transactions open on connections of their own; commits what it leaves open, then releases them. */
  const inTwoTransactions = async (fn: (a: QueryRunner, b: QueryRunner) => Promise<void>): Promise<void> => {
    const runners = [db.ds.createQueryRunner(), db.ds.createQueryRunner()];
    try {
      for (const r of runners) await r.startTransaction();
      await fn(runners[0], runners[1]);
      for (const r of runners) if (r.isTransactionActive) await r.commitTransaction();
    } finally {
      for (const r of runners) await r.release();
    }
  };

  it('/v1/daily?topic=: previousDate / nextDate are the nearest days with a paper of the topic; without a topic, any paper', async () => {
    const mid = (await http().get('/v1/daily?date=2026-03-10&topic=rare').expect(200)).body;
    expect({ total: mid.total, previousDate: mid.previousDate, nextDate: mid.nextDate }).toEqual({ total: 0, previousDate: '2026-03-02', nextDate: '2026-03-18' });
    const any = (await http().get('/v1/daily?date=2026-03-10').expect(200)).body;
    expect({ previousDate: any.previousDate, nextDate: any.nextDate }).toEqual({ previousDate: '2026-03-09', nextDate: '2026-03-11' });
    // Two topics: the nearest day with a paper of either.
    const both = (await http().get('/v1/daily?date=2026-03-10&topic=rare&topic=common').expect(200)).body;
    expect({ previousDate: both.previousDate, nextDate: both.nextDate }).toEqual({ previousDate: '2026-03-09', nextDate: '2026-03-11' });
  });

  it('following previous from the last day of a rare topic visits exactly the days listing it, each non-empty', async () => {
    const expected = await daysWith('rare');
    expect(expected).toEqual(['2026-01-06', '2026-02-27', '2026-03-02', '2026-03-18']);
    const visited: string[] = [];
    let date: string | null = '2026-03-20';
    for (let i = 0; i < 10 && date; i++) {
      const page: { date: string; total: number; previousDate: string | null } = (await http().get(`/v1/daily?date=${date}&topic=rare`).expect(200)).body;
      if (i > 0) {
        expect({ date, total: page.total > 0 }).toEqual({ date, total: true });
        visited.unshift(date);
      }
      date = page.previousDate;
    }
    expect(visited).toEqual(expected);
    // and forwards from before the first
    const forward: string[] = [];
    date = (await http().get('/v1/daily?date=2026-01-05&topic=rare').expect(200)).body.nextDate;
    for (let i = 0; i < 10 && date; i++) {
      forward.push(date);
      date = (await http().get(`/v1/daily?date=${date}&topic=rare`).expect(200)).body.nextDate;
    }
    expect(forward).toEqual(expected);
  });

  it("the Daily Papers page's prev / next links keep the topic and land on its days", async () => {
    const html = (await http().get('/?date=2026-03-10&topic=rare').expect(200)).text;
    const href = (rel: string) => new RegExp(`<a href="([^"]*)" rel="${rel}" data-testid="period-${rel}"`).exec(html)?.[1].replace(/&amp;/g, '&');
    expect({ prev: href('prev'), next: href('next') }).toEqual({ prev: '/?date=2026-03-02&topic=rare', next: '/?date=2026-03-18&topic=rare' });
  });

  it('a week or month filtered by topic links the nearest period whose filtered listing has a paper (a paper counts in the period of its first day)', async () => {
    const nb = async (period: { kind: 'week'; week: string } | { kind: 'month'; month: string }, topic?: string) => {
      const page = await svc.list({ period, topic: topic ? [topic] : undefined, limit: 10 }, now);
      return { previous: page.previous, next: page.next };
    };
    // Week 11 (Mar 9-15): week 10 lists no rare paper (the one featured on Mar 2 first appeared on Feb 27, week 9).
    expect(await nb({ kind: 'week', week: '2026-W11' }, 'rare')).toEqual({ previous: '2026-W09', next: '2026-W12' });
    expect((await svc.list({ period: { kind: 'week', week: '2026-W10' }, topic: ['rare'], limit: 10 }, now)).total).toBe(0);
    expect((await svc.list({ period: { kind: 'week', week: '2026-W09' }, topic: ['rare'], limit: 10 }, now)).total).toBe(1);
    expect(await nb({ kind: 'week', week: '2026-W09' }, 'rare')).toEqual({ previous: '2026-W02', next: '2026-W12' });
    expect(await nb({ kind: 'week', week: '2026-W12' }, 'rare')).toEqual({ previous: '2026-W09', next: null });
    expect(await nb({ kind: 'month', month: '2026-03' }, 'rare')).toEqual({ previous: '2026-02', next: null });
    expect(await nb({ kind: 'month', month: '2026-02' }, 'rare')).toEqual({ previous: '2026-01', next: '2026-03' });
    // Without a topic: the adjacent period, as before.
    expect(await nb({ kind: 'week', week: '2026-W11' })).toEqual({ previous: '2026-W10', next: '2026-W12' });
    const html = (await http().get('/?week=2026-W11&topic=rare').expect(200)).text;
    expect(html).toContain('href="/?week=2026-W09&amp;topic=rare" rel="prev"');
  });

  it('the table follows every write: topics replaced, an earlier sighting, a removed sighting day, a deleted paper', async () => {
    await expectTableInSync('seeded');
    // Re-classified without the topic: its day is no longer a rare day.
    expect([await fact('rare', false, '2026-03-18'), await fact('rare', true, '2026-03-18')]).toEqual([true, true]);
    await replacePaperTopics(db.ds, [ids.mar], [{ paper_id: ids.mar, topic_slug: 'common', score: 0.7, is_primary: true, evidence: [], model_version: 'test-2', content_hash: 'h' }]);
    expect((await http().get('/v1/daily?date=2026-03-10&topic=rare').expect(200)).body.nextDate).toBeNull();
    expect([await fact('rare', false, '2026-03-18'), await fact('rare', true, '2026-03-18')]).toEqual([false, false]);
    await expectTableInSync('rare removed from its only paper of 2026-03-18');
    // An earlier sighting moves the paper's first day (week and month follow); its days stay listed.
    await db.ds.query(`INSERT INTO paper_sources (paper_id, source_id, source_kind, featured_at) VALUES ($1, $2, 'hf-daily-papers', $3)`, [ids.jan, arxiv, day('2025-12-30')]);
    await refreshReadModel(db.ds, [ids.jan]);
    // its old first day's fact goes (no other rare paper first listed on 2026-01-06); common's stays (that day's paper)
    expect([await fact('rare', true, '2026-01-06'), await fact('rare', false, '2026-01-06'), await fact('common', true, '2026-01-06')]).toEqual([false, true, true]);
    expect(await fact('rare', true, '2025-12-30')).toBe(true);
    await expectTableInSync('an earlier day added');
    expect(await svc.list({ period: { kind: 'month', month: '2026-02' }, topic: ['rare'], limit: 10 }, now)).toMatchObject({ previous: '2025-12' });
    // A sighting removed: its day goes.
    await db.ds.query(`DELETE FROM paper_sources WHERE paper_id = $1 AND source_id = $2`, [ids.feb, hf]);
    await refreshReadModel(db.ds, [ids.feb]);
    await expectTableInSync('a sighting day removed');
    expect(await daysWith('rare')).toEqual(['2025-12-30', '2026-01-06', '2026-02-27']);
    expect((await http().get('/v1/daily?date=2026-03-10&topic=rare').expect(200)).body.previousDate).toBe('2026-02-27');
    // A deleted paper.
    await db.ds.query(`DELETE FROM papers WHERE id = $1`, [ids.feb]);
    await expectTableInSync('a paper deleted');
    expect((await http().get('/v1/daily?date=2026-03-10&topic=rare').expect(200)).body.previousDate).toBe('2026-01-06');
    // Emptied with the catalogue.
    await db.ds.query(`TRUNCATE papers CASCADE`);
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM topic_days`)).toEqual([{ n: 0 }]);
    expect((await http().get('/v1/daily?date=2026-03-10&topic=rare').expect(200)).body).toMatchObject({ previousDate: null, nextDate: null });
  });
  it('the table follows a one-statement re-classification, a score update, a renamed or dropped topic, a first day removed, and a delete racing an insert', async () => {
    // X (rare, common) listed on 2025-06-02 (arXiv) and 2025-06-04 (HF); Y (common) on 2025-06-02.
    const x = await seedPaper(db.ds, {
      title: 'X',
      abstract: 'A paper.',
      publishedAt: day('2025-06-02', 10),
      topics: [{ slug: 'rare', score: 0.9 }, { slug: 'common', score: 0.5 }],
      sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }, { sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: day('2025-06-04') }],
    });
    const y = await seedPaper(db.ds, { title: 'Y', abstract: 'A paper.', publishedAt: day('2025-06-02', 11), topics: [{ slug: 'common', score: 0.5 }], sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }] });
    await expectTableInSync('X and Y seeded');
    const before = await db.ds.query(`SELECT * FROM topic_days ORDER BY 1, 2, 3`);
    // The classifier's save: its topics deleted and re-inserted in one statement (the delete trigger sees them back).
    await db.ds.query(
      `WITH d AS (DELETE FROM paper_topics WHERE paper_id = $1 RETURNING *)
       INSERT INTO paper_topics (paper_id, topic_slug, score, is_primary, evidence, model_version, content_hash)
       SELECT paper_id, topic_slug, score, is_primary, evidence, 'test-3', content_hash FROM d`,
      [x],
    );
    await db.ds.query(`UPDATE paper_topics SET score = 0.1 WHERE paper_id = $1`, [x]);
    expect(await db.ds.query(`SELECT * FROM topic_days ORDER BY 1, 2, 3`)).toEqual(before);
    // A renamed topic (cascades to paper_topics as an update), renamed back; a dropped one.
    await db.ds.query(`UPDATE topics SET slug = 'rare-renamed' WHERE slug = 'rare'`);
    expect([await fact('rare', false, '2025-06-02'), await fact('rare-renamed', false, '2025-06-02')]).toEqual([false, true]);
    await expectTableInSync('a topic renamed');
    await db.ds.query(`UPDATE topics SET slug = 'rare' WHERE slug = 'rare-renamed'`);
    await seedTopic(db.ds, 'dropped', 'Dropped');
    await db.ds.query(`INSERT INTO paper_topics (paper_id, topic_slug, score, model_version, content_hash) VALUES ($1, 'dropped', 0.5, 't', 'h')`, [y]);
    expect(await fact('dropped', true, '2025-06-02')).toBe(true);
    await db.ds.query(`DELETE FROM topics WHERE slug = 'dropped'`);
    expect(await fact('dropped', true, '2025-06-02')).toBe(false);
    await expectTableInSync('a topic dropped');

    // Y gains 'rare' in a transaction not yet committed (its facts are already there: X's, so it writes none) while
    // another removes 'rare' from X: the removal waits for nothing (it marks X's facts suspect) and commits first; the
    // sweeper keeps the facts Y supports once Y's transaction has committed, so 2025-06-02 stays a rare day; 2025-06-04
    // (X only) goes.
    await inTwoTransactions(async (t1, t2) => {
      await t1.query(`INSERT INTO paper_topics (paper_id, topic_slug, score, model_version, content_hash) VALUES ($1, 'rare', 0.8, 't', 'h')`, [y]);
      await t2.query(`DELETE FROM paper_topics WHERE paper_id = $1 AND topic_slug = 'rare'`, [x]);
      await t2.commitTransaction();
      expect([await fact('rare', false, '2025-06-02'), await fact('rare', false, '2025-06-04')]).toEqual([false, false]);
      await t1.commitTransaction();
    });
    expect([await fact('rare', false, '2025-06-02'), await fact('rare', true, '2025-06-02'), await fact('rare', false, '2025-06-04')]).toEqual([true, true, false]);
    await expectTableInSync('a delete racing an insert');

    // X's first day removed (its arXiv sighting): its first day moves to 2025-06-04.
    await db.ds.query(`DELETE FROM paper_sources WHERE paper_id = $1 AND source_id = $2`, [x, arxiv]);
    await refreshReadModel(db.ds, [x]);
    expect([await fact('common', true, '2025-06-04'), await fact('common', true, '2025-06-02')]).toEqual([true, true]);
    await expectTableInSync('a first day removed');
    await db.ds.query(`DELETE FROM paper_days WHERE paper_id = $1`, [y]);
    expect([await fact('common', true, '2025-06-02'), await fact('rare', false, '2025-06-02')]).toEqual([false, false]);
    await expectTableInSync('all days of a paper deleted');
  });

  it("a parser's refresh moving a paper's day and a writer removing a topic of that day wait for neither", async () => {
    // P (rare) and Q (common) listed on 2025-08-01; P moves to 2025-10-04 (64 days later: the same lock bucket before).
    const p = await seedPaper(db.ds, { title: 'P', abstract: 'A paper.', publishedAt: day('2025-08-01', 10), topics: [{ slug: 'rare', score: 0.9 }], sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }] });
    const q = await seedPaper(db.ds, { title: 'Q', abstract: 'A paper.', publishedAt: day('2025-08-01', 11), topics: [{ slug: 'common', score: 0.5 }], sightings: [{ sourceId: arxiv, sourceKind: 'arxiv-api' }] });
    await inTwoTransactions(async (writer, parser) => {
      await writer.query(`INSERT INTO paper_topics (paper_id, topic_slug, score, model_version, content_hash) VALUES ($1, 'rare', 0.8, 't', 'h')`, [q]);
      await parser.query(`UPDATE papers SET published_at = $2 WHERE id = $1`, [p, day('2025-10-04', 10)]);
      // Each runs to its end with the other open: the triggers insert facts and suspects only, and wait for no one.
      await refreshReadModel(parser.manager, [p]);
      await writer.query(`DELETE FROM paper_topics WHERE paper_id = $1 AND topic_slug = 'common'`, [q]);
      await writer.commitTransaction();
    });
    expect([await fact('rare', false, '2025-08-01'), await fact('rare', false, '2025-10-04'), await fact('common', false, '2025-08-01')]).toEqual([true, true, false]);
    await expectTableInSync('a day moved while another writer held that day');
  });
});
