import 'reflect-metadata';
import { seedPaper, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// A feed address typed as a reader types it: capitals, the short form, a misspelt topic, a search without words.
describe('feed addresses', () => {
  const api = useTestApi('t_feed_addresses', async (db) => {
    await seedTopic(db.ds, 'efficiency', 'Efficiency');
    await seedTopic(db.ds, 'vision-language', 'Vision-language models');
    await seedPaper(db.ds, { title: 'Faster attention', abstract: 'An efficient kernel.', topics: [{ slug: 'efficiency', score: 0.9, primary: true }] });
  });

  it.each([
    ['/v1/feeds/topics/Efficiency.atom', '/v1/feeds/topics/efficiency.atom'],
    ['/v1/feeds/topics/efficiency.JSON', '/v1/feeds/topics/efficiency.json'],
    ['/v1/feeds/EFFICIENCY.json', '/v1/feeds/efficiency.json'],
  ])('%s moved for good to %s, which serves the feed', async (path, canonical) => {
    const res = await api.http().get(path).expect(301);
    expect(res.headers.location).toBe(canonical);
    const feed = await api.http().get(canonical).expect(200);
    expect(feed.text).toContain('Faster attention');
  });

  it.each([['/v1/feeds/topics/vison-language.atom'], ['/v1/feeds/Vison-Language.json']])('%s: 404 naming the closest topic', async (path) => {
    const res = await api.http().get(path).expect(404);
    expect(res.body.detail).toBe('no such topic "vison-language" (did you mean vision-language?); the topics are listed at /v1/topics');
  });

  it('a slug no topic can have ("vision_language") still names the closest topic', async () => {
    const res = await api.http().get('/v1/feeds/topics/vision_language.atom').expect(404);
    expect(res.body.detail).toBe('no such topic "vision_language" (did you mean vision-language?); the topics are listed at /v1/topics');
  });

  it('a search feed without filters says what it lists, never "matching all papers"', async () => {
    const res = await api.http().get('/v1/feeds/search.atom').expect(200);
    expect(res.text).toContain('<subtitle type="text">The newest papers in PaperWire</subtitle>');
    expect(res.text).not.toContain('matching all papers');
    const coded = await api.http().get('/v1/feeds/search.json?hasCode=true&topic=efficiency&q=kernel').expect(200);
    expect(coded.body.description).toBe('Newest papers matching “kernel”, in Efficiency, with code');
  });

  it('a paper id that is none names the forms a reader has, not "a paper key"', async () => {
    const res = await api.http().get('/v1/papers/not%20an%20id').expect(400);
    expect(res.body.detail).toContain('a Hugging Face paper link');
    expect(res.body.detail).not.toMatch(/paper key/);
  });
});
