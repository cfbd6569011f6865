import 'reflect-metadata';
import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// Over real HTTP: one paper's answer is cached like the lists it is in (Cache-Control, ETag, 304), and the
// trendingScore of a paper is the same number in /v1 and in the HF API's `paperwire` block: 0 without a signal
// (never null in one and 0 in the other), rounded to 3 decimals with one.

const FEATURED = new Date(Date.now() - 5 * 3600_000).toISOString();
const DAY = FEATURED.slice(0, 10);

describe('paper detail caching and one trendingScore', () => {
  type Signals = { id: string; upvotes: unknown; comments: unknown; githubStars: unknown };
  const signalsOf = (p: Signals) => ({ upvotes: p.upvotes, comments: p.comments, githubStars: p.githubStars });

  const ids: Record<string, string> = {};
  const api = useTestApi('t_detail_cache_scores', async ({ ds }) => {
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    ids.quiet = await seedPaper(ds, {
      title: 'A paper nobody upvoted',
      abstract: 'No signal at all.',
      arxivId: '2612.00301',
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 0, comments: 0, featuredAt: FEATURED }],
    });
    ids.loud = await seedPaper(ds, {
      title: 'A paper many upvoted',
      abstract: 'Seven upvotes and a comment, five hours ago.',
      arxivId: '2612.00302',
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 7, comments: 1, featuredAt: FEATURED }],
    });
    // Two sightings that disagree: each signal is the highest either gives (upvotes from one, stars from the other).
    const pwc = await seedSource(ds, 'pwc-like', 'hf-papers-html');
    ids.starred = await seedPaper(ds, {
      title: 'A paper with stars on its code',
      abstract: 'Two sources, one with GitHub stars.',
      arxivId: '2612.00303',
      sightings: [
        { sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 4, comments: 2, featuredAt: FEATURED },
        { sourceId: pwc, sourceKind: 'hf-papers-html', upvotes: 1, githubStars: 12 },
      ],
    });
    // No source gives a signal: null, as in the detail.
    const rss = await seedSource(ds, 'arxiv-rss-cs', 'arxiv-rss');
    ids.silent = await seedPaper(ds, {
      title: 'A paper only arXiv listed',
      abstract: 'No community signal is given for it.',
      arxivId: '2612.00304',
      sightings: [{ sourceId: rss, sourceKind: 'arxiv-rss' }],
    });
  });
  const http = api.http;

  it('/v1/papers/{id} has the lists\' Cache-Control, a weak ETag and answers 304 to it', async () => {
    const list = await http().get('/v1/papers').expect(200);
    for (const path of [`/v1/papers/${ids.quiet}`, '/v1/papers/2612.00301']) {
      const res = await http().get(path).expect(200);
      expect(res.headers['cache-control']).toBe(list.headers['cache-control']);
      expect(res.headers['cache-control']).toBe('public, max-age=30');
      expect(res.headers.etag).toMatch(/^W\/"/);
      expect(res.body.id).toBe(ids.quiet);
      await http().get(path).set('If-None-Match', res.headers.etag as string).expect(304);
    }
    await http().get('/v1/papers/2612.99999').expect(404);
  });

  it('a paper without a signal scores 0 in /v1 and in the HF API; one with a signal the same rounded number', async () => {
    const hfItems = (await http().get(`/api/daily_papers?date=${DAY}`).expect(200)).body as {
      paper: { id: string };
      paperwire: { trendingScore: unknown };
    }[];
    const hfScore = (arxiv: string) => hfItems.find((i) => i.paper.id === arxiv)?.paperwire.trendingScore;
    const quiet = (await http().get(`/v1/papers/${ids.quiet}`).expect(200)).body;
    expect(quiet.trendingScore).toBe(0);
    expect(hfScore('2612.00301')).toBe(0);
    const loud = (await http().get(`/v1/papers/${ids.loud}`).expect(200)).body;
    expect(loud.trendingScore).toBeGreaterThan(0);
    expect(loud.trendingScore).toBe(Math.round(loud.trendingScore * 1000) / 1000);
    expect(hfScore('2612.00302')).toBe(loud.trendingScore);
    const listed = (await http().get('/v1/papers?sort=trending').expect(200)).body.items as { id: string; trendingScore: number }[];
    expect(listed.find((p) => p.id === ids.loud)?.trendingScore).toBe(loud.trendingScore);
  });

  it('/v1/papers items carry the detail\'s upvotes, comments and githubStars (highest over the sightings, null without one)', async () => {
    const expected: Record<string, ReturnType<typeof signalsOf>> = {
      [ids.quiet]: { upvotes: 0, comments: 0, githubStars: null },
      [ids.loud]: { upvotes: 7, comments: 1, githubStars: null },
      [ids.starred]: { upvotes: 4, comments: 2, githubStars: 12 },
      [ids.silent]: { upvotes: null, comments: null, githubStars: null },
    };
    for (const sort of ['recent', 'trending']) {
      const items = (await http().get(`/v1/papers?sort=${sort}`).expect(200)).body.items as Signals[];
      expect(items.map((p) => p.id).sort()).toEqual(Object.keys(expected).sort());
      for (const p of items) {
        expect(signalsOf(p)).toEqual(expected[p.id]);
        // every item has all three keys, null included (the contract lists them as required, nullable)
        expect(Object.keys(p)).toEqual(expect.arrayContaining(['upvotes', 'comments', 'githubStars']));
        const detail = (await http().get(`/v1/papers/${p.id}`).expect(200)).body as Signals;
        expect(signalsOf(p)).toEqual(signalsOf(detail));
      }
    }
  });
});
