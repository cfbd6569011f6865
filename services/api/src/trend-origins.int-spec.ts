import 'reflect-metadata';
import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// Review 26: an arXiv entry ingested, then the same file added as a file source and polled, trended (trendingScore 3,
// the only paper of the 24 h window, "– upvotes"), and its Sightings table showed two identical "arXiv" rows. A second
// source row of the same public origin is no signal; Hugging Face next to arXiv is.
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('trending counts public origins, not source rows', () => {
  const api = useTestApi('t_trend_origins', async ({ ds }) => {
    const api1 = await seedSource(ds, 'arxiv-api-today', 'arxiv-api');
    const rss = await seedSource(ds, 'arxiv-rss-cs', 'arxiv-rss');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    // a file source replaying an arXiv API export: its documents are read as arxiv-api
    const file = await seedSource(ds, 'today-file', 'file');
    await ds.query(`UPDATE sources SET params = '{"format": "arxiv-api"}'::jsonb WHERE id = $1`, [file]);
    await seedPaper(ds, {
      title: 'Two arXiv feeds carry this paper',
      abstract: 'No upvotes, comments or stars.',
      arxivId: '2612.30001',
      publishedAt: hoursAgo(3),
      sightings: [
        { sourceId: api1, sourceKind: 'arxiv-api' },
        { sourceId: file, sourceKind: 'file' },
        { sourceId: rss, sourceKind: 'arxiv-rss', featuredAt: hoursAgo(2) },
      ],
    });
    await seedPaper(ds, {
      title: 'Hugging Face and arXiv carry this paper',
      abstract: 'Listed on both.',
      arxivId: '2612.30002',
      publishedAt: hoursAgo(3),
      sightings: [
        { sourceId: api1, sourceKind: 'arxiv-api' },
        { sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: hoursAgo(2) },
      ],
    });
  });
  const http = api.http;

  it('a paper two arXiv sources carry has no signal; one Hugging Face and arXiv carry has the extra source’s 3', async () => {
    const arxivOnly = (await http().get('/v1/papers/2612.30001').expect(200)).body as { trendingScore: number; hasTrendingSignal: boolean };
    expect({ score: arxivOnly.trendingScore, signal: arxivOnly.hasTrendingSignal }).toEqual({ score: 0, signal: false });
    const both = (await http().get('/v1/papers/2612.30002').expect(200)).body as { trendingScore: number; hasTrendingSignal: boolean };
    expect(both.hasTrendingSignal).toBe(true);
    // signal 3, listed 3 h ago (its arXiv publication): 3·2^(−3/48) ≈ 2.87
    expect(both.trendingScore).toBeGreaterThan(2.8);
    expect(both.trendingScore).toBeLessThanOrEqual(3);
    const trending = (await http().get('/v1/trending?window=24h').expect(200)).body as { items: { arxivId: string; hasTrendingSignal: boolean }[] };
    expect(trending.items.map((i) => [i.arxivId, i.hasTrendingSignal])).toEqual([['2612.30002', true]]);
    const tab = (await http().get('/?tab=trending&window=24h').expect(200)).text;
    expect(tab).toContain('Hugging Face and arXiv carry this paper');
    expect(tab).not.toContain('Two arXiv feeds carry this paper');
  });

  it('the paper page shows one Sightings row per public origin, saying how it was read', async () => {
    const page = (await http().get('/papers/2612.30001').expect(200)).text;
    const table = /<table class="data" data-testid="sightings">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    const rows = [...table.matchAll(/<tr><th scope="row">([\s\S]*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
    expect(rows).toEqual(['arXiv (3 sightings, through the arXiv API and the arXiv RSS feed)']);
  });
});
