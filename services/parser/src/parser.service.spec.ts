import type { CanonicalPaper } from '@paperwire/contracts';
import { newestItem } from './parser.service';

const item = (publishedAt?: string, featuredAt?: string) => ({
  key: 'k',
  hash: 'h',
  paper: { publishedAt, sighting: { featuredAt } } as unknown as CanonicalPaper,
});

describe('newestItem', () => {
  it('takes the featured date first, else the publication date, and ignores missing or bad dates', () => {
    expect(
      newestItem([
        item('2026-06-01T00:00:00Z'),
        item('2026-05-01T00:00:00Z', '2026-06-12T00:00:00Z'),
        item('not a date'),
      ]),
    ).toBe('2026-06-12T00:00:00.000Z');
    expect(newestItem([item('2026-06-01T00:00:00Z'), item(undefined)])).toBe('2026-06-01T00:00:00.000Z');
    expect(newestItem([item(undefined)])).toBeNull();
    expect(newestItem([])).toBeNull();
  });
});
