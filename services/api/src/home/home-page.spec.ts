import type { Request } from 'express';
import { checkCsrf, csrfToken, readCookie, sameOrigin } from './csrf';
import { homeHref, renderHomePage, type CardView, type HomeView } from './home-page';

const card = (over: Partial<CardView> = {}): CardView => ({
  id: '00000000-0000-4000-8000-000000000001',
  arxivId: '2401.00001',
  title: 'A <b>bold</b> & "quoted" title',
  authors: [{ name: 'Ada Lovelace' }],
  upvotes: 42,
  topics: [{ slug: 'llm', name: 'Language models' }],
  claim: '63.5% F1 gain on StreamingQA',
  links: { code: ['https://github.com/x/y'], project: [] },
  ...over,
});

const view = (over: Partial<HomeView> = {}): HomeView => ({
  tab: 'daily',
  nonce: 'n0nce',
  csrf: 'tok',
  topics: [{ slug: 'llm', name: 'Language models' }],
  date: '2026-03-10',
  previousDate: '2026-03-08',
  nextDate: null,
  total: 1,
  cards: [card()],
  ...over,
});

const req = (headers: Record<string, string>): Request =>
  ({ headers, protocol: 'http' }) as unknown as Request;

describe('renderHomePage', () => {
  // Review 26d: a card with one upvote said "1 upvotes".
  it('says "upvote" for one, "upvotes" otherwise', () => {
    const one = renderHomePage(view({ cards: [card({ upvotes: 1 })] }));
    expect(one).toContain('aria-label="1 upvote">1<small>upvote</small>');
    expect(renderHomePage(view())).toContain('aria-label="42 upvotes">42<small>upvotes</small>');
  });

  it('labels a card\'s code and project links by what they are, the repository first, each page once', () => {
    const links = (l: CardView['links']) =>
      [...renderHomePage(view({ cards: [card({ links: l })] })).matchAll(/data-testid="link-(code|project)" data-kind="(\w+)" title="([^"]+)">(\w+)</g)].map((m) => m.slice(1).join(' '));
    expect(
      links({
        code: ['https://huggingface.co/MiniMaxAI/MiniMax-M3', 'https://github.com/MiniMax-AI/MSA'],
        project: ['https://github.com/MiniMax-AI/MSA/', 'https://huggingface.co/spaces/org/demo'],
      }),
    ).toEqual(['code code Code on GitHub Code', 'project space Space on Hugging Face Space']);
    expect(links({ code: ['https://huggingface.co/datasets/org/set'], project: [] })).toEqual(['code dataset Dataset on Hugging Face Dataset']);
    // a project page is never shown in the code slot
    expect(links({ code: [], project: ['https://github.com/only/project'] })).toEqual(['project code Code on GitHub Code']);
  });

  it('names the topic a listing is filtered by in the page title', () => {
    const title = (v: Partial<HomeView>) => /<title>([^<]*)<\/title>/.exec(renderHomePage(view(v)))?.[1];
    expect(title({ topic: 'llm' })).toBe('Papers of 2026-03-10 in Language models — PaperWire');
    expect(title({})).toBe('Papers of 2026-03-10 — PaperWire');
    expect(title({ tab: 'trending', window: '7d', topic: 'llm' })).toBe('Trending papers of the last 7 days in Language models — PaperWire');
  });

  it('lists the papers before the subscribe box, unless the box has an error to show', () => {
    const html = renderHomePage(view());
    expect(html.indexOf('data-testid="papers"')).toBeLessThan(html.indexOf('data-testid="subscribe-form"'));
    const refused = renderHomePage(view({ subscribeError: 'that address cannot receive mail', email: 'x@y' }));
    expect(refused.indexOf('data-testid="subscribe-error"')).toBeLessThan(refused.indexOf('data-testid="papers"'));
  });

  it('renders landmarks, escaped cards, links and day paging without scripts', () => {
    const html = renderHomePage(view());
    expect(html).toContain('<main');
    expect(html).toContain('<nav class="tabs" aria-label="Views">');
    expect(html).toContain('<article');
    expect(html).toContain('A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('https://arxiv.org/abs/2401.00001');
    expect(html).toContain('https://arxiv.org/pdf/2401.00001');
    expect(html).toContain('data-testid="link-code"');
    expect(html).toContain('63.5% F1 gain on StreamingQA');
    expect(html).toContain('href="/?date=2026-03-08" rel="prev"');
    expect(html).not.toContain('rel="next"');
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).not.toMatch(/<script|rel="stylesheet"|https?:\/\/[^"]*\.(css|js)"/);
    expect(html).toContain('<label for="s-email">');
  });

  it('says how a listing is ordered: a day by upvotes, a week or a month by trending score', () => {
    expect(renderHomePage(view())).toContain('data-testid="order">Most upvoted first.<');
    for (const kind of ['week', 'month'] as const) {
      const period = { kind, key: kind === 'week' ? '2026-W24' : '2026-06', from: '2026-06-01', to: '2026-06-30' };
      const html = renderHomePage(view({ date: null, period, cards: [card({ hasSignal: true }), card({ hasSignal: false })] }));
      expect(html).toMatch(/data-testid="order">Papers with a trending signal first, highest trending score first, not by upvotes alone/);
      expect(html).toContain('halving every 48 hours after the paper was listed');
      expect(html).not.toContain('Most upvoted first');
      // Review 26: a week none of whose papers has a signal does not claim a score order (every score is 0)
      const none = renderHomePage(view({ date: null, period, cards: [card({ hasSignal: false }), card({ hasSignal: false })] }));
      expect(none).toContain('data-testid="order">No paper here has upvotes, comments, stars or a listing on both Hugging Face and arXiv: newest first.<');
      expect(/data-testid="order">([^<]*)</.exec(none)?.[1]).not.toContain('trending score');
    }
    expect(renderHomePage(view({ total: 0, cards: [] }))).not.toContain('data-testid="order"');
  });

  // A day of 60 papers none of which has upvotes is not "most upvoted first": it says the order actually used.
  it('a day whose papers have no upvotes says the order it is in, not "most upvoted first"', () => {
    const html = renderHomePage(view({ total: 2, cards: [card({ upvotes: null }), card({ id: '00000000-0000-4000-8000-000000000002', upvotes: 0 })] }));
    expect(html).toContain('data-testid="order">No paper here has upvotes: in the order their source listed them, newest first where it gave none.<');
    expect(html).not.toContain('Most upvoted first');
    expect(renderHomePage(view({ total: 2, cards: [card({ upvotes: 3 }), card({ upvotes: null })] }))).toContain('Most upvoted first.');
  });

  // Review 25: a search stopped at 50 without saying so. Past the newest matches it ranks, it says where it stops.
  it('a search with more matches than it ranks says "1,000+" and where it stops; fewer, no note', () => {
    const many = renderHomePage(view({ tab: 'search', q: 'language', total: 1000, totalMore: true, nextPageHref: '/?q=language&cursor=x' }));
    expect(many).toContain('data-testid="total">1,000+ papers<');
    expect(many).toContain('data-testid="order">Best matches first among the 1,000 newest papers that match: add a word or pick a topic to reach older ones.<');
    expect(many).toContain('rel="next" data-testid="next-page">More papers');
    expect(renderHomePage(view({ tab: 'search', q: 'language', total: 70 }))).not.toContain('data-testid="order"');
  });

  it('marks the current tab and names search results', () => {
    const html = renderHomePage(view({ tab: 'search', q: 'lora <x>', cards: [] }));
    expect(html).toContain('Search results for “lora &lt;x&gt;”');
    expect(html).toContain('No papers match.');
    expect(html).toMatch(/href="\/\?q=lora%20%3Cx%3E" aria-current="page"/);
  });

  it('an empty listing says what there is none of; "match" only for a search', () => {
    const topics = [{ slug: 'rag', name: 'Retrieval-augmented generation' }];
    const empty = (v: Partial<HomeView>) => /data-testid="empty">([^<]*)</.exec(renderHomePage(view({ cards: [], total: 0, topics, ...v })))?.[1];
    expect(empty({ tab: 'daily', date: '2026-03-09' })).toBe('No papers on this day.');
    expect(empty({ tab: 'daily', period: { kind: 'week', key: '2026-W11', from: '2026-03-09', to: '2026-03-15' } })).toBe('No papers in this week.');
    expect(empty({ tab: 'daily', date: '2026-03-09', topic: 'rag' })).toBe('No papers in “Retrieval-augmented generation” on this day.');
    expect(empty({ tab: 'search', q: 'lora' })).toBe('No papers match.');
  });

  it('an empty trending listing names its window and offers a longer window that has papers, and the Daily tab', () => {
    const topics = [{ slug: 'rag', name: 'Retrieval-augmented generation' }];
    const render = (v: Partial<HomeView>) => renderHomePage(view({ tab: 'trending', date: null, cards: [], total: 0, topics, ...v }));
    const week = render({ window: '7d', topic: 'rag', trendingElsewhere: '30d' });
    expect(/data-testid="empty">([^<]*)</.exec(week)?.[1]).toBe(
      'No trending papers in “Retrieval-augmented generation” in the last 7 days: Trending shows the papers listed in the last 7 days that have upvotes, comments, stars or a listing on both Hugging Face and arXiv.',
    );
    // the text no longer says an upvoted paper always trends: an older one does not, whatever its upvotes
    expect(week).not.toMatch(/trends once it has upvotes/);
    expect(week).toMatch(/<a href="\/\?tab=trending&amp;window=30d&amp;topic=rag" data-testid="empty-longest">the last 30 days<\/a>/);
    expect(week).toMatch(/<a href="\/\?topic=rag" data-testid="empty-daily">the Daily tab<\/a>/);
    expect(render({ window: '24h' })).toContain('in the last 24 hours: Trending shows the papers listed in the last 24 hours');
    expect(render({ window: '24h', trendingElsewhere: '7d' })).toMatch(/<a href="\/\?tab=trending&amp;window=7d" data-testid="empty-longest">the last 7 days<\/a>/);
    // no longer window lists a paper: the Daily tab alone, never a link to another empty page
    const nowhere = render({ window: '7d', trendingElsewhere: null });
    expect(nowhere).not.toContain('data-testid="empty-longest"');
    expect(nowhere).toContain('data-testid="empty-daily"');
    // already the longest window: the Daily tab alone
    const month = render({ window: '30d' });
    expect(month).toContain('in the last 30 days');
    expect(month).not.toContain('data-testid="empty-longest"');
    expect(month).toContain('data-testid="empty-daily"');
    // a listing with papers has no such hint
    expect(renderHomePage(view({ tab: 'trending', window: '7d' }))).not.toContain('data-testid="empty-more"');
  });

  it('cards: title to the paper page, abstract preview, comments, submitter, organisation, thumbnail, code once', () => {
    const html = renderHomePage(
      view({
        cards: [
          card({
            links: { code: ['https://github.com/x/y', 'https://github.com/x/z'], project: ['https://x.github.io'] },
            abstractPreview: 'We cut memory <a lot>…',
            numComments: 3,
            submittedBy: 'akhaliq',
            organization: 'California institute of technology',
            thumbnailUrl: 'https://cdn.example/t.png',
          }),
        ],
      }),
    );
    expect(html).toContain('href="/papers/2401.00001" data-testid="paper-title"');
    expect(html).toContain('We cut memory &lt;a lot&gt;…');
    expect(html).toContain('>3 comments<');
    expect(html).toContain('submitted by akhaliq');
    expect(html).toContain('California institute of technology');
    expect(html).toContain('<img class="thumb" src="https://cdn.example/t.png" alt=""');
    expect(html.match(/data-testid="link-code"/g)).toHaveLength(1);
    expect(html).not.toMatch(/Code<\/a><\/li><li><a[^>]*>Code/);
    const bare = renderHomePage(view({ cards: [card({ upvotes: null, links: { code: [], project: [] } })] }));
    expect(bare).not.toContain('data-testid="comments"');
    expect(bare).not.toContain('<img');
  });

  it('has feed autodiscovery, a favicon, OpenGraph tags and a canonical link', () => {
    const html = renderHomePage(view({ baseUrl: 'https://pw.example.org', topic: 'llm' }));
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="PaperWire — Language models (Atom)" href="/v1/feeds/topics/llm.atom">');
    expect(html).toContain('type="application/feed+json"');
    expect(html).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg">');
    expect(html).toContain('<meta property="og:title" content="Papers of 2026-03-10 in Language models — PaperWire">');
    expect(html).toContain('<link rel="canonical" href="https://pw.example.org/?date=2026-03-10&amp;topic=llm">');
    const search = renderHomePage(view({ tab: 'search', q: 'lora' }));
    expect(search).toContain('href="/v1/feeds/search.atom?q=lora"');
  });

  it('week and month views: period switch, native pickers, prev/next by period', () => {
    const week = renderHomePage(
      view({ date: null, period: { kind: 'week', key: '2026-W11', from: '2026-03-09', to: '2026-03-15' }, previousDate: '2026-W10', nextDate: '2026-W12' }),
    );
    expect(week).toContain('Papers of Week 11, 2026 (Mar 9 – Mar 15)');
    expect(week).toContain('<input id="pick-week" name="week" type="week" value="2026-W11" required>');
    expect(week).toContain('href="/?week=2026-W10" rel="prev"');
    expect(week).toContain('href="/?week=2026-W12" rel="next"');
    expect(week).toMatch(/href="\/\?date=2026-03-09" data-testid="view-day">Day/);
    expect(week).toMatch(/href="\/\?month=2026-03" data-testid="view-month">Month/);
    expect(week).toMatch(/data-testid="view-week" aria-current="true"/);
    const day = renderHomePage(view());
    expect(day).toContain('<input id="pick-date" name="date" type="date" value="2026-03-10" required>');
    expect(day).toMatch(/href="\/\?week=2026-W11" data-testid="view-week"/);
    const month = renderHomePage(view({ date: null, period: { kind: 'month', key: '2026-03', from: '2026-03-01', to: '2026-03-31' } }));
    expect(month).toContain('Papers of March 2026');
    expect(month).toContain('type="month" value="2026-03"');
  });

  it('every link to another period or view keeps the topic filter, and none carries a page cursor', () => {
    const hrefs = (html: string, testid: RegExp) =>
      [...html.matchAll(/<a href="([^"]*)"[^>]*data-testid="([^"]+)"/g)].filter((m) => testid.test(m[2])).map((m) => [m[2], m[1].replace(/&amp;/g, '&')]);
    const cursor = '/?date=2026-03-10&topic=llm&cursor=abc';
    const views = [
      view({ topic: 'llm', nextDate: '2026-03-11', nextPageHref: cursor }),
      view({ topic: 'llm', date: null, period: { kind: 'week', key: '2026-W11', from: '2026-03-09', to: '2026-03-15' }, previousDate: '2026-W10', nextDate: '2026-W12' }),
      view({ topic: 'llm', date: null, period: { kind: 'month', key: '2026-03', from: '2026-03-01', to: '2026-03-31' }, previousDate: '2026-02', nextDate: '2026-04' }),
      view({ topic: 'llm', tab: 'trending', window: '24h', date: null, previousDate: null }),
    ];
    const links = views.flatMap((v) => hrefs(renderHomePage(v), /^(period-|view-|tab-|window-)/));
    // per period view: prev/next at top and bottom, the day/week/month switch, the two tabs; trending: the tabs and three windows
    expect(links.length).toBe(3 * (4 + 3 + 2) + (2 + 3));
    expect(links.filter(([, href]) => !new URLSearchParams(href.slice(2)).getAll('topic').includes('llm'))).toEqual([]);
    expect(links.filter(([, href]) => href.includes('cursor'))).toEqual([]);
    // The pickers (forms) carry it as a hidden field.
    for (const v of views.slice(0, 3)) expect(renderHomePage(v)).toMatch(/<form class="period"[^>]*><input type="hidden" name="topic" value="llm">/);
  });

  it('trending: a window switch and the documented formula', () => {
    const html = renderHomePage(view({ tab: 'trending', window: '24h', date: null }));
    expect(html).toMatch(/href="\/\?tab=trending&amp;window=24h" data-testid="window-24h" aria-current="true"/);
    expect(html).toContain('data-testid="window-30d"');
    expect(html).toContain('How trending works');
    expect(html).toContain('upvotes + 2 × comments + GitHub stars, + 3 when both Hugging Face’s Daily Papers and arXiv listed it');
    expect(html).not.toContain('pick-date');
  });

  it('trending: a count beyond the bound reads "1,000+ papers"', () => {
    const total = (v: Partial<HomeView>) => /data-testid="total">([^<]*)</.exec(renderHomePage(view({ tab: 'trending', window: '30d', date: null, ...v })))?.[1];
    expect(total({ total: 1000, totalMore: true })).toBe('1,000+ papers');
    expect(total({ total: 179 })).toBe('179 papers');
    expect(total({ total: 1 })).toBe('1 paper');
  });

  it('builds links with only the given parameters', () => {
    expect(homeHref({ date: '2026-03-10', topic: undefined, q: '' })).toBe('/?date=2026-03-10');
    expect(homeHref({})).toBe('/');
  });
});

describe('csrf', () => {
  it('accepts only the token bound to the cookie', () => {
    const token = csrfToken('secret-secret-secret', 'cookie-value-123456');
    const r = req({ cookie: 'other=1; pw_csrf=cookie-value-123456' });
    expect(readCookie(r, 'pw_csrf')).toBe('cookie-value-123456');
    expect(checkCsrf(r, 'secret-secret-secret', token)).toBe(true);
    expect(checkCsrf(r, 'another-secret-secret', token)).toBe(false);
    expect(checkCsrf(req({}), 'secret-secret-secret', token)).toBe(false);
    expect(checkCsrf(r, 'secret-secret-secret', `${token}x`)).toBe(false);
  });

  it('refuses foreign and opaque origins', () => {
    expect(
      sameOrigin(req({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }), 'http://example.org'),
    ).toBe(true);
    expect(
      sameOrigin(req({ origin: 'https://example.org', host: 'internal:3000' }), 'https://example.org/'),
    ).toBe(true);
    expect(
      sameOrigin(req({ origin: 'https://evil.example', host: '127.0.0.1:3000' }), 'http://127.0.0.1:3000'),
    ).toBe(false);
    expect(sameOrigin(req({ origin: 'null', host: '127.0.0.1:3000' }), 'http://127.0.0.1:3000')).toBe(false);
    expect(sameOrigin(req({ host: '127.0.0.1:3000' }), 'http://127.0.0.1:3000')).toBe(true);
  });
});
