import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// What a demanding reader or client meets at the edges of the read side (the read-side audit):
// conditional requests on listings whose trending scores decay, old-style arXiv ids written with
// their slash, wrong methods, browsers on unknown paths and bad periods on the Daily Papers page.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reader edges', () => {
  const ids: Record<string, string> = {};
  let subsKey = '';
  const ago = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  const api = useTestApi('t_reader_edges', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const hf = await seedSource(ds, 'hf-daily', 'hf-daily-papers');
    subsKey = (await createApiKey(ds, { name: 'edges', scopes: ['subscriptions'] })).key;
    ids.recent = await seedPaper(ds, {
      title: 'Retrieval agents that plan',
      abstract: 'A retrieval agent improves success by 12% over ReAct.',
      arxivId: '2612.00001',
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 20, comments: 2, featuredAt: ago(3), submittedBy: 'alice' }],
    });
    ids.old = await seedPaper(ds, {
      title: 'Duality in string theory',
      abstract: 'An old-style arXiv paper.',
      arxivId: 'hep-th/9901001',
      topics: [{ slug: 'rag', score: 0.6, primary: true }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', upvotes: 5, featuredAt: ago(5) }],
    });
  });
  const http = api.http;

  describe('ETags of listings with decaying trending scores', () => {
    // The decayed score is part of the body; computed at the request's millisecond it changed the body
    // (and the ETag) on every request, so If-None-Match could never answer 304.
    const routes = ['/v1/trending', '/v1/trending?window=24h', '/api/daily_papers', '/api/daily_papers?sort=trending', '/api/papers/search?q=retrieval'];
    it.each(routes)('%s answers 304 to the ETag it just sent', async (path) => {
      const minute = () => Math.floor(Date.now() / 60_000);
      // Scores move once a minute: a pair of requests straddling the minute is tried again.
      for (let attempt = 0; ; attempt++) {
        const before = minute();
        const first = await http().get(path).expect(200);
        const etag = first.headers.etag as string;
        expect(etag).toMatch(/^W\/"/);
        await sleep(15);
        const again = await http().get(path).set('If-None-Match', etag);
        if (minute() !== before && attempt === 0) continue;
        expect(again.status).toBe(304);
        return;
      }
    });

    it('scores are still the decayed score (within a minute of now)', async () => {
      const res = await http().get('/v1/trending').expect(200);
      const item = res.body.items.find((i: { id: string }) => i.id === ids.recent);
      // signal 20 + 2·2 = 24, first appeared 3 h ago: 24·2^(−3/48); evaluated up to a minute earlier
      // (and the test's own seconds) it differs by less than 0.1%.
      const expected = 24 * Math.pow(2, -3 / 48);
      expect(Math.abs(item.trendingScore / expected - 1)).toBeLessThan(0.001);
    });
  });

  describe('old-style arXiv ids written with their slash', () => {
    it('the paper page, its Atom alternate, /v1/papers and /api/papers find hep-th/9901001', async () => {
      const page = await http().get('/papers/hep-th/9901001').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('Duality in string theory');
      const atom = await http().get('/papers/hep-th/9901001.atom').expect(200);
      expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
      const v1 = await http().get('/v1/papers/hep-th/9901001v2').expect(200);
      expect(v1.body).toMatchObject({ id: ids.old, arxivId: 'hep-th/9901001' });
      const hf = await http().get('/api/papers/hep-th/9901001').expect(200);
      expect(hf.body).toMatchObject({ id: 'hep-th/9901001', title: 'Duality in string theory' });
    });

    it('an unknown old-style id is the same 404 as any unknown paper', async () => {
      const page = await http().get('/papers/hep-th/9999999').expect(404);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const v1 = await http().get('/v1/papers/math.AG/0101001').expect(404);
      expect(v1.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(v1.body.detail).toMatch(/no paper/);
      const hf = await http().get('/api/papers/cond-mat/0001001').expect(404);
      expect(hf.body).toEqual({ error: 'Paper not found' });
    });
  });

  describe('methods', () => {
    it('a wrong method on an existing path is 405 with Allow, not 404', async () => {
      for (const [method, path, allow] of [
        ['post', '/v1/papers', /GET/],
        ['delete', '/v1/papers/2612.00001', /GET/],
        ['put', '/api/daily_papers', /GET/],
        ['post', '/papers/2612.00001', /GET/],
        ['patch', '/v1/feeds/topics/rag.atom', /GET/],
        ['delete', '/', /GET/],
      ] as const) {
        const res = await http()[method](path);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 405 });
        expect(res.headers.allow).toMatch(allow);
        expect(res.headers.allow).toMatch(/HEAD/);
        if (path.startsWith('/api/')) {
          // the HF-compatible API answers its errors in HF's shape
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.body).toEqual({ error: expect.stringContaining('not allowed') });
          continue;
        }
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
      }
    });

    it('OPTIONS lists the methods of a path; unknown paths stay 404', async () => {
      const res = await http().options('/v1/papers').expect(204);
      expect(res.headers.allow).toMatch(/GET/);
      const sub = await http().options('/v1/subscriptions/0f1c2d3e-0000-4000-8000-000000000000').expect(204);
      expect(sub.headers.allow?.split(/,\s*/).sort()).toEqual(expect.arrayContaining(['DELETE', 'GET', 'PATCH']));
      await http().options('/v1/no-such-thing').expect(404);
      await http().post('/v1/no-such-thing').expect(404);
    });
  });

  describe('browsers on paths that do not exist', () => {
    it('get an HTML 404 page outside /v1 and /api; API clients and the API prefixes keep problem+json', async () => {
      const page = await http().get('/no-such-page').set('Accept', BROWSER_ACCEPT).expect(404);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toMatch(/<title>[^<]*Not found/i);
      expect(page.text).not.toMatch(/"type":/);
      const papers = await http().get('/papers/').set('Accept', BROWSER_ACCEPT).expect(404);
      expect(papers.headers['content-type']).toMatch(/text\/html/);
      const json = await http().get('/no-such-page').set('Accept', 'application/json').expect(404);
      expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
      const v1 = await http().get('/v1/no-such-thing').set('Accept', BROWSER_ACCEPT).expect(404);
      expect(v1.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('topic feeds at the address the README gives (/v1/feeds/{topic}.atom)', () => {
    it('serve the same feed as /v1/feeds/topics/{topic}.atom and .json; unknown topics are 404; search stays the search feed', async () => {
      const short = await http().get('/v1/feeds/rag.atom').expect(200);
      expect(short.headers['content-type']).toMatch(/application\/atom\+xml/);
      const long = await http().get('/v1/feeds/topics/rag.atom').expect(200);
      expect(short.text).toBe(long.text);
      const json = await http().get('/v1/feeds/rag.json').expect(200);
      expect(json.headers['content-type']).toMatch(/application\/feed\+json/);
      expect(JSON.parse(json.text).items.map((i: { id: string }) => i.id).sort()).toEqual([ids.recent, ids.old].sort());
      await http().get('/v1/feeds/no-such-topic.atom').expect(404);
      await http().get('/v1/feeds/rag.rss').expect(404);
      const search = await http().get('/v1/feeds/search.atom?q=retrieval').expect(200);
      expect(search.text).toContain('<title type="text">PaperWire — papers matching “retrieval”</title>');
      // its website is the page of that search, not the home page
      expect(search.text).toMatch(/<link rel="alternate" type="text\/html" href="[^"]*\/\?q=retrieval"\/>/);
      const both = await http().get('/v1/feeds/search.json?q=retrieval&topic=rag').expect(200);
      expect(JSON.parse(both.text).home_page_url).toMatch(/\/\?q=retrieval&topic=rag$/);
    });
  });

  describe('request bodies that are not JSON on the JSON API', () => {
    const body = JSON.stringify({ name: 'n', channel: 'webhook', target: 'https://hooks.example.org/x' });
    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], ['']])(
      'Content-Type %p is 415 naming application/json, not a 400 about missing fields',
      async (type) => {
        const req = http().post('/v1/subscriptions').set('X-API-Key', subsKey);
        if (type) req.set('Content-Type', type);
        else req.unset('Content-Type');
        const res = await req.send(Buffer.from(body));
        expect(res.status).toBe(415);
        expect(res.body).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
        expect(res.body.detail).toMatch(/application\/json/);
      },
    );

    it('forms keep working where forms are taken (one-click unsubscribe), and bodiless POSTs need no type', async () => {
      const res = await http().post('/v1/unsubscribe?t=not-a-token').type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/link is invalid/);
    });
  });

  describe('search feeds', () => {
    const idOf = (atom: string) => /<id>([^<]+)<\/id>/.exec(atom)?.[1];
    it('have one id and self link per search: campaign tags and parameter order do not make another feed', async () => {
      const plain = await http().get('/v1/feeds/search.atom?q=retrieval&topic=rag').expect(200);
      const noisy = await http().get('/v1/feeds/search.atom?utm_source=mail&topic=rag&q=retrieval&utm_campaign=x').expect(200);
      expect(idOf(noisy.text)).toBe(idOf(plain.text));
      expect(noisy.text).not.toMatch(/utm_source|utm_campaign/);
      // Any other parameter the feed does not read is refused (session 21), not dropped.
      const unknown = await http().get('/v1/feeds/search.atom?topic=rag&q=retrieval&x=%5B1%5D').expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'x', detail: expect.stringMatching(/^unknown query parameter; accepted: topic, q, /) }]);
      const json = await http().get('/v1/feeds/search.json?topic=rag&utm_source=mail&q=retrieval').expect(200);
      expect(JSON.parse(json.text).feed_url).toMatch(/\/v1\/feeds\/search\.json\?q=retrieval&topic=rag$/);
    });
  });

  describe('requests the HTTP parser refuses', () => {
    it('an over-long URL is a 431 problem document with its own title', async () => {
      const res = await http().get(`/v1/papers?q=${'a'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(JSON.parse(res.text)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
      expect(JSON.parse(res.text).type).not.toMatch(/\/error$/);
    });
  });

  describe('errors a browser meets on a reader\'s page', () => {
    it('the links in mails answer a browser with pages even when the guard refuses the request', async () => {
      // A key-like parameter in the URL is refused by the guard, before the link's own page.
      const page = await http().get('/v1/unsubscribe?token=abc').set('Accept', BROWSER_ACCEPT).expect(400);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toMatch(/never in the URL/);
      const json = await http().get('/v1/unsubscribe?token=abc').set('Accept', 'application/json').expect(400);
      expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('a malformed paper id is an HTML 400 page for a browser, a problem document otherwise', async () => {
      const page = await http().get('/papers/%ff').set('Accept', BROWSER_ACCEPT).expect(400);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toMatch(/<h1>Bad Request<\/h1>/);
      const json = await http().get('/papers/%ff').set('Accept', 'application/json').expect(400);
      expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
      // The answer depends on Accept: caches must key on it.
      for (const r of [page, json]) expect(r.headers.vary).toMatch(/\bAccept\b/);
    });
  });

  describe('the Daily Papers page', () => {
    it('a search longer than the search box takes is searched (clipped), not dropped for today\'s listing', async () => {
      const res = await http().get(`/?q=${encodeURIComponent(`retrieval ${'agents '.repeat(100)}`)}`).expect(200);
      expect(res.text).toMatch(/<title>Search results for/);
    });

    it('an over-long date, week or month is the 400 page, not silently today', async () => {
      for (const q of [`date=2026-06-12${'x'.repeat(40)}`, `week=2026-W24${'0'.repeat(40)}`, `month=${'2026-06'.repeat(8)}`]) {
        const res = await http().get(`/?${q}`);
        expect({ q: q.slice(0, 20), status: res.status }).toEqual({ q: q.slice(0, 20), status: 400 });
        expect(res.text).toContain('No such date');
      }
    });
  });
});

describe('reader pages over the rate limit', () => {
  const api = useTestApi('t_reader_edges_429', async () => undefined, { RATE_LIMIT_PER_MINUTE: '2' });

  it('a browser gets an HTML 429 page with Retry-After; API clients keep the problem document', async () => {
    let res = await api.http().get('/').set('Accept', BROWSER_ACCEPT);
    for (let i = 0; i < 5 && res.status !== 429; i++) res = await api.http().get('/').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.text).toMatch(/<h1>Too Many Requests<\/h1>/);
    const json = await api.http().get('/v1/papers').set('Accept', BROWSER_ACCEPT).expect(429);
    expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
