import 'reflect-metadata';
import { seedPaper } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(60_000);

const MODEL = 'https://huggingface.co/MiniMaxAI/MiniMax-M3';
const REPO = 'https://github.com/MiniMax-AI/MiniMax-M3';

// Review 25: a Hugging Face model a source listed with the code was "Model on Hugging Face" on the page and
// title="model" in Atom, but links.code in /v1 (and the webhooks). Every surface says what a link is, alike.
describe('a link is called what it is on every surface', () => {
  const api = useTestApi('t_link_kinds', async (db) => {
    await seedPaper(db.ds, {
      title: 'MiniMax-M3',
      abstract: 'A model.',
      arxivId: '2606.13392',
      links: { abs: 'https://arxiv.org/abs/2606.13392', code: [MODEL, REPO], project: [] },
    });
  });

  it('/v1 keeps code for code repositories and labels every link as the page does', async () => {
    const detail = (await api.http().get('/v1/papers/2606.13392').expect(200)).body;
    expect(detail.links.code).toEqual([REPO]);
    expect(detail.links.labelled).toEqual([
      { kind: 'model', label: 'Model on Hugging Face', short: 'Model', url: MODEL, listedAs: 'code' },
      { kind: 'code', label: 'Code on GitHub', short: 'Code', url: REPO, listedAs: 'code' },
    ]);
    const list = (await api.http().get('/v1/papers?q=MiniMax').expect(200)).body;
    expect(list.items[0].links).toEqual(detail.links);
    const page = (await api.http().get('/papers/2606.13392').expect(200)).text;
    expect(page).toContain(`<a href="${MODEL}" data-testid="link-model">Model on Hugging Face</a>`);
    const atom = (await api.http().get('/papers/2606.13392.atom').expect(200)).text;
    expect(atom).toContain(`<link rel="related" title="model" href="${MODEL}"/>`);
  });
});
