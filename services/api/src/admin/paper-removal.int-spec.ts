import { createApiKey } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// Papers ingested by mistake (a README read as a capture: "## Security", "## Tests" …) stayed listed, in feeds and
// digests, with no way out. `paperwire papers remove <id…> --yes` and DELETE /v1/admin/papers/{id} delete them through
// the action layer; without --yes the CLI only lists them. The built CLI and the api on one schema, real Postgres.
describe('removing papers ingested by mistake', () => {
  const ids = { heading: '', tests: '', kept: '', byApi: '' };
  let admin = '';
  let reader = '';
  const api = useTestApi('t_paper_remove', async ({ ds }) => {
    await seedTopic(ds, 'rag');
    const upload = await seedSource(ds, 'upload', 'upload');
    const seen = [{ sourceId: upload, sourceKind: 'upload', featuredAt: '2026-11-02T00:00:00Z' }];
    const paper = (title: string, arxivId?: string) =>
      seedPaper(ds, {
        title,
        abstract: `${title} is what this paragraph is about; it has nothing of a paper but its length, which is long enough to read as one.`,
        ...(arxivId ? { arxivId } : { publishedAt: null }),
        topics: [{ slug: 'rag', score: 0.7, primary: true }],
        sightings: seen,
        stage: 'notified',
      });
    ids.heading = await paper('## Security');
    ids.tests = await paper('## Tests');
    ids.kept = await paper('Retrieval heads for long contexts', '2611.02001');
    ids.byApi = await paper('## Requirements');
    admin = (await createApiKey(ds, { name: 'admin', scopes: ['admin'] })).key;
    reader = (await createApiKey(ds, { name: 'reader', scopes: ['read'] })).key;
  });
  const count = async () => Number((await api.db.ds.query(`SELECT count(*)::int AS n FROM papers`))[0].n);
  const listed = async () => ((await api.http().get('/v1/papers?limit=50').expect(200)).body.items as { id: string }[]).map((p) => p.id).sort();

  it('without --yes lists the papers and removes nothing (exit 1, says how to confirm)', async () => {
    const r = await api.cli(['papers', 'remove', ids.heading, ids.tests]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: ids.heading, arxivId: null, title: '## Security' },
      { id: ids.tests, arxivId: null, title: '## Tests' },
    ]);
    expect(r.stderr).toBe('paperwire: this would remove 2 papers and everything hanging off them; nothing removed: run again with --yes to remove them\n');
    expect(await count()).toBe(4);
  });

  it('refuses an id that names no paper in one line, removing none', async () => {
    const r = await api.cli(['papers', 'remove', ids.heading, '2611.09999', '--yes']);
    expect(r).toMatchObject({ code: 1, stderr: 'paperwire: no paper 2611.09999 in the catalogue; nothing removed\n' });
    expect(await count()).toBe(4);
  });

  it('with --yes removes them, says what went, and the listings no longer have them', async () => {
    expect(await listed()).toHaveLength(4);
    const r = await api.cli(['papers', 'remove', ids.heading, ids.tests, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`paperwire: removed 2 papers: ${ids.heading} "## Security", ${ids.tests} "## Tests"\n`);
    expect(JSON.parse(r.stdout)).toEqual({
      removed: [
        { id: ids.heading, arxivId: null, title: '## Security' },
        { id: ids.tests, arxivId: null, title: '## Tests' },
      ],
      deliveriesSkipped: 0,
    });
    expect(await listed()).toEqual([ids.kept, ids.byApi].sort());
    await api.http().get(`/v1/papers/${ids.heading}`).expect(404);
    // the day's listing counts the papers left (its total is kept by triggers)
    const day = await api.http().get('/v1/daily?date=2026-11-02').expect(200);
    expect(day.body.total).toBe(2);
    expect((day.body.items as { id: string }[]).map((p) => p.id).sort()).toEqual([ids.kept, ids.byApi].sort());
  });

  it('DELETE /v1/admin/papers/{id} removes one with an admin key (401 without, 403 with a read key, 404 once gone)', async () => {
    await api.http().delete(`/v1/admin/papers/${ids.byApi}`).expect(401);
    await api.http().delete(`/v1/admin/papers/${ids.byApi}`).set('Authorization', `Bearer ${reader}`).expect(403);
    await api.http().delete(`/v1/admin/papers/${ids.byApi}`).set('Authorization', `Bearer ${admin}`).expect(204);
    const again = await api.http().delete(`/v1/admin/papers/${ids.byApi}`).set('Authorization', `Bearer ${admin}`).expect(404);
    expect(again.body.detail ?? again.body.title).toMatch(/no paper/);
    await api.http().delete('/v1/admin/papers/not-an-id').set('Authorization', `Bearer ${admin}`).expect(404);
    expect(await listed()).toEqual([ids.kept]);
  });
});
