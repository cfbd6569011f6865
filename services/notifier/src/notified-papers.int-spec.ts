import {
  countBackfillPapers,
  loadStageRefs,
  loadStageWork,
  papersNotifiedInWindow,
  papersNotifiedSince,
  TRENDING_DIGEST_HOURS,
  trendKey,
} from '@paperwire/db';
import { createTestDb, seedBarePapers, type TestDb } from '@paperwire/testing';

// The notifier's reads of notified papers (served by idx_paper_stages_notified): a resumed
// subscription's backfill and its count, and a digest's window. Results only: bounds, order, limits,
// and papers notified once but back in the pipeline with a new version.
describe('notified papers (Postgres)', () => {
  let db: TestDb;
  const T0 = new Date('2026-11-30T00:00:00.000Z');
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  /** paper ids by name */
  const ids: Record<string, string> = {};

  /**
   * A paper notified at T0 + `minutes` (null: never), published at `published`, with a trending signal: a
   * read-model row whose trend_key is the signal's, all first seen at T0 (so the key order is the signal
   * order) unless `t0` says when it first appeared; signal null: no read-model row (never sighted).
   */
  async function paper(
    name: string,
    minutes: number | null,
    published: Date,
    signal: number | null = null,
    stage = 'notified',
    t0 = T0,
  ) {
    const [ref] = await seedBarePapers(db.ds, 1, name);
    await db.ds.query(`UPDATE papers SET published_at = $2 WHERE id = $1`, [ref.paperId, published]);
    if (signal !== null)
      await db.ds.query(
        `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, sources, signal, trend_key)
         VALUES ($1, $2::timestamptz, $2::timestamptz::date, $2::timestamptz::date, $2::timestamptz::date, 1, $3, $4)`,
        [ref.paperId, t0, signal, trendKey(signal, t0)],
      );
    await db.ds.query(`UPDATE paper_stages SET stage = $2, notified_at = $3 WHERE paper_id = $1`, [
      ref.paperId,
      stage,
      minutes === null ? null : at(minutes),
    ]);
    ids[name] = ref.paperId;
  }

  beforeAll(async () => {
    db = await createTestDb('notified');
    await paper('before', -1, at(-100));
    await paper('atStart', 0, at(-50), 5);
    await paper('tieA', 10, at(-10), 1);
    await paper('tieB', 10, at(-20), 9);
    await paper('late', 30, at(-200), 0); // sighted, no signal: no trend key
    await paper('atEnd', 60, at(0));
    // notified once, then sent back to parsed by a new version (the reset trigger clears notified_at):
    // not notified until it is again
    await paper('reparsed', 20, at(-5), 50);
    await db.ds.query(`UPDATE papers SET content_hash = md5(content_hash) WHERE id = $1`, [ids.reparsed]);
    await paper('unfinished', null, at(-1), null, 'extracted');
    // a paper that trended months ago and only now finished the pipeline (a backfill): new, signalled, not trending
    await paper(
      'backfilled',
      40,
      at(-300),
      500,
      'notified',
      new Date(T0.getTime() - (TRENDING_DIGEST_HOURS + 1) * 3_600_000),
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  const names = (got: string[]) => got.map((id) => Object.keys(ids).find((k) => ids[k] === id));

  it('papersNotifiedSince: from `since` on (inclusive), by notified_at then id, up to the limit', async () => {
    const ties = [ids.tieA, ids.tieB].sort();
    expect(await papersNotifiedSince(db.ds, at(0), 100)).toEqual([
      ids.atStart,
      ...ties,
      ids.late,
      ids.backfilled,
      ids.atEnd,
    ]);
    expect(await papersNotifiedSince(db.ds, at(0), 2)).toEqual([ids.atStart, ties[0]]);
    expect(names(await papersNotifiedSince(db.ds, at(31), 100))).toEqual(['backfilled', 'atEnd']);
    expect(await papersNotifiedSince(db.ds, at(61), 100)).toEqual([]);
  });

  it('countBackfillPapers of a subscription with nothing pending: counts the same papers, capped at max', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    expect(await countBackfillPapers(db.ds, none, at(0), at(0), 100)).toBe(6);
    expect(await countBackfillPapers(db.ds, none, at(-5), at(-5), 3)).toBe(3);
    expect(await countBackfillPapers(db.ds, none, at(61), at(61), 100)).toBe(0);
  });

  it("papersNotifiedInWindow: [start, end), the signalled by trend key then the rest newest published first, or by the read model's trend key (papers with a signal that first appeared within the Trending tab's window), up to the limit", async () => {
    // a "new papers" digest cut to its limit keeps the most notable: signal (trend key) first, then newest
    expect(names(await papersNotifiedInWindow(db.ds, at(0), at(60), 'recent', 100))).toEqual([
      'backfilled',
      'tieB',
      'atStart',
      'tieA',
      'late',
    ]);
    expect(names(await papersNotifiedInWindow(db.ds, at(0), at(60), 'recent', 2))).toEqual(['backfilled', 'tieB']);
    expect(names(await papersNotifiedInWindow(db.ds, at(0), at(60), 'trending', 100))).toEqual([
      'tieB',
      'atStart',
      'tieA',
    ]);
    expect(names(await papersNotifiedInWindow(db.ds, at(0), at(60), 'trending', 2))).toEqual([
      'tieB',
      'atStart',
    ]);
    expect(names(await papersNotifiedInWindow(db.ds, at(-1), at(0), 'recent', 100))).toEqual(['before']);
    expect(await papersNotifiedInWindow(db.ds, at(61), at(120), 'recent', 100)).toEqual([]);
  });

  it('loadStageRefs: splits the refs of a job as loadStageWork does, without the text of the papers', async () => {
    const rows: { paperId: string; contentHash: string }[] = await db.ds.query(
      `SELECT paper_id AS "paperId", content_hash AS "contentHash" FROM paper_stages ORDER BY paper_id`,
    );
    const refs = [
      ...rows,
      { paperId: ids.unfinished!, contentHash: 'an older hash' },
      { paperId: '00000000-0000-4000-8000-000000000000', contentHash: 'x' },
    ];
    const work = await loadStageWork(db.ds, refs, 'notified');
    const light = await loadStageRefs(db.ds, refs, 'notified');
    expect(light).toEqual({
      ...work,
      // and when each first reached `notified` (null: never, a new paper)
      todo: work.todo.map(({ id, contentHash, stage }) => ({ id, contentHash, stage, firstNotifiedAt: null })),
    });
    expect(names(light.todo.map((p) => p.id))).toEqual(['unfinished']);
    expect(light.done).toHaveLength(7);
    expect(light.skipped).toBe(3);
  });
});
