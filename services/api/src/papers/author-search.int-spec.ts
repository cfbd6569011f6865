import 'reflect-metadata';
import { refreshPaperSearch } from '@paperwire/db';
import { seedPaper } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

// A reader typing an author's name in the search box (/v1/papers?q=, the page, /api/papers/search) finds that
// author's papers: the full-text document has the authors' names (weight C), under the title (A) and abstract (B).
describe('search by author', () => {
  const ids: Record<string, string> = {};
  const api = useTestApi('t_author_search', async ({ ds }) => {
    ids.lecun = await seedPaper(ds, {
      title: 'Gradient-based learning applied to document recognition',
      abstract: 'Convolutional networks read handwritten digits.',
      authors: ['Yann LeCun', 'Léon Bottou', 'Yoshua Bengio', 'Patrick Haffner'],
      arxivId: '2612.10001',
    });
    ids.he = await seedPaper(ds, {
      title: 'Deep residual learning for image recognition',
      abstract: 'Identity shortcuts let very deep networks train.',
      authors: ['Kaiming He', 'Xiangyu Zhang', 'Shaoqing Ren', 'Jian Sun'],
      arxivId: '2612.10002',
    });
    ids.scholkopf = await seedPaper(ds, {
      title: 'Learning with kernels',
      abstract: 'Support vector machines and their regularisation.',
      authors: ['Bernhard Schölkopf', 'Alexander J. Smola', 'Łukasz Nguyễn'],
      arxivId: '2612.10003',
    });
    // LeCun in the title: ranked above the paper he wrote.
    ids.about = await seedPaper(ds, {
      title: 'What LeCun got right about world models',
      abstract: 'An essay on predictive architectures.',
      authors: ['Ada Critic'],
      arxivId: '2612.10004',
    });
    ids.affiliation = await seedPaper(ds, {
      title: 'Sparse adapters',
      abstract: 'We prune attention heads.',
      arxivId: '2612.10005',
    });
  });
  const http = api.http;
  const found = async (q: string, extra = '') =>
    ((await http().get(`/v1/papers?q=${encodeURIComponent(q)}${extra}`).expect(200)).body.items as { id: string }[]).map(
      (p) => p.id,
    );

  it("finds a paper by an author's full name or surname, on every search path", async () => {
    expect(await found('Kaiming He')).toEqual([ids.he]);
    expect(await found('Yann LeCun')).toContain(ids.lecun);
    expect(await found('"Yann LeCun"')).toEqual([ids.lecun]);
    expect(await found('Bengio')).toEqual([ids.lecun]);
    expect(await found('Bengio recognition')).toEqual([ids.lecun]);
    // a quoted phrase never joins the end of one name to the start of the next
    expect(await found('"LeCun Léon"')).toEqual([]);
    const hf = await http().get('/api/papers/search?q=Smola').expect(200);
    expect((hf.body as { paper: { id: string } }[]).map((i) => i.paper.id)).toEqual(['2612.10003']);
  });

  it('ranks a title match above an author match', async () => {
    expect(await found('LeCun', '&sort=relevance')).toEqual([ids.about, ids.lecun]);
  });

  it('finds an accented name written with or without its accents', async () => {
    expect(await found('Schölkopf')).toEqual([ids.scholkopf]);
    expect(await found('Scholkopf')).toEqual([ids.scholkopf]);
    expect(await found('Leon Bottou')).toEqual([ids.lecun]);
    expect(await found('"Lukasz Nguyen"')).toEqual([ids.scholkopf]);
    expect(await found('Łukasz Nguyễn')).toEqual([ids.scholkopf]);
  });

  it('re-indexes a paper whose author list alone changed (same title and abstract, same content hash)', async () => {
    const { ds } = api.db;
    const [{ content_hash: before }] = await ds.query(`SELECT content_hash FROM papers WHERE id = $1`, [ids.affiliation]);
    await ds.query(`UPDATE papers SET authors = '[{"name": "Grace Hopper"}]' WHERE id = $1`, [ids.affiliation]);
    expect(await found('Hopper')).toEqual([]);
    expect(await refreshPaperSearch(ds, [ids.affiliation])).toBe(1);
    expect(await refreshPaperSearch(ds, [ids.affiliation])).toBe(0); // a replay writes nothing
    expect(await found('Hopper')).toEqual([ids.affiliation]);
    expect(await ds.query(`SELECT content_hash FROM papers WHERE id = $1`, [ids.affiliation])).toEqual([{ content_hash: before }]);
  });
});
