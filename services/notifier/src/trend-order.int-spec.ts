import { papersNotifiedInWindow, trendingWindowPage, trendKey } from '@paperwire/db';
import { useTestDb } from '@paperwire/testing/jest';

// The same score (a tie: same signal, same first sighting) was listed one way on the Trending tab and the other way
// in the "Trending papers" digest. One order, the score then the id, is shared by both (real Postgres).
describe('the trending order of a tie, on the Trending tab and in the digest', () => {
  const db = useTestDb('trend_order');

  it('lists papers of the same trending score in the same order in both', async () => {
    const ds = db().ds;
    const seen = new Date(Date.now() - 3600_000);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      // published dates against the id order: a tie broken by date reads differently from one broken by id
      const [{ id }] = await ds.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash, published_at)
         VALUES ($1, $1, 'Tie.', 'h', now() - make_interval(days => $2)) RETURNING id`,
        [`arxiv:2612.1000${i}`, i],
      );
      ids.push(id);
      await ds.query(`UPDATE paper_stages SET stage = 'notified', notified_at = now() - interval '1 minute' WHERE paper_id = $1`, [id]);
      await ds.query(
        `INSERT INTO paper_read (paper_id, t0, day0, week0, month0, sources, signal, trend_key)
         VALUES ($1, $2::timestamptz, $2::timestamptz::date, $2::timestamptz::date, $2::timestamptz::date, 1, 5, $3)`,
        [id, seen, trendKey(5, seen)],
      );
    }
    const now = new Date();
    const tab = (await trendingWindowPage(ds, { now, hours: 24, limit: 10, offset: 0 })).map((r) => r.paper_id);
    const digest = await papersNotifiedInWindow(ds, new Date(now.getTime() - 86_400_000), now, 'trending', 10);
    expect(tab).toHaveLength(6);
    expect(digest).toEqual(tab);
    expect(tab).toEqual([...ids].sort().reverse());
  });
});
