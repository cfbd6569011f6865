import 'reflect-metadata';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(120_000);

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const MATCHES = 55;

/** The href and text of the link with this data-testid, as a browser reads them. */
function linkOf(html: string, testid: string): { href: string; text: string } | null {
  const m = new RegExp(`<a href="([^"]*)"[^>]*data-testid="${testid}"[^>]*>([^<]*)</a>`).exec(html);
  return m ? { href: m[1].replace(/&amp;/g, '&'), text: m[2] } : null;
}
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';

// Review 27 (a reader who follows one topic in a feed reader and pages through searches on a phone): a topic's
// feed was only in <head> (autodiscovery), nowhere on the page to copy; previous / next weeks and months were
// labelled by their keys ("← 2026-W10"); the trending heading said "(7d)"; a second page of a search had no way back
// to its first; a topic that does not exist pointed a reader at "/v1/topics".
describe('a reader follows a listing and pages through it', () => {
  const api = useTestApi('t_reader_follow', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    // trending (upvotes) and listed two days ago: more than one page of trending papers and of search results
    for (let i = 0; i < MATCHES; i++)
      await seedPaper(ds, {
        title: `Planning retrievers, study ${i}`,
        abstract: `A planning retriever (${i}).`,
        arxivId: `2612.${String(10000 + i)}`,
        topics: [{ slug: 'rag', score: 0.9, primary: true }],
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1 + i, featuredAt: ago(2) }],
      });
    // seen by no source with upvotes (an arXiv feed, a text capture)
    await seedPaper(ds, { title: 'An unvoted paper', abstract: 'Nobody voted on this one.', arxivId: '2612.30000' });
    // weeks and months with papers, months apart: 2026-W10 (March 2026) and 2026-W40 (October 2026)
    const days = ['2026-03-04', '2026-10-01'];
    for (const [i, day] of days.entries())
      await seedPaper(ds, {
        title: `Listed paper ${i + 1}`,
        abstract: `Listed on ${day}.`,
        arxivId: `2610.0020${i}`,
        sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: `${day}T10:00:00Z` }],
      });
  });
  const page = (path: string) => api.http().get(path).set('accept', 'text/html');

  it("a topic's page and a search's page show their feeds as links, and those feeds answer", async () => {
    const topic = mainOf((await page('/?topic=rag').expect(200)).text);
    expect(linkOf(topic, 'follow-atom')).toEqual({ href: '/v1/feeds/topics/rag.atom', text: 'Atom feed' });
    expect(linkOf(topic, 'follow-json')).toEqual({ href: '/v1/feeds/topics/rag.json', text: 'JSON Feed' });
    expect(topic).toContain('Follow “Retrieval-augmented generation” in a feed reader');
    const search = mainOf((await page('/?q=retriever&topic=rag').expect(200)).text);
    expect(linkOf(search, 'follow-atom')?.href).toBe('/v1/feeds/search.atom?q=retriever&topic=rag');
    expect(search).toContain(
      'Follow papers matching “retriever” in Retrieval-augmented generation in a feed reader',
    );
    for (const href of ['/v1/feeds/topics/rag.atom', '/v1/feeds/search.atom?q=retriever&topic=rag']) {
      const feed = await api.http().get(href).expect(200);
      expect(feed.headers['content-type']).toMatch(/application\/atom\+xml/);
      expect(feed.text).toContain('Planning retrievers, study');
    }
    // the trending tab has no feed of its own: a topic's is offered, and none for all topics
    expect(
      linkOf(mainOf((await page('/?tab=trending&topic=rag').expect(200)).text), 'follow-atom')?.href,
    ).toBe('/v1/feeds/topics/rag.atom');
    expect((await page('/?tab=trending').expect(200)).text).not.toContain('data-testid="follow"');
  });

  it('its feeds name the topics as the pages do: Atom categories labelled, a search feed titled by topic name', async () => {
    const atom = (await api.http().get('/v1/feeds/topics/rag.atom').expect(200)).text;
    expect(atom).toContain('<category term="rag" label="Retrieval-augmented generation"/>');
    const search = (await api.http().get('/v1/feeds/search.atom?q=retriever&topic=rag').expect(200)).text;
    expect(search).toContain('<title type="text">PaperWire — papers matching “retriever”, in Retrieval-augmented generation</title>');
    expect(search).not.toContain('in topic rag');
  });

  it('names the previous and next week or month as the page names its own, not by their keys', async () => {
    const week = (await page('/?week=2026-W40').expect(200)).text;
    expect(linkOf(week, 'period-prev')).toEqual({ href: '/?week=2026-W10', text: '← Week 10, 2026' });
    const march = (await page('/?week=2026-W10').expect(200)).text;
    expect(linkOf(march, 'period-next')).toEqual({ href: '/?week=2026-W40', text: 'Week 40, 2026 →' });
    const month = (await page('/?month=2026-10').expect(200)).text;
    expect(linkOf(month, 'period-prev')).toEqual({ href: '/?month=2026-03', text: '← March 2026' });
    // a day is still its date
    expect(linkOf((await page('/?date=2026-10-01').expect(200)).text, 'period-prev')?.text).toBe(
      '← 2026-03-04',
    );
  });

  it('the trending heading names its window in words', async () => {
    const html = (await page('/?tab=trending&window=30d').expect(200)).text;
    expect(html).toMatch(/<h2 id="h-list"[^>]*>Trending papers of the last 30 days </);
    expect(html).toContain('<title>Trending papers of the last 30 days — PaperWire</title>');
    expect(html).not.toContain('(30d)');
  });

  it('a later page of a search or of Trending links back to its first page; a first page does not', async () => {
    const first = (await page('/?q=retriever').expect(200)).text;
    expect(linkOf(first, 'first-page')).toBeNull();
    const next = linkOf(first, 'next-page')!.href;
    expect(linkOf((await page(next).expect(200)).text, 'first-page')).toEqual({
      href: '/?q=retriever',
      text: '← Back to the first page',
    });
    const trending = (await page('/?tab=trending&topic=rag').expect(200)).text;
    expect(linkOf(trending, 'first-page')).toBeNull();
    const later = (await page(linkOf(trending, 'next-page')!.href).expect(200)).text;
    expect(linkOf(later, 'first-page')?.href).toBe('/?tab=trending&window=7d&topic=rag');
  });

  it('a card without upvotes shows no count ("– upvotes"); one with upvotes shows them', async () => {
    const cardOf = (html: string, title: string) => /<article[\s\S]*?<\/article>/g.exec(html.slice(html.lastIndexOf('<article', html.indexOf(title))))?.[0] ?? '';
    const unvoted = cardOf((await page('/?q=unvoted').expect(200)).text, 'An unvoted paper');
    expect(unvoted).toContain('An unvoted paper');
    expect(unvoted).not.toMatch(/upvote|–/);
    const voted = cardOf((await page('/?q=%22study%2054%22').expect(200)).text, 'Planning retrievers, study 54');
    expect(voted).toContain('<div class="votes" aria-label="55 upvotes">55<small>upvotes</small></div>');
  });

  // on a phone the topic menu shows "Parameter-effi…": the heading above the papers names the topic in full
  it('cards carry no developer link (a bare "JSON"): the API record is on the paper page, for developers', async () => {
    for (const path of ['/?topic=rag', '/?tab=trending', '/?q=retriever']) {
      const main = mainOf((await page(path).expect(200)).text);
      expect(main).toContain('data-testid="link-arxiv"');
      expect({ path, json: /href="\/v1\/papers\/|>JSON</.test(main) }).toEqual({ path, json: false });
    }
  });

  it("a topic's listing names the topic in its heading, as its title does", async () => {
    for (const path of ['/?topic=rag', '/?tab=trending&topic=rag', '/?q=retriever&topic=rag', '/?week=2026-W40&topic=rag']) {
      const html = (await page(path).expect(200)).text;
      const h2 = /<h2 id="h-list"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
      expect({ path, h2: h2.endsWith(' in Retrieval-augmented generation ') }).toEqual({ path, h2: true });
    }
  });

  it("a sign-up refused for its address comes back with the reader's topics still ticked", async () => {
    const form = await page('/?topic=rag').expect(200);
    expect(form.text).toContain('<input type="checkbox" name="topics" value="rag" checked>');
    const cookie = String(form.headers['set-cookie']).split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1];
    const refused = await api
      .http()
      .post('/subscribe')
      .set('Cookie', cookie)
      .type('form')
      .send(`email=reader%40example&topics=rag&csrf=${encodeURIComponent(csrf)}`)
      .expect(400);
    expect(refused.text).toContain('data-testid="subscribe-error">email: enter a valid email address');
    // ticked and shown, so correcting the address subscribes to that topic, not to every topic
    expect(refused.text).toContain('<input type="checkbox" name="topics" value="rag" checked>');
    expect(refused.text).toContain('<details open><summary>Only some topics (optional)</summary>');
    expect(await api.db.ds.query(`SELECT id FROM subscriptions`)).toEqual([]);
  });

  it('a sign-up refused on a listing comes back on that listing, not on the home page', async () => {
    const refusedOn = async (path: string, from?: string) => {
      const form = await page(path).expect(200);
      const cookie = String(form.headers['set-cookie']).split(';')[0];
      const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1];
      const written = /name="from" value="([^"]*)"/.exec(form.text)?.[1]?.replace(/&amp;/g, '&');
      const res = await api
        .http()
        .post('/subscribe')
        .set('Cookie', cookie)
        .type('form')
        .send(`email=reader%40example&topics=rag&csrf=${encodeURIComponent(csrf)}&from=${encodeURIComponent(from ?? written ?? '')}`)
        .expect(400);
      expect(res.text).toContain('data-testid="subscribe-error">email: enter a valid email address');
      return { written, heading: /<h2 id="h-list"[^>]*>([^<]*)</.exec(res.text)?.[1] ?? '', html: res.text };
    };
    const topic = await refusedOn('/?topic=rag');
    expect(topic.written).toBe('/?topic=rag');
    expect(topic.heading).toMatch(/ in Retrieval-augmented generation $/);
    expect(linkOf(mainOf(topic.html), 'follow-atom')?.href).toBe('/v1/feeds/topics/rag.atom');
    const trending = await refusedOn('/?tab=trending&topic=rag');
    expect(trending.written).toBe('/?tab=trending&topic=rag');
    expect(trending.heading).toMatch(/^Trending .* in Retrieval-augmented generation $/);
    // a listing that is not the home page's (another site, a topic that is not there) is answered on the home page
    for (const from of ['https://elsewhere.example/?topic=rag', '/?topic=no-such-topic']) {
      const other = await refusedOn('/?topic=rag', from);
      expect(other.heading).not.toContain('Retrieval-augmented generation');
      expect(other.heading).not.toBe('');
    }
    expect(await api.db.ds.query(`SELECT id FROM subscriptions`)).toEqual([]);
  });

  it('a search that finds nothing says how search matches, and offers every topic when one filters it', async () => {
    const none = (await page('/?q=retriever%20xyzzy').expect(200)).text;
    expect(none).toContain('No papers match.');
    expect(none).toContain('A paper matches when every word is in its title, abstract or author names: try fewer or other words.');
    const inTopic = (await page('/?q=listed&topic=rag').expect(200)).text;
    expect(linkOf(inTopic, 'search-every-topic')).toEqual({ href: '/?q=listed', text: 'search every topic' });
    // and that link finds what the topic hid
    expect((await page('/?q=listed').expect(200)).text).toContain('Listed paper 1');
    expect((await page('/?q=retriever').expect(200)).text).not.toContain('data-testid="search-hint"');
  });

  it('a topic that does not exist is explained in the words of the page, not an API path', async () => {
    const html = (await page('/?topic=no-such-topic').expect(404)).text;
    expect(html).toContain('There is no topic &quot;no-such-topic&quot;: pick one from the Topic menu');
    expect(html).not.toContain('/v1/');
  });
});
