import { MIGRATIONS, refreshReadModel } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

// A paper no source dated (a Daily Papers text capture's) is listed by the day a source featured it, not by when
// PaperWire stored it: a capture of months ago ingested today does not sit above this week's papers in the lists,
// the feeds, the `since` filter or the claim order, and a publication date a source states later takes over.
describe('the listing date of a paper no source dated', () => {
  const day = 86_400_000;
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const featured = iso(90 * day);
  let captureId = '';
  let datedId = '';
  const api = useTestApi('t_listed_at', async ({ ds }) => {
    await seedTopic(ds, 'rag', 'Retrieval-augmented generation');
    const capture = await seedSource(ds, 'capture', 'upload');
    const hf = await seedSource(ds, 'hf-listed', 'hf-daily-papers');
    // stored today, featured 90 days ago, no publication date
    captureId = await seedPaper(ds, {
      title: 'Quillwort sparse retrieval from a listing capture',
      abstract: 'Quillwort retrieval reaches 71.2% recall at one tenth of the index size.',
      publishedAt: null,
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      claims: [{ value: 71.2, unit: '%', kind: 'absolute_score', metric: 'recall', text: '71.2% recall' }],
      sightings: [{ sourceId: capture, sourceKind: 'upload', featuredAt: featured }],
    });
    datedId = await seedPaper(ds, {
      title: 'Quillwort dense retrieval, published this week',
      abstract: 'Dense quillwort retrieval reaches 74.0% recall.',
      publishedAt: iso(2 * day),
      topics: [{ slug: 'rag', score: 0.9, primary: true }],
      claims: [{ value: 74, unit: '%', kind: 'absolute_score', metric: 'recall', text: '74.0% recall' }],
      sightings: [{ sourceId: hf, sourceKind: 'hf-daily-papers', featuredAt: iso(2 * day) }],
    });
  });
  const http = () => api.http();
  const listed = async (): Promise<{ listed_at: Date | null; sort_at: Date }[]> =>
    api.db.ds.query(
      `SELECT p.listed_at, ct.sort_at FROM papers p JOIN claim_topics ct ON ct.paper_id = p.id WHERE p.id = $1`,
      [captureId],
    );

  it('keeps the day a source featured it as its listing date, and its claims in that order', async () => {
    expect(await listed()).toEqual([{ listed_at: new Date(featured), sort_at: new Date(featured) }]);
  });

  it('lists it by that day in /v1/papers, the since filter, the claims and the topic feed', async () => {
    const ids = (await http().get('/v1/papers').query({ q: 'quillwort' }).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual([datedId, captureId]);
    const recent = (await http().get('/v1/papers').query({ sort: 'recent' }).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(recent).toEqual([datedId, captureId]);
    const since = (await http().get('/v1/papers').query({ since: iso(30 * day).slice(0, 10) }).expect(200)).body.items;
    expect(since.map((i: { id: string }) => i.id)).toEqual([datedId]);
    const claims = (await http().get('/v1/claims').query({ claimMetric: 'recall', topic: 'rag' }).expect(200)).body.items;
    expect(claims.map((c: { paperId: string }) => c.paperId)).toEqual([datedId, captureId]);
    const atom = (await http().get('/v1/feeds/topics/rag.atom').expect(200)).text;
    expect(atom.indexOf('published this week')).toBeGreaterThan(0);
    expect(atom.indexOf('published this week')).toBeLessThan(atom.indexOf('from a listing capture'));
  });

  it('gives way to a publication date a source states later, and moves its claims with it', async () => {
    const published = iso(1 * day);
    await api.db.ds.query(`UPDATE papers SET published_at = $2 WHERE id = $1`, [captureId, published]);
    await refreshReadModel(api.db.ds, [captureId]);
    expect((await listed())[0].sort_at).toEqual(new Date(published));
    const recent = (await http().get('/v1/papers').query({ sort: 'recent' }).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(recent).toEqual([captureId, datedId]);
    await api.db.ds.query(`UPDATE papers SET published_at = NULL WHERE id = $1`, [captureId]);
    await refreshReadModel(api.db.ds, [captureId]);
    expect(await listed()).toEqual([{ listed_at: new Date(featured), sort_at: new Date(featured) }]);
  });

  it('migration PapersListedAt: down puts the created_at order back, up fills listed_at again', async () => {
    const migration = MIGRATIONS.map((M) => new M()).find((m) => m.name === 'PapersListedAt1796270000000')!;
    const runner = api.db.ds.createQueryRunner();
    try {
      await migration.down(runner);
      const [{ created_at }] = await api.db.ds.query(`SELECT created_at FROM papers WHERE id = $1`, [captureId]);
      expect((await api.db.ds.query(`SELECT sort_at FROM claim_topics WHERE paper_id = $1`, [captureId]))[0].sort_at).toEqual(created_at);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await listed()).toEqual([{ listed_at: new Date(featured), sort_at: new Date(featured) }]);
  });
});
