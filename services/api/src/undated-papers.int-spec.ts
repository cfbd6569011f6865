import { refreshPaperSearch, refreshReadModel } from '@paperwire/db';
import { parseDocument } from '@paperwire/feeds';
import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

// A Daily Papers text capture states no publication date: its "Sep 1" is when Daily Papers listed the paper. No
// surface passes that day (or the ingest time) off as the paper's date: /v1 and the HF API say null, the feeds leave
// their optional publication date out, and the page says when and where it was listed instead.
describe('a paper no source dated has no publication date on any surface', () => {
  const api = useTestApi('t_undated_papers', async () => undefined);
  const http = () => api.http();
  const title = 'Zephyrine lattice codes for undated captures';
  const capture = [
    'Daily Papers',
    'Sep 1',
    title,
    'We study zephyrine lattice codes, a family of error-correcting codes built on sparse lattices. ' +
      'They decode in linear time and reach within one decibel of capacity on the channels we test, at a tenth of the memory.',
    '',
  ].join('\n\n');
  let id = '';

  // the paper as the parser stores it (services/parser's capture-date.int-spec runs the parser on a capture)
  beforeAll(async () => {
    const { ds } = api.db;
    const [paper] = parseDocument({ body: capture, format: 'daily-papers-text', fetchedAt: '2026-09-03T10:00:00Z' }).papers;
    id = await seedPaper(ds, { title: paper.title, abstract: paper.abstract, publishedAt: paper.publishedAt ?? null });
    const source = await seedSource(ds, 'capture', 'upload');
    // the upload read as a Daily Papers text capture (what its raw document's format says when the parser reads one)
    await ds.query(`UPDATE sources SET params = '{"format": "daily-papers-text"}'::jsonb WHERE id = $1`, [source]);
    await ds.query(`INSERT INTO paper_sources (paper_id, source_id, source_kind, featured_at) VALUES ($1, $2, 'upload', $3)`, [
      id,
      source,
      paper.sighting.featuredAt ?? null,
    ]);
    await refreshReadModel(ds, [id]);
    await refreshPaperSearch(ds, [id]);
  });

  it('/v1 and the HF API give publishedAt null; the day listing still files it on Sep 1', async () => {
    expect((await http().get(`/v1/papers/${id}`).expect(200)).body.publishedAt).toBeNull();
    expect((await http().get(`/api/papers/${id}`).expect(200)).body.publishedAt).toBeNull();
    const items = (await http().get('/api/daily_papers').query({ date: '2026-09-01' }).expect(200)).body;
    expect(items.map((i: { paper: { publishedAt: unknown } }) => i.paper.publishedAt)).toEqual([null]);
  });

  it('Atom has no <published> and is updated when first seen; the JSON Feed has no date_published', async () => {
    const [{ created_at }]: { created_at: Date }[] = await api.db.ds.query(`SELECT created_at FROM papers WHERE id = $1`, [id]);
    const atom = (await http().get('/v1/feeds/search.atom').query({ q: 'zephyrine lattice' }).expect(200)).text;
    const entry = atom.split('<entry>').find((e) => e.includes(`urn:uuid:${id}`)) ?? '';
    expect(entry).toContain(`<updated>${created_at.toISOString()}</updated>`);
    expect(entry).not.toContain('<published>');
    const json = JSON.parse((await http().get('/v1/feeds/search.json').query({ q: 'zephyrine lattice' }).expect(200)).text);
    const item = json.items.find((i: { id: string }) => i.id === id);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('date_published');
  });

  it('the page says when Daily Papers listed it, not "Published"', async () => {
    const html = (await http().get(`/papers/${id}`).expect(200)).text;
    const dates = /<p class="meta" data-testid="dates">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    // the day it was listed is said once: on the line linking the listed days, not again among the dates (fix24f)
    expect(dates.replace(/<[^>]+>/g, '')).toMatch(/^Added to PaperWire \d{4}-\d{2}-\d{2}$/);
    const text = html.replace(/<[^>]+>/g, '');
    expect(text.match(/Listed (?:in|on) (?:the )?Daily Papers/g)).toEqual(['Listed in the Daily Papers']);
    expect(text).toContain('Listed in the Daily Papers of 2026-09-01');
    expect(html).not.toContain('article:published_time');
  });
});
