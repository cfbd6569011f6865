import { renderAtom, renderJsonFeed, xmlEscape, type FeedMeta } from './feed-render';
import type { PaperSummaryDto } from '../papers/paper.dto';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { etagMatches, weakEtag } from '../common/etag';

const meta: FeedMeta = { id: 'http://x/f', title: 'T & <t>', description: 'd', selfUrl: 'http://x/f.atom?a=1&b=2', alternateUrl: 'http://x/f.json', homeUrl: 'http://x' };
const paper: PaperSummaryDto = {
  id: '00000000-0000-4000-8000-000000000001',
  arxivId: null,
  doi: null,
  title: 'A <b>bold</b> & "quoted" title\u0001',
  authors: [{ name: "O'Brien" }],
  abstract: 'Abstract.',
  publishedAt: '2024-01-02T00:00:00.000Z',
  createdAt: '2024-01-03T00:00:00.000Z',
  links: { code: [], project: [] },
  hasCode: false,
  primaryTopic: null,
  topics: [{ slug: 'llm', score: 0.5 }],
  contribution: null,
  headlineClaim: null,
  sightings: 0,
  trendingScore: 0,
};

describe('feed rendering', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(xmlEscape(`<a href="x">&'\u0000`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    const xml = renderAtom(meta, [paper]);
    expect(xml).toContain('<title type="text">A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</title>');
    expect(xml).toContain('href="http://x/f.atom?a=1&amp;b=2"');
    expect(xml).toContain('<name>O&apos;Brien</name>');
    expect(xml).not.toContain('\u0001');
  });

  it('dates the feed by its newest paper, not the clock', () => {
    expect(renderAtom(meta, [paper])).toContain('<updated>2024-01-02T00:00:00.000Z</updated>');
    expect(renderAtom(meta, [])).toBe(renderAtom(meta, []));
    const json = renderJsonFeed(meta, [paper]) as { items: { url: string; date_published: string }[] };
    expect(json.items[0].url).toBe(`http://x/papers/${paper.id}`);
    expect(json.items[0].date_published).toBe('2024-01-02T00:00:00.000Z');
  });
});

describe('cursors and etags', () => {
  it('round-trips cursors and refuses foreign or tampered ones', () => {
    const c = encodeCursor({ s: 'recent', k: ['2024-01-01 00:00:00+00', 'abc'] });
    expect(decodeCursor(c, 'recent', 2).k).toEqual(['2024-01-01 00:00:00+00', 'abc']);
    expect(() => decodeCursor(c, 'trending', 3)).toThrow();
    expect(() => decodeCursor(c, 'relevance', 2)).toThrow(/another sort/);
    expect(() => decodeCursor('!!!', 'recent', 2)).toThrow();
  });

  it('matches weak etags in If-None-Match lists', () => {
    const e = weakEtag('body');
    expect(etagMatches(`"x", ${e}`, e)).toBe(true);
    expect(etagMatches(e.replace('W/', ''), e)).toBe(true);
    expect(etagMatches('"other"', e)).toBe(false);
    expect(etagMatches(undefined, e)).toBe(false);
  });
});
