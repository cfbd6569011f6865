import { useTestDb } from './jest';
import { seedBarePapers, seedPaper } from './seed';

// The pipeline keeps notified_at set exactly while a paper is at 'notified' (the partial indexes of
// 1795630000000 and every read of notified papers rely on it); seeded papers keep it too.
describe('seeded papers and notified_at', () => {
  const db = useTestDb('seed');

  const stageRow = async (id: string): Promise<{ stage: string; notified_ago: number | null }> =>
    (
      await db().ds.query(
        `SELECT stage, extract(epoch FROM now() - notified_at)::float8 AS notified_ago FROM paper_stages WHERE paper_id = $1`,
        [id],
      )
    )[0];

  it('a paper seeded at notified has notified_at: now by default, stageAgo.notified when given', async () => {
    const now = await seedPaper(db().ds, { title: 'Notified now', abstract: 'A.', stage: 'notified' });
    expect(await stageRow(now)).toEqual({ stage: 'notified', notified_ago: expect.any(Number) });
    expect((await stageRow(now)).notified_ago).toBeLessThan(60);

    const hourAgo = await seedPaper(db().ds, {
      title: 'Notified an hour ago',
      abstract: 'B.',
      stage: 'notified',
      stageAgo: { parsed: 4000, notified: 3600 },
    });
    expect((await stageRow(hourAgo)).notified_ago).toBeGreaterThanOrEqual(3600);
    expect((await stageRow(hourAgo)).notified_ago).toBeLessThan(3660);
  });

  it('a paper seeded at an earlier stage has no notified_at, whatever stageAgo says', async () => {
    const id = await seedPaper(db().ds, {
      title: 'Extracted',
      abstract: 'C.',
      stage: 'extracted',
      stageAgo: { notified: 10 },
    });
    expect(await stageRow(id)).toEqual({ stage: 'extracted', notified_ago: null });
  });

  it('bare papers moved to notified have notified_at, moved elsewhere none', async () => {
    const notified = await seedBarePapers(db().ds, 3, 'seed-notified', { stage: 'notified' });
    const extracted = await seedBarePapers(db().ds, 2, 'seed-extracted', { stage: 'extracted' });
    for (const r of notified) expect((await stageRow(r.paperId)).notified_ago).toEqual(expect.any(Number));
    for (const r of extracted)
      expect(await stageRow(r.paperId)).toEqual({ stage: 'extracted', notified_ago: null });
  });
});
