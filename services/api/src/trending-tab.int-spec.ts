import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { ListingsService } from './listings/listings.service';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// The trending tab lists more papers than one page: its count is the window's, and "More papers" pages it.
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const titles = (html: string) => [...html.matchAll(/Trending tab paper (\d+)\b/g)].map((m) => Number(m[1]));

describe('the trending tab pages its window', () => {
  const api = useTestApi('t_trending_tab', async ({ ds }) => {
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    for (let i = 0; i < 35; i++)
      await seedPaper(ds, {
        title: `Trending tab paper ${i}`,
        abstract: `Paper ${i} of the trending window.`,
        arxivId: `2612.${String(10000 + i)}`,
        topics: i % 10 === 0 ? [{ slug: 'rag', score: 0.9, primary: true }] : undefined,
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 100 - i, featuredAt: hoursAgo(2) }],
      });
    // well upvoted but older than the 24-hour window: counted in 7 days only; no signal: never counted
    await seedPaper(ds, {
      title: 'An older paper',
      abstract: 'Older than a day.',
      arxivId: '2612.20000',
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5000, featuredAt: hoursAgo(30) }],
    });
    await seedPaper(ds, {
      title: 'A paper without signal',
      abstract: 'No upvotes.',
      arxivId: '2612.20001',
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 0, featuredAt: hoursAgo(1) }],
    });
  });
  const http = api.http;

  it('says the window’s count, not the page size, and its next page lists the rest once', async () => {
    const first = (await http().get('/?tab=trending&window=24h').expect(200)).text;
    expect(/data-testid="total">([^<]*)</.exec(first)?.[1]).toBe('35 papers');
    const shown = new Set(titles(first));
    expect(shown.size).toBe(30);
    const next = /href="([^"]*)" rel="next" data-testid="next-page"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toMatch(/^\/\?tab=trending&window=24h&cursor=/);
    const second = (await http().get(next!).expect(200)).text;
    const rest = titles(second);
    expect(rest.length).toBe(5);
    for (const t of rest) expect(shown.has(t)).toBe(false);
    expect(second).not.toContain('data-testid="next-page"');
    expect(/data-testid="total">([^<]*)</.exec(second)?.[1]).toBe('35 papers');
    // numbered on from the first page (review 26: every "More papers" page started again at 1)
    expect(first).toContain('<ol class="papers" data-testid="papers">');
    expect(second).toContain('<ol class="papers" start="31" data-testid="papers">');
    expect(second).toContain('id="paper-31"');
    expect(second).not.toContain('id="paper-1"');
  });

  it('numbers a week\'s next page on from the one before, in both orders; an older cursor without the count still works', async () => {
    const listings = api.app.get(ListingsService);
    const t0 = new Date(Date.now() - 2 * 3_600_000);
    // the ISO week of the papers' listing day (featured two hours ago)
    const d = new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth(), t0.getUTCDate()));
    d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
    const week = `${d.getUTCFullYear()}-W${String(Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7)).padStart(2, '0')}`;
    for (const sort of ['rank', 'published'] as const) {
      const first = await listings.rangeListing({ kind: 'week', week }, sort, { limit: 20 });
      expect(first.firstRank).toBe(1);
      const second = await listings.rangeListing({ kind: 'week', week }, sort, { limit: 20, cursor: first.nextCursor! });
      expect(second.firstRank).toBe(21);
      expect(second.ids.some((id) => first.ids.includes(id))).toBe(false);
      // a cursor made before the count was kept: its keys alone (the page numbered from 1)
      const c = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as { s: string; k: unknown[] };
      const old = Buffer.from(JSON.stringify({ s: c.s, k: c.k.slice(0, -1) })).toString('base64url');
      const fromOld = await listings.rangeListing({ kind: 'week', week }, sort, { limit: 20, cursor: old });
      expect([fromOld.ids, fromOld.firstRank]).toEqual([second.ids, 1]);
    }
  });

  it('counts the window under the topic filter, and only papers with a signal that first appeared in it', async () => {
    const total = async (q: string) => /data-testid="total">([^<]*)</.exec((await http().get(`/?${q}`).expect(200)).text)?.[1];
    expect(await total('tab=trending&window=24h&topic=rag')).toBe('4 papers');
    expect(await total('tab=trending&window=7d')).toBe('36 papers');
  });

  it('a page link that is not a cursor is the 400 page', async () => {
    const res = await http().get('/?tab=trending&window=24h&cursor=zz').set('Accept', 'text/html');
    expect(res.status).toBe(400);
  });
});
