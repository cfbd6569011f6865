import 'reflect-metadata';
import { seedPaper } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

const versionsOf = (html: string) => /<section class="panel" aria-labelledby="h-versions"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';

// Review 27: an OAI harvest read 0704.0716 at v4; its page said "Version v4" at the top and "Only one version so far."
// under Versions, as if v4 were the paper's first.
describe('the Versions of a paper PaperWire first read at a later arXiv version', () => {
  const api = useTestApi('t_earlier_versions', async ({ ds }) => {
    const at = async (arxivId: string, version: number) => {
      const id = await seedPaper(ds, { title: `A paper read at v${version}`, abstract: 'Lattice polygons.', arxivId });
      await ds.query(`UPDATE paper_versions SET version = $2 WHERE paper_id = $1`, [id, version]);
      await ds.query(`UPDATE papers SET version = $2 WHERE id = $1`, [id, version]);
    };
    await at('0704.0716', 4);
    await at('0704.0874', 2);
    await at('0704.0471', 1);
  });
  const page = async (id: string) => versionsOf((await api.http().get(`/papers/${id}`).set('accept', 'text/html').expect(200)).text);

  it('says which versions came before the one it read, and where they are', async () => {
    const v4 = await page('0704.0716');
    expect(v4).toContain('v4 — first seen by PaperWire');
    expect(v4).toContain(
      '<p data-testid="earlier-versions">PaperWire first read this paper at v4; v1–v3 came before (listed on <a href="https://arxiv.org/abs/0704.0716" data-testid="arxiv-versions">its arXiv page</a>).</p>',
    );
    expect(v4).not.toContain('Only one version so far');
    expect(await page('0704.0874')).toContain('PaperWire first read this paper at v2; v1 came before');
  });

  // Review 27: a shared link to a paper PaperWire has not read left the reader at a dead end.
  it('a paper PaperWire does not have links its arXiv page, when its id is an arXiv id', async () => {
    const missing = (await api.http().get('/papers/2606.99999').set('accept', 'text/html').expect(404)).text;
    expect(missing).toContain('<p data-testid="suggestions">It may be on arXiv: <a href="https://arxiv.org/abs/2606.99999">arXiv:2606.99999 on arxiv.org</a>.</p>');
    const old = (await api.http().get('/papers/hep-th%2F9901001').set('accept', 'text/html').expect(404)).text;
    expect(old).toContain('<a href="https://arxiv.org/abs/hep-th/9901001">');
    const uuid = (await api.http().get('/papers/00000000-0000-4000-8000-000000000001').set('accept', 'text/html').expect(404)).text;
    expect(uuid).not.toContain('arxiv.org');
  });

  it('a paper read at v1 still has only one version so far', async () => {
    const v1 = await page('0704.0471');
    expect(v1).toContain('Only one version so far.');
    expect(v1).not.toContain('earlier-versions');
  });
});
