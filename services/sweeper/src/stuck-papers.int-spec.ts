import { resetPapersToStage, stuckPapers } from '@paperwire/db';
import { createTestDb, seedBarePapers, type TestDb } from '@paperwire/testing';

// The sweeper's read of paper_stages (served by idx_paper_stages_in_flight): which papers count as
// stuck in a stage, in what order, and that a paper moving on leaves the result.
describe('stuckPapers (Postgres)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('stuck');
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** `n` papers at `stage` since `secondsAgo` (one second apart, the first oldest). */
  async function papersAt(tag: string, stage: string, secondsAgo: number, n = 1) {
    const refs = await seedBarePapers(db.ds, n, tag, { stage });
    for (const [i, r] of refs.entries()) {
      await db.ds.query(
        `UPDATE paper_stages SET stage_at = now() - make_interval(secs => $2), notified_at = CASE WHEN stage = 'notified' THEN now() END
          WHERE paper_id = $1`,
        [r.paperId, secondsAgo - i],
      );
    }
    return refs;
  }

  it('returns the papers of one stage older than the threshold, oldest first, up to the limit', async () => {
    const parsedOld = await papersAt('parsed-old', 'parsed', 600, 3);
    await papersAt('parsed-fresh', 'parsed', 10);
    const classifiedOld = await papersAt('classified-old', 'classified', 900);
    const extractedOld = await papersAt('extracted-old', 'extracted', 120);
    await papersAt('notified-old', 'notified', 3600, 2);

    expect(await stuckPapers(db.ds, 'parsed', 60, 100)).toEqual(parsedOld);
    expect(await stuckPapers(db.ds, 'parsed', 60, 2)).toEqual(parsedOld.slice(0, 2));
    expect(await stuckPapers(db.ds, 'classified', 60, 100)).toEqual(classifiedOld);
    expect(await stuckPapers(db.ds, 'extracted', 60, 100)).toEqual(extractedOld);
    expect(await stuckPapers(db.ds, 'extracted', 300, 100)).toEqual([]);
  });

  it('follows stage moves: a paper moved on leaves the stage, one sent back by a new version is in it again', async () => {
    const [moving] = await papersAt('moving', 'classified', 1200);
    expect(await stuckPapers(db.ds, 'classified', 60, 100)).toContainEqual(moving);

    await db.ds.query(
      `UPDATE paper_stages SET stage = 'notified', stage_at = now(), notified_at = now() WHERE paper_id = $1`,
      [moving.paperId],
    );
    expect(await stuckPapers(db.ds, 'classified', 60, 100)).not.toContainEqual(moving);
    expect(await stuckPapers(db.ds, 'parsed', 0, 100)).not.toContainEqual(moving);

    // A new version (the content-hash trigger resets the stage row to parsed, now).
    await db.ds.query(`UPDATE papers SET content_hash = 'v2' WHERE id = $1`, [moving.paperId]);
    expect(await stuckPapers(db.ds, 'parsed', 3600, 100)).not.toContainEqual(expect.objectContaining(moving));
    await db.ds.query(`UPDATE paper_stages SET stage_at = now() - interval '2 hours' WHERE paper_id = $1`, [
      moving.paperId,
    ]);
    expect(await stuckPapers(db.ds, 'parsed', 3600, 100)).toContainEqual({
      paperId: moving.paperId,
      contentHash: 'v2',
    });
  });

  it('a notified paper sent back by reextract (resetPapersToStage) is in flight again', async () => {
    const [back] = await papersAt('reextracted', 'notified', 1200);
    await db.ds.query(`UPDATE papers SET published_at = '2100-01-01' WHERE id = $1`, [back.paperId]);
    const { moved } = await resetPapersToStage(db.ds, {
      to: 'classified',
      from: ['extracted', 'notified'],
      column: 'extractor_version',
      version: 'test',
      since: '2099-01-01',
      all: true,
      startedAt: new Date().toISOString(),
    });
    expect(moved).toEqual([{ id: back.paperId, content_hash: back.contentHash }]);
    await db.ds.query(`UPDATE paper_stages SET stage_at = now() - interval '2 hours' WHERE paper_id = $1`, [
      back.paperId,
    ]);
    expect(await stuckPapers(db.ds, 'classified', 3600, 100)).toContainEqual(back);
  });
});
