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
  it('renders landmarks, escaped cards, links and day paging without scripts', () => {
    const html = renderHomePage(view());
    expect(html).toContain('<main');
    expect(html).toContain('<nav class="tabs" aria-label="Views">');
    expect(html).toContain('<article');
    expect(html).toContain('A &#60;b&#62;bold&#60;/b&#62; &#38; &#34;quoted&#34; title');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('https://arxiv.org/abs/2401.00001');
    expect(html).toContain('https://arxiv.org/pdf/2401.00001');
    expect(html).toContain('data-testid="link-code"');
    expect(html).toContain('63.5% F1 gain on StreamingQA');
    expect(html).toContain('href="/?date=2026-03-08" rel="prev"');
    expect(html).not.toContain('rel="next"');
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).not.toMatch(/<script|<link |https?:\/\/[^"]*\.(css|js)"/);
    expect(html).toContain('<label for="s-email">');
  });

  it('marks the current tab and names search results', () => {
    const html = renderHomePage(view({ tab: 'search', q: 'lora <x>', cards: [] }));
    expect(html).toContain('Search results for “lora &#60;x&#62;”');
    expect(html).toContain('No papers match.');
    expect(html).toMatch(/href="\/\?q=lora%20%3Cx%3E" aria-current="page"/);
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
