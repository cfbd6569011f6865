import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

// A "More papers" link PaperWire cannot continue from (an older version's cursor, or an edited one) says so and opens the
// same listing again from its first page: never "No such date" for a week, month or window that is valid, and never
// "expired" (a garbage cursor never worked), in a sentence that reads ("Start again from <a>the week’s first page</a>.").
describe('an expired page link on the page', () => {
  const api = useTestApi('t_expired_links', async ({ ds }) => {
    const source = await seedSource(ds, 'hf-expired', 'hf-daily-papers');
    await seedPaper(ds, {
      title: 'Tardigrade kernels for sparse attention',
      abstract: 'Tardigrade kernels run sparse attention on small devices.',
      publishedAt: '2026-09-01T00:00:00Z',
      sightings: [{ sourceId: source, sourceKind: 'hf-daily-papers', upvotes: 3, featuredAt: '2026-09-01T00:00:00Z' }],
    });
  });
  const http = () => api.http();

  it.each([
    ['week=2026-W36', '/?week=2026-W36', 'the week’s first page'],
    ['month=2026-09', '/?month=2026-09', 'the month’s first page'],
    ['date=2026-09-01', '/?date=2026-09-01', 'the day’s first page'],
    ['tab=trending&window=30d', '/?tab=trending&amp;window=30d', 'the first page of Trending (last 30 days)'],
  ])('%s with a broken cursor: "Page link not valid", linking the first page', async (params, first, label) => {
    const res = await http().get(`/?${params}&cursor=bm90LWEtY3Vyc29y`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Page link not valid');
    expect(res.text).not.toMatch(/expired|Did you mean/);
    expect(res.text).not.toContain('No such date');
    expect(res.text).toContain(`<p data-testid="suggestions">Start again from <a href="${first}">${label}</a>.</p>`);
  });
});
