import { useTestDb } from './jest';
import { PAPER_NUMBER_SQL, seedBarePapers, seedNumberedPapers, seedPaper } from './seed';

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

  it('numbered papers: paper i is dated (i × step) mod wrap minutes back, none when nullEvery divides i', async () => {
    await seedNumberedPapers(db().ds, 12, { published: { step: 7, wrap: 30, nullEvery: 5 }, created: { step: 2 } });
    const rows: { i: number; title: string; published: number | null; created: number }[] = await db().ds.query(
      `SELECT ${PAPER_NUMBER_SQL} AS i, title, round(extract(epoch FROM now() - published_at) / 60)::int AS published,
              round(extract(epoch FROM now() - created_at) / 60)::int AS created
         FROM papers WHERE paper_key LIKE 'arxiv:2601.%' ORDER BY 1`,
    );
    expect(rows).toEqual(
      Array.from({ length: 12 }, (_, k) => ({ i: k + 1, title: `Paper ${k + 1}`, published: (k + 1) % 5 === 0 ? null : ((k + 1) * 7) % 30, created: (k + 1) * 2 })),
    );
    await expect(seedNumberedPapers(db().ds, 100_000)).rejects.toThrow(/1…99,999/);
  });
});
