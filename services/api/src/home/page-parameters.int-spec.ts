import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// Review 26 (a reader's): the page silently used the first of a repeated parameter (`?topic=a&topic=b` listed a
// only, while /v1/daily lists either), advertised a topic's feeds by slug and a search's as "newest papers", and its
// subscribe form on a topic's listing offered every topic, refusing a slug typed with capitals.
describe('the page: repeated parameters, feed names, the subscribe form on a topic', () => {
  const api = useTestApi(
    't_page_params',
    async ({ ds }) => {
      await seedTopic(ds, 'peft', 'Parameter-efficient fine-tuning');
      await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
      const source = await seedSource(ds, 'hf-params', 'hf-daily-papers');
      await seedPaper(ds, {
        title: 'Adapters at scale',
        abstract: 'We train adapters for many tasks.',
        publishedAt: '2026-09-01T00:00:00Z',
        topics: [{ slug: 'peft', score: 0.9, primary: true }],
        sightings: [{ sourceId: source, sourceKind: 'hf-daily-papers', upvotes: 3, featuredAt: '2026-09-01T00:00:00Z' }],
      });
    },
    { RATE_LIMIT_PER_MINUTE: '100000' },
  );
  const http = () => api.http();

  it('answers a parameter given twice with a 400 page in the API\'s words, linking each value\'s listing', async () => {
    const res = await http().get('/?topic=peft&topic=rag&date=2026-09-01').expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('topic is given twice; give it once.');
    expect(res.text).toContain('href="/?date=2026-09-01&amp;topic=peft"');
    expect(res.text).toContain('href="/?date=2026-09-01&amp;topic=rag"');
    const dates = await http().get('/?date=2026-09-01&date=2026-06-12&date=2026-06-13').expect(400);
    expect(dates.text).toContain('date is given 3 times; give it once.');
    const cursors = await http().get('/?cursor=a&cursor=b').expect(400);
    expect(cursors.text).toContain('cursor is given twice; give it once.');
    expect(cursors.text).not.toContain('href="/?cursor=');
    // the same words as the API's
    const api400 = await http().get('/v1/daily?date=2026-09-01&date=2026-06-12').expect(400);
    expect(api400.body.errors[0].detail).toBe('date is given twice; give it once');
  });

  it('answers a tab it does not have with a 400 page linking both tabs, and takes a tab in any case', async () => {
    const res = await http().get('/?tab=trendng&topic=peft').expect(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('That is not a tab of the Daily Papers page (tab: &quot;trendng&quot;)');
    expect(res.text).toContain('href="/?topic=peft"');
    expect(res.text).toContain('href="/?tab=trending&amp;topic=peft"');
    // it used to show the daily tab, as if asked for
    expect(res.text).not.toContain('data-testid="papers"');
    // the Daily link is the daily tab, not the search a `q` beside the tab would open
    const withSearch = await http().get('/?tab=trendng&q=lora').expect(400);
    expect(withSearch.text).toContain('href="/">Daily</a>');
    const upper = await http().get('/?tab=Trending').expect(200);
    expect(upper.text).toContain('aria-current="page" data-testid="tab-trending">Trending');
    await http().get('/?tab=daily').expect(200);
    // an empty tab is no tab, as an empty topic, date or search is nothing asked: the daily tab
    for (const empty of ['/?tab=', '/?tab=%20&topic=peft'])
      expect((await http().get(empty).expect(200)).text).toContain('aria-current="page" data-testid="tab-daily">Daily');
  });

  it('names a topic\'s feeds by the topic\'s name and a search\'s by its words', async () => {
    const topic = (await http().get('/?topic=peft').expect(200)).text;
    expect(topic).toContain('title="PaperWire — Parameter-efficient fine-tuning (Atom)" href="/v1/feeds/topics/peft.atom"');
    const search = (await http().get('/?q=adapters&topic=peft').expect(200)).text;
    expect(search).toContain('title="PaperWire — papers matching “adapters” in Parameter-efficient fine-tuning (Atom)"');
    expect((await http().get('/').expect(200)).text).toContain('title="PaperWire — newest papers (Atom)"');
  });

  it('ticks the listing\'s topic in the subscribe form, and takes a posted topic in any case', async () => {
    const page = await http().get('/?topic=peft').expect(200);
    expect(page.text).toContain('<details open><summary>Only some topics (optional)</summary>');
    expect(page.text).toContain('<input type="checkbox" name="topics" value="peft" checked> Parameter-efficient fine-tuning');
    expect(page.text).toContain('<input type="checkbox" name="topics" value="rag"> Retrieval-augmented generation');
    expect((await http().get('/').expect(200)).text).not.toMatch(/<details open>|checked>/);

    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const post = (topics: string[]) =>
      http()
        .post('/subscribe')
        .set('Cookie', cookie)
        .type('form')
        .send([`email=reader%40example.com`, ...topics.map((t) => `topics=${t}`), `csrf=${encodeURIComponent(token)}`].join('&'));
    const refused = await post(['PEFT', 'nope']).expect(400);
    // a refused form keeps what existed of the reader's choice ticked
    expect(refused.text).toContain('no such topic: nope');
    expect(refused.text).toContain('value="peft" checked>');
    await post(['PEFT']).expect(200);
    const rows: { filters: unknown }[] = await api.db.ds.query(`SELECT filters FROM subscriptions WHERE owner_key_id IS NULL`);
    expect(rows).toEqual([{ filters: { topics: { slugs: ['peft'], match: 'any' } } }]);
  });
});
