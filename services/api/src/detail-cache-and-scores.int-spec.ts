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
});
