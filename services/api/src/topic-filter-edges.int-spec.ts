import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

jest.setTimeout(60_000);

// A second user review's topic-filter edges: a disabled topic's chips (its past papers keep it) lead to its
// listing as the API's filter does, and a near-miss topic is answered with the closest topics, disabled ones too.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('topic filter edges', () => {
  let day = '';
  let subsKey = '';
  const api = useTestApi('t_topic_filter_edges', async ({ ds }) => {
    subsKey = (await createApiKey(ds, { name: 'edges', scopes: ['subscriptions'] })).key;
    await seedTopic(ds, 'multilingual', 'Multilingual NLP');
    await seedTopic(ds, 'recommendation', 'Recommender systems');
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const at = new Date(Date.now() - 2 * 86_400_000).toISOString();
    day = at.slice(0, 10);
    /** A paper of topic `slug` featured two days ago by `source` (its only sighting). */
    const seedFeatured = async (source: { id: string; kind: string }, upvotes: number, p: { title: string; abstract: string; arxivId: string; slug: string }) =>
      seedPaper(ds, {
        title: p.title,
        abstract: p.abstract,
        arxivId: p.arxivId,
        publishedAt: at,
        topics: [{ slug: p.slug, score: 0.9, primary: true }],
        sightings: [{ sourceId: source.id, sourceKind: source.kind, upvotes, featuredAt: at }],
      });
    const hf = { id: await seedSource(ds, 'hf-daily', 'hf-daily-papers'), kind: 'hf-daily-papers' };
    await seedFeatured(hf, 3, {
      title: 'A multilingual paper from before its topic was removed',
      abstract: 'Translation across forty languages.',
      arxivId: '2612.00201',
      slug: 'multilingual',
    });
    // the sample HF papers: a file source replaying the hf-daily-papers format
    const sample = { id: await seedSource(ds, 'sample-hf', 'file'), kind: 'file' };
    await ds.query(`UPDATE sources SET params = '{"format": "hf-daily-papers"}' WHERE id = $1`, [sample.id]);
    await seedFeatured(sample, 1, { title: 'A sample HF paper', abstract: 'Replayed from a file.', arxivId: '2612.00202', slug: 'rag' });
    // `paperwire topics remove multilingual`: disabled, its papers keep it
    await ds.query(`UPDATE topics SET enabled = false WHERE slug = 'multilingual'`);
  });
  const http = () => api.http();
  const page = (path: string) => http().get(path).set('Accept', BROWSER_ACCEPT);

  it('lists a disabled topic on the Daily Papers page, as /v1/papers does', async () => {
    const papers = (await http().get('/v1/papers?topic=multilingual').expect(200)).body;
    expect(papers.items.map((p: { title: string }) => p.title)).toEqual(['A multilingual paper from before its topic was removed']);
    for (const path of ['/?topic=multilingual', `/?topic=multilingual&date=${day}`]) {
      const html = (await page(path).expect(200)).text;
      expect({ path, title: /<title>[^<]*Multilingual NLP/.test(html), paper: html.includes('A multilingual paper from before') }).toEqual({
        path,
        title: true,
        paper: true,
      });
    }
  });

  it('answers a topic that never existed with a 404 linking the closest topics', async () => {
    const html = (await page(`/?topic=recomendation&date=${day}`).expect(404)).text;
    expect(html).toContain('No such topic');
    expect(html).toContain(`<a href="/?date=${day}&amp;topic=recommendation">Recommender systems</a>`);
    expect((await page('/?topic=zzzzzzzz').expect(404)).text).not.toContain('data-testid="suggestions"');
  });

  it('suggests a disabled topic for its near-miss, on the page and in the API', async () => {
    expect((await page('/?topic=multilingua').expect(404)).text).toContain('<a href="/?topic=multilingual">Multilingual NLP</a>');
    const res = await http().get('/v1/papers?topic=multilingua').expect(400);
    expect(JSON.stringify(res.body)).toContain('did you mean multilingual?');
  });

  it('takes a topic in any case, and an empty topic, claimMetric or source as no filter', async () => {
    const titles = async (path: string) => (await http().get(path).expect(200)).body.items.map((p: { title: string }) => p.title);
    expect(await titles('/v1/papers?topic=Multilingual')).toEqual(['A multilingual paper from before its topic was removed']);
    await http().get('/v1/claims?topic=MULTILINGUAL').expect(200);
    const all = await titles('/v1/papers');
    for (const empty of ['topic=', 'claimMetric=', 'source=', 'source=%20', 'claimMetric=&source=&topic='])
      expect({ empty, titles: await titles(`/v1/papers?${empty}`) }).toEqual({ empty, titles: all });
    expect((await page('/?topic=Multilingual').expect(200)).text).toContain('A multilingual paper from before');
  });

  it('refuses subscription filters that can never match as the query filters do, with the same hints', async () => {
    const digest = { channel: 'email', target: 'u23@example.com', mode: 'daily', schedule: { hour: 8 } };
    const create = (filters: object) => http().post('/v1/subscriptions').set('Authorization', `Bearer ${subsKey}`).send({ ...digest, filters });
    const metric = (await create({ claims: [{ metric: 'acuracy' }] }).expect(400)).body;
    expect(metric.errors).toEqual([{ field: '/filters/claims/0/metric', detail: expect.stringContaining('no claim names the metric "acuracy" (did you mean accuracy?)') }]);
    const source = (await create({ sources: ['hf'] }).expect(400)).body;
    expect(source.errors).toEqual([{ field: '/filters/sources/0', detail: expect.stringContaining('no source is named or of the kind "hf"') }]);
    expect(source.errors[0].detail).toContain('source kinds: file, hf-daily-papers');
    const topic = (await create({ topics: { slugs: ['recomendation'] } }).expect(400)).body;
    expect(topic.detail).toBe('no such topic: recomendation (did you mean recommendation?)');
    // a source's name or kind in any case (the matcher compares them so), and a known metric, are taken
    await create({ sources: ['HF-Daily-Papers', 'hf-daily'], claims: [{ metric: 'Accuracy' }] }).expect(201);
  });

  it('matches a source by name, by kind or by the format a file source replays; repeated, any of them', async () => {
    const titles = async (path: string) => ((await http().get(path).expect(200)).body.items.map((p: { title: string }) => p.title) as string[]).sort();
    const both = ['A multilingual paper from before its topic was removed', 'A sample HF paper'];
    expect(await titles('/v1/papers?source=hf-daily-papers')).toEqual(both);
    expect(await titles('/v1/papers?source=sample-hf')).toEqual(['A sample HF paper']);
    expect(await titles('/v1/papers?source=hf-daily&source=sample-hf')).toEqual(both);
    const refused = (await http().get('/v1/papers?source=hf&source=sample-hf').expect(400)).body;
    expect(refused.errors).toEqual([{ field: 'source', detail: expect.stringContaining('no source is named or of the kind "hf"') }]);
    // the hint lists what a source value can match: the kinds, a file source's format among them
    expect(refused.errors[0].detail).toContain('source kinds: file, hf-daily-papers');
  });

  it('a topic\'s empty day links the topic\'s latest day with papers', async () => {
    const empty = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
    const html = (await page(`/?topic=multilingual&date=${empty}`).expect(200)).text;
    expect(html).toContain('data-testid="empty"');
    expect(html).toContain(`<p data-testid="empty-latest">The latest day with papers in “Multilingual NLP” is <a href="/?date=${day}&amp;topic=multilingual">${day}</a>.</p>`);
    expect((await page(`/?topic=multilingual&date=${day}`).expect(200)).text).not.toContain('empty-latest');
  });
});
