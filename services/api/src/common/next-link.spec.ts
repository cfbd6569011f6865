import type { Request, Response } from 'express';
import { nextAfterHref, nextOffsetHref, nextPageHref, setNextLink } from './next-link';

describe('Link: rel="next"', () => {
  const links = (originalUrl: string, body: unknown): string[] => {
    const set: string[] = [];
    const res = { append: (name: string, value: string) => (name === 'Link' ? set.push(value) : undefined) } as unknown as Response;
    setNextLink({ originalUrl } as Request, res, body);
    return set;
  };

  it('replaces the cursor of the request, keeping its other parameters', () => {
    expect(nextPageHref('/v1/papers?limit=2&cursor=old&q=a%20b', 'n3xt')).toBe('/v1/papers?limit=2&cursor=n3xt&q=a+b');
    expect(links('/v1/claims?claimMetric=f1', { items: [], nextCursor: 'abc' })).toEqual(['</v1/claims?claimMetric=f1&cursor=abc>; rel="next"']);
  });

  it('gives the next offset of an offset-paged list (/v1/daily)', () => {
    expect(nextOffsetHref('/v1/daily?limit=3&offset=3&date=2026-06-12', 6)).toBe('/v1/daily?limit=3&offset=6&date=2026-06-12');
    expect(links('/v1/daily?limit=3', { items: [], nextOffset: 3 })).toEqual(['</v1/daily?limit=3&offset=3>; rel="next"']);
  });

  it("gives /v1/daily's next page by keyset (after, no offset) when there is one, before the offset", () => {
    expect(nextAfterHref('/v1/daily?limit=3&offset=3&date=2026-06-12', 'k3y')).toBe('/v1/daily?limit=3&date=2026-06-12&after=k3y');
    expect(links('/v1/daily?limit=3&after=old', { items: [], nextOffset: 6, nextAfter: 'new' })).toEqual(['</v1/daily?limit=3&after=new>; rel="next"']);
    expect(links('/v1/daily?limit=3', { items: [], nextOffset: 3, nextAfter: null })).toEqual(['</v1/daily?limit=3&offset=3>; rel="next"']);
  });

  it('says nothing on the last page or for a body that is no page', () => {
    for (const body of [{ nextCursor: null }, { nextOffset: null }, { nextCursor: '' }, { nextOffset: 0 }, [], null, 'x', { nextOffset: 1.5 }])
      expect(links('/v1/papers', body)).toEqual([]);
  });
});
