import { SUMMARY_MAX, entrySummary, renderAtom, renderJsonFeed, xmlEscape, type FeedMeta } from './feed-render';
import type { PaperSummaryDto } from '../papers/paper.dto';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { etagMatches, weakEtag } from '../common/etag';
import Parser from 'rss-parser';

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
  updatedAt: '2024-01-03T00:00:00.000Z',
  links: { code: [], project: [], labelled: [] },
  hasCode: false,
  primaryTopic: null,
  topics: [{ slug: 'llm', score: 0.5 }],
  contribution: null,
  headlineClaim: null,
  sightings: 0,
  trendingScore: 0,
  hasTrendingSignal: false,
  upvotes: null,
  comments: null,
  githubStars: null,
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

  it("gives the page, not the other feed format, as the feed's website (a feed reader's first alternate link)", async () => {
    const feed = await new Parser().parseString(renderAtom({ ...meta, pageUrl: 'http://x/?topic=llm' }, [paper]));
    expect(feed.link).toBe('http://x/?topic=llm');
    expect(renderAtom(meta, [paper])).toContain('<link rel="alternate" type="application/feed+json" href="http://x/f.json"/>');
  });

  it('dates entries by their last visible change and the feed by its newest entry, not the clock', () => {
    const changed = { ...paper, id: '00000000-0000-4000-8000-000000000002', publishedAt: '2023-05-01T00:00:00.000Z', updatedAt: '2024-02-01T10:00:00.000Z' };
    const xml = renderAtom(meta, [paper, changed]);
    const entry = xml.split('<entry>')[2];
    expect(entry).toContain('<updated>2024-02-01T10:00:00.000Z</updated>');
    expect(entry).toContain('<published>2023-05-01T00:00:00.000Z</published>');
    // the feed's own <updated> (before the first entry) is its newest entry's
    expect(xml.split('<entry>')[0]).toContain('<updated>2024-02-01T10:00:00.000Z</updated>');
    expect(renderAtom(meta, [paper])).toContain('<updated>2024-01-03T00:00:00.000Z</updated>');
    const json = renderJsonFeed(meta, [paper, changed]) as { items: { url: string; date_published: string; date_modified: string }[] };
    expect(json.items[0].url).toBe(`http://x/papers/${paper.id}`);
    expect(json.items[0].date_published).toBe('2024-01-02T00:00:00.000Z');
    expect(json.items[1]).toMatchObject({ date_published: '2023-05-01T00:00:00.000Z', date_modified: '2024-02-01T10:00:00.000Z' });
  });

  // Both formats make the publication date optional: an undated paper is not given its first sighting as one.
  // Atom requires <updated>: it is when PaperWire first saw the paper (or changed it since).
  it('an entry without a publication date has none, in Atom as in the JSON Feed; Atom updated is when first seen', () => {
    const undated = { ...paper, publishedAt: null, createdAt: '2024-01-05T06:07:08.000Z', updatedAt: '2024-01-05T06:07:08.000Z' };
    const entry = renderAtom(meta, [undated]).split('<entry>')[1];
    expect(entry).not.toContain('<published>');
    expect(entry).toContain('<updated>2024-01-05T06:07:08.000Z</updated>');
    const json = renderJsonFeed(meta, [undated]) as { items: Record<string, unknown>[] };
    expect(json.items[0]).not.toHaveProperty('date_published');
    expect(json.items[0].date_modified).toBe('2024-01-05T06:07:08.000Z');
  });

  it('summarises an entry by the start of its abstract, not its headline claim (which leads the content)', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const claim = { summary: '3.39% lower error', text: 'We lower the error by 3.39%.' } as unknown as PaperSummaryDto['headlineClaim'];
    const withClaim = { ...paper, abstract: `We study   feeds.\n${words}`, headlineClaim: claim };
    const summary = entrySummary(withClaim);
    expect(summary.startsWith('We study feeds. word0 word1')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(summary.endsWith('…')).toBe(true);
    // cut between words: the last word before the ellipsis is a whole one
    expect(words.split(' ')).toContain(summary.slice(0, -1).split(' ').pop());
    const entry = renderAtom(meta, [withClaim]).split('<entry>')[1]!;
    expect(entry).toContain(`<summary type="text">${summary}</summary>`);
    expect(entry).toMatch(/<content type="text">Headline claim: 3.39% lower error/);
    const item = (renderJsonFeed(meta, [withClaim]) as { items: { summary: string; content_text: string; _paperwire: { headline_claim: unknown } }[] }).items[0]!;
    expect(item.summary).toBe(summary);
    expect(item.summary).not.toContain('3.39%');
    expect(item._paperwire.headline_claim).toEqual(claim);
    expect(entrySummary({ abstract: 'Short.' })).toBe('Short.');
  });

  it('never dates an entry before its publication (a record stored before the date its source gives)', () => {
    const early = { ...paper, publishedAt: '2024-03-01T00:00:00.000Z', updatedAt: '2024-01-03T00:00:00.000Z' };
    expect(renderAtom(meta, [early])).toContain('<updated>2024-03-01T00:00:00.000Z</updated>');
  });

  it('dates an empty feed by the start of the current minute (the same body within the minute)', () => {
    const at = (s: string) => renderAtom(meta, [], new Date(s));
    expect(at('2026-12-06T10:41:59.999Z')).toContain('<updated>2026-12-06T10:41:00.000Z</updated>');
    expect(at('2026-12-06T10:41:00.000Z')).toBe(at('2026-12-06T10:41:59.999Z'));
    expect(at('2026-12-06T10:42:00.000Z')).not.toBe(at('2026-12-06T10:41:59.999Z'));
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
