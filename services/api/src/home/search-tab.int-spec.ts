import 'reflect-metadata';
import { countPaperRows } from '@paperwire/db';
import { seedPaper } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

const MATCHES = 70;

/** The card ids and the "More papers" link of a home page. */
function pageOf(html: string): { ids: string[]; total: string; next: string | null } {
  const ids = [...html.matchAll(/<article[^>]*data-paper-id="([^"]+)"/g)].map((m) => m[1]);
  const total = /data-testid="total">([^<]*)</.exec(html)?.[1] ?? '';
  const next = /<a href="([^"]+)" rel="next" data-testid="next-page">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
  return { ids, total, next };
}

// Review 25: `/?q=language` said "50 papers", showed 50 and stopped there, while /v1/papers?q=language found 69.
describe('the search tab counts its matches and pages through them', () => {
  const api = useTestApi('t_search_tab', async (db) => {
    for (let i = 0; i < MATCHES; i++)
      await seedPaper(db.ds, { title: `Language models, study ${i}`, abstract: `We study language models (${i}).`, arxivId: `2612.${String(10000 + i)}` });
    await seedPaper(db.ds, { title: 'Segmenting cells', abstract: 'Microscopy images.', arxivId: '2612.20000' });
  });

  it('says the true count and lists every match once across its "More papers" pages', async () => {
    const first = pageOf((await api.http().get('/?q=language').set('accept', 'text/html').expect(200)).text);
    expect(first.total).toBe(`${MATCHES} papers`);
    expect(first.ids).toHaveLength(50);
    expect(first.next).toMatch(/^\/\?q=language&cursor=/);
    const second = pageOf((await api.http().get(first.next!).set('accept', 'text/html').expect(200)).text);
    expect(second.total).toBe(`${MATCHES} papers`);
    expect(second.next).toBeNull();
    const all = [...first.ids, ...second.ids];
    expect(all).toHaveLength(MATCHES);
    expect(new Set(all).size).toBe(MATCHES);
    const api1 = (await api.http().get('/v1/papers?q=language&limit=100').expect(200)).body as { items: { id: string }[] };
    expect(new Set(all)).toEqual(new Set(api1.items.map((p) => p.id)));
  });

  it('numbers a "More papers" page on from the page before (it started again at 1)', async () => {
    const html = async (href: string) => (await api.http().get(href).set('accept', 'text/html').expect(200)).text;
    const first = await html('/?q=language');
    expect(first).toContain('<ol class="papers" data-testid="papers">');
    const second = await html(pageOf(first).next!);
    expect(second).toContain('<ol class="papers" start="51" data-testid="papers">');
    // the API's pages go on the same way, and a cursor without the count (made before it was kept) still pages, from 1
    const page1 = (await api.http().get('/v1/papers?q=language&sort=relevance&limit=20').expect(200)).body as { nextCursor: string };
    const cursor = JSON.parse(Buffer.from(page1.nextCursor, 'base64url').toString('utf8')) as { s: string; k: unknown[]; n?: number };
    expect(cursor.n).toBe(20);
    const old = Buffer.from(JSON.stringify({ s: cursor.s, k: cursor.k }), 'utf8').toString('base64url');
    const [withCount, withoutCount] = await Promise.all(
      [page1.nextCursor, old].map(async (c) => (await api.http().get('/v1/papers').query({ q: 'language', sort: 'relevance', limit: 20, cursor: c }).expect(200)).body as { items: { id: string }[] }),
    );
    expect(withoutCount.items.map((p) => p.id)).toEqual(withCount.items.map((p) => p.id));
    const pageCursor = JSON.parse(Buffer.from(new URL(pageOf(first).next!, 'http://x').searchParams.get('cursor')!, 'base64url').toString('utf8')) as { k: unknown[] };
    const keysOnly = Buffer.from(JSON.stringify({ s: 'relevance', k: pageCursor.k }), 'utf8').toString('base64url');
    expect(await html(`/?q=language&cursor=${keysOnly}`)).toContain('<ol class="papers" data-testid="papers">');
    // a cursor read under other filters is a 400 (it went on from its position through the other filters' papers)
    const other = await api.http().get('/v1/papers').query({ q: 'segmenting', sort: 'relevance', cursor: page1.nextCursor }).expect(400);
    expect(other.body.errors[0].detail).toContain('cursor was made for a list with other filters');
    // the same filters written otherwise are the same filters
    const recent = (await api.http().get('/v1/papers?q=language&topic=&limit=20').expect(200)).body as { nextCursor: string };
    await api.http().get('/v1/papers').query({ q: 'language', limit: 5, cursor: recent.nextCursor }).expect(200);
    // a search in another case or spacing is the same search (it matches the same papers): its cursor pages on
    const models = (await api.http().get('/v1/papers').query({ q: 'language models', limit: 5 }).expect(200)).body as { nextCursor: string };
    const lower = (await api.http().get('/v1/papers').query({ q: 'language models', limit: 5, cursor: models.nextCursor }).expect(200)).body as { items: { id: string }[] };
    const typed = (await api.http().get('/v1/papers').query({ q: 'Language   MODELS', limit: 5, cursor: models.nextCursor }).expect(200)).body as { items: { id: string }[] };
    expect(lower.items).toHaveLength(5);
    expect(typed.items.map((p) => p.id)).toEqual(lower.items.map((p) => p.id));
    // a count that is no count is a bad link, as any other broken cursor
    const bad = Buffer.from(JSON.stringify({ ...cursor, n: -1 }), 'utf8').toString('base64url');
    await api.http().get('/v1/papers').query({ q: 'language', sort: 'relevance', cursor: bad }).expect(400);
  });

  it('a page link that is not valid is a 400 page offering the first page', async () => {
    const res = await api.http().get('/?q=language&cursor=garbage').set('accept', 'text/html').expect(400);
    expect(res.text).toContain('PaperWire cannot continue from that “More papers” link');
    expect(res.text).toContain('Start again from <a href="/?q=language">the first page of the search for “language”</a>.');
    expect(res.text).toContain('href="/?q=language"');
  });

  it('counts no further than the cap + 1, whatever matches', async () => {
    expect(await countPaperRows(api.db.ds, { q: 'language' }, 1000)).toBe(MATCHES);
    expect(await countPaperRows(api.db.ds, { q: 'language' }, 10)).toBe(11);
    expect(await countPaperRows(api.db.ds, { q: 'microscopy' }, 10)).toBe(1);
    // a search naming a paper by its id counts that paper, as the list lists it
    expect(await countPaperRows(api.db.ds, { q: '2612.20000' }, 10)).toBe(1);
  });
});
