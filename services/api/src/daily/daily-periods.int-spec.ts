import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// Review 26: the page and /api/daily_papers offer a week and a month, /v1/daily refused them ("unknown parameter").
// /v1/daily?week= and ?month= list what the page's week and month views list, in their order, paged by `after`.
interface Page {
  date: string | null;
  period?: { kind: string; key: string; from: string; to: string };
  previous?: string | null;
  next?: string | null;
  total: number;
  offset: number;
  nextAfter: string | null;
  items: { title: string; rank: number; hasTrendingSignal: boolean }[];
}

describe('/v1/daily with week or month', () => {
  const api = useTestApi('t_daily_periods', async ({ ds }) => {
    const hf = await seedSource(ds, 'hf-periods', 'hf-daily-papers');
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    // ISO week 2026-W36 is Aug 31 – Sep 6; five papers in it (one without upvotes), one in the week before and after
    const days = ['2026-08-31', '2026-09-01', '2026-09-02', '2026-09-03', '2026-09-05'];
    for (const [i, day] of days.entries())
      await seedPaper(ds, {
        title: `Week paper ${i}`,
        abstract: `Paper ${i} of the week.`,
        arxivId: `2609.0000${i}`,
        publishedAt: `${day}T08:00:00Z`,
        topics: i === 2 ? [{ slug: 'rag', score: 0.9, primary: true }] : undefined,
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: i === 4 ? 0 : 10 * (i + 1), featuredAt: `${day}T09:00:00Z` }],
      });
    for (const [title, day, id] of [
      ['Earlier paper', '2026-08-20', '2608.00001'],
      ['Later paper', '2026-09-15', '2609.00099'],
    ])
      await seedPaper(ds, {
        title,
        abstract: 'Another week.',
        arxivId: id,
        publishedAt: `${day}T08:00:00Z`,
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5, featuredAt: `${day}T09:00:00Z` }],
      });
  });
  const http = api.http;
  const titlesOfPage = (html: string) => [...html.matchAll(/>(Week paper \d)</g)].map((m) => m[1]);

  it('lists a week as the page does, with its period and neighbours, paged by after', async () => {
    const first = (await http().get('/v1/daily?week=2026-W36&limit=2').expect(200)).body as Page;
    expect({ date: first.date, period: first.period, previous: first.previous, next: first.next, total: first.total, offset: first.offset }).toEqual({
      date: null,
      period: { kind: 'week', key: '2026-W36', from: '2026-08-31', to: '2026-09-06' },
      previous: '2026-W34',
      next: '2026-W38',
      total: 5,
      offset: 0,
    });
    const all = [...first.items];
    let after = first.nextAfter;
    while (after) {
      const next = (await http().get(`/v1/daily?week=2026-W36&limit=2&after=${encodeURIComponent(after)}`).expect(200)).body as Page;
      all.push(...next.items);
      after = next.nextAfter;
    }
    expect(all.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
    // the page's week view, in the same order (by trending score; the paper without a signal last)
    const page = (await http().get('/?week=2026-W36').expect(200)).text;
    expect(all.map((i) => i.title)).toEqual(titlesOfPage(page));
    expect(all.at(-1)).toMatchObject({ title: 'Week paper 4', hasTrendingSignal: false });
    const published = (await http().get('/v1/daily?week=2026-W36&sort=published').expect(200)).body as Page;
    expect(published.items.map((i) => i.title)).toEqual(['Week paper 4', 'Week paper 3', 'Week paper 2', 'Week paper 1', 'Week paper 0']);
  });

  it('lists a month, under a topic filter too', async () => {
    const sept = (await http().get('/v1/daily?month=2026-09').expect(200)).body as Page;
    expect(sept.period).toEqual({ kind: 'month', key: '2026-09', from: '2026-09-01', to: '2026-09-30' });
    expect(sept.items.map((i) => i.title).sort()).toEqual(['Later paper', 'Week paper 1', 'Week paper 2', 'Week paper 3', 'Week paper 4']);
    expect(sept.previous).toBe('2026-08');
    const rag = (await http().get('/v1/daily?month=2026-09&topic=rag').expect(200)).body as Page;
    expect(rag.items.map((i) => i.title)).toEqual(['Week paper 2']);
  });

  it('refuses what a week or a month cannot take, in words', async () => {
    const problem = async (qs: string) => ((await http().get(`/v1/daily?${qs}`).expect(400)).body as { detail: string }).detail;
    expect(await problem('week=2026-W36&q=attention')).toBe('q works within a day only');
    expect(await problem('week=2026-W36&offset=2')).toBe('offset works within a day only');
    expect(await problem('week=2026-W36&date=2026-09-01')).toMatch(/one/i);
    expect(await problem('week=2026-W99')).toMatch(/week/);
    expect(await problem('month=2026-13')).toMatch(/month/);
    expect(await problem('week=2026-W36&after=bm90LWEtY3Vyc29y')).toBe('after is not valid');
    // a day's cursor is not a week's
    const day = (await http().get('/v1/daily?date=2026-09-01&limit=1').expect(200)).body as Page;
    expect(day.period).toBeUndefined();
    const month = (await http().get('/v1/daily?month=2026-09&limit=1').expect(200)).body as Page;
    expect(await problem(`week=2026-W36&after=${encodeURIComponent(month.nextAfter!)}`)).toBe('after is not valid');
  });
});
