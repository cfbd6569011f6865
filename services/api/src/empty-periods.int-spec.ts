import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const hrefOf = (html: string, testid: string) =>
  new RegExp(`<a href="([^"]*)"[^>]*data-testid="${testid}"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

// An empty page points only at a page that has papers: an empty trending window at a longer window only when that
// one lists a trending paper, and a week's or month's previous / next at the nearest period with papers (as the day
// view steps to the nearest day with papers), not at the adjacent empty one.
describe('empty pages point at pages with papers', () => {
  const api = useTestApi('t_empty_periods', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    // trending (comments, no upvotes) and first seen 12 days ago: in the last 30 days, not the last 7
    await seedPaper(ds, {
      title: 'Planning retrievers',
      abstract: 'A planning retriever lifts recall by 9%.',
      arxivId: '2611.00011',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 0, comments: 2, featuredAt: ago(12) }],
    });
    // weeks and months with papers, months apart: 2026-W10 (March 2026) and 2026-W40 (October 2026)
    for (const [n, day] of [
      [1, '2026-03-04T10:00:00Z'],
      [2, '2026-10-01T10:00:00Z'],
    ] as const)
      await seedPaper(ds, {
        title: `Listed paper ${n}`,
        abstract: `A paper listed on ${day.slice(0, 10)}.`,
        arxivId: `2610.0010${n}`,
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: day }],
      });
  });
  const http = api.http;

  it('an empty 7-day window links the last 30 days, which list the paper; an empty 24 hours links the 30 days too', async () => {
    const week = (await http().get('/?tab=trending&window=7d').expect(200)).text;
    expect(week).toContain('data-testid="empty"');
    expect(hrefOf(week, 'empty-longest')).toBe('/?tab=trending&window=30d');
    expect((await http().get('/?tab=trending&window=30d').expect(200)).text).toContain('Planning retrievers');
    expect(hrefOf((await http().get('/?tab=trending&window=24h').expect(200)).text, 'empty-longest')).toBe('/?tab=trending&window=30d');
    // a topic without trending papers: no window to offer
    await seedTopic(api.db.ds, 'speech-audio', 'Speech and audio');
    expect(hrefOf((await http().get('/?tab=trending&window=7d&topic=speech-audio').expect(200)).text, 'empty-longest')).toBeNull();
    expect(hrefOf((await http().get('/?tab=trending&window=7d&topic=rag').expect(200)).text, 'empty-longest')).toBe(
      '/?tab=trending&window=30d&topic=rag',
    );
  });

  const nav = async (q: string) => {
    const html = (await http().get(`/?${q}`).expect(200)).text;
    return { previous: hrefOf(html, 'period-prev'), next: hrefOf(html, 'period-next') };
  };

  it('a week steps over empty weeks to the nearest weeks with papers, under the topic filter too', async () => {
    expect(await nav('week=2026-W20')).toEqual({ previous: '/?week=2026-W10', next: '/?week=2026-W40' });
    expect(await nav('week=2026-W10')).toEqual({ previous: null, next: '/?week=2026-W40' });
    // the topic's only paper first appeared 12 days ago: nothing before it
    expect((await nav('week=2026-W20&topic=rag')).previous).toBeNull();
  });

  it('a month steps over empty months to the nearest months with papers', async () => {
    expect(await nav('month=2026-06')).toEqual({ previous: '/?month=2026-03', next: '/?month=2026-10' });
    expect((await nav('month=2026-10')).previous).toBe('/?month=2026-03');
  });
});
