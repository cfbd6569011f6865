import type { DigestLeftOutPage } from '@paperwire/db';
import { digestPeriodText, digestSummary, renderDigestPage } from './digest-page';

const digest = (over: Partial<DigestLeftOutPage> = {}): DigestLeftOutPage => ({
  id: 'd1',
  digestKey: '2026-12-07',
  subscriptionName: 'RAG <daily>',
  mode: 'daily',
  period: { start: '2026-12-06T08:00:00.000Z', end: '2026-12-07T08:00:00.000Z' },
  total: 110,
  capped: false,
  leftOutCount: 60,
  ids: [],
  restUrl: null,
  ...over,
});

describe('the digest page', () => {
  it('says what the mail said: 110 matched, the first 50 carried, these 60 left out', () => {
    expect(digestSummary(digest())).toBe('110 papers matched; the digest carried the first 50, and these are the 60 it left out, in the digest’s order.');
    expect(digestPeriodText(digest())).toBe('daily digest 2026-12-07, 2026-12-06 08:00 UTC – 2026-12-07 08:00 UTC');
    expect(digestPeriodText(digest({ digestKey: 'on-demand:2026-12-07T10:00:00.000Z' }))).toMatch(/^on-demand daily digest, /);
  });

  it('past the scan cap it says the period had more than it lists', () => {
    const s = digestSummary(digest({ total: 5000, capped: true, leftOutCount: 4950 }));
    expect(s).toContain('5,000+ papers matched; the digest carried the first 50, and these are the 4,950 it left out');
    expect(s).toContain('later ones are not listed here');
  });

  it('escapes the name, is never indexed, and an older digest links its period page instead of a list', () => {
    const html = renderDigestPage({ nonce: 'n', digest: digest({ leftOutCount: null }), page: 1, cards: [], nextHref: null, previousHref: null, periodHref: 'https://pw.example/?date=2026-12-07' });
    expect(html).toContain('Left out of “RAG &lt;daily&gt;”');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('data-testid="unavailable"');
    expect(html).toContain('href="https://pw.example/?date=2026-12-07"');
    expect(html).not.toContain('data-testid="papers"');
  });
});
