import { toHfDailyItem, toHfPaper, type HfSource } from './hf-shape';

const source = (over: Partial<HfSource> = {}): HfSource => ({
  id: '7d0f3c1e-0000-4000-8000-000000000001',
  arxivId: '2607.00001',
  title: 'Scaling Laws for Sparse Models',
  abstract: 'We study sparse models – and scale them.',
  authors: [{ name: 'A. Author' }],
  publishedAt: '2026-07-30T00:00:00.000Z',
  firstSeenAt: '2026-07-31T00:00:00.000Z',
  featuredAt: '2026-07-31T00:00:00.000Z',
  upvotes: 3,
  numComments: 1,
  githubStars: null,
  submittedBy: 'someone',
  links: { code: ['https://github.com/o/r'], project: [] },
  primaryTopic: null,
  topics: [],
  headlineClaim: null,
  trendingScore: 0,
  hasTrendingSignal: false,
  ...over,
});

describe('the HF-compatible shape of a paper', () => {
  it('serves Hugging Face’s own fields and texts as HF gave them when a Hugging Face source did', () => {
    const hf = {
      title: 'Scaling  Laws\n  for Sparse Models',
      summary: 'We study sparse models -- and scale them.',
      discussionId: '6a2c75a4a0d4daae4285f068',
      aiSummary: 'Sparse models scale.',
      aiKeywords: ['sparsity', 'scaling laws'],
      aiSummaryModel: 'Org/Model',
      githubRepo: 'https://github.com/o/r',
      githubRepoAddedBy: 'author',
    };
    const item = toHfDailyItem(source({ hf }), 'https://pw.example.org');
    // the item's title is one line, as HF's item title is; the paper's keeps HF's line breaks
    expect([item.title, item.summary, item.paper.title, item.paper.summary]).toEqual(['Scaling  Laws for Sparse Models', hf.summary, hf.title, hf.summary]);
    // HF's own item title when it gave another
    expect(toHfDailyItem(source({ hf: { ...hf, itemTitle: 'Scaling Laws for Sparse Models' } }), 'https://pw.example.org').title).toBe('Scaling Laws for Sparse Models');
    expect(item.paper).toMatchObject({
      discussionId: hf.discussionId,
      ai_summary: hf.aiSummary,
      ai_keywords: hf.aiKeywords,
      ai_summary_model: hf.aiSummaryModel,
      githubRepo: 'https://github.com/o/r',
      githubRepoAddedBy: 'author',
    });
    // HF's own repository is served as HF gave it, a model too, with who added it there
    const model = toHfPaper(source({ hf: { ...hf, githubRepo: 'https://huggingface.co/acme/tiny-7b' } }));
    expect([model.githubRepo, model.githubRepoAddedBy]).toEqual(['https://huggingface.co/acme/tiny-7b', 'author']);
    // a repository only another source gave is served without HF's word on who added it
    const other = toHfPaper(source({ hf: { discussionId: hf.discussionId }, links: { code: ['https://github.com/someone/else'], project: [] } }));
    expect([other.githubRepo, other.githubRepoAddedBy]).toEqual(['https://github.com/someone/else', undefined]);
  });

  it('serves the submitter’s display name and the hidden authors as Hugging Face gave them', () => {
    const s = source({
      authors: [{ name: 'A. Author' }, { name: 'B. Hidden' }],
      submittedBy: 'RKocielnik',
      hf: { submitter: { name: 'RKocielnik', fullname: 'Rafal Kocielnik' }, hiddenAuthors: ['B. Hidden'] },
    });
    const item = toHfDailyItem(s, 'https://pw.example.org');
    expect(item.submittedBy).toEqual({ name: 'RKocielnik', fullname: 'Rafal Kocielnik' });
    expect(item.paper.submittedOnDailyBy).toEqual({ name: 'RKocielnik', fullname: 'Rafal Kocielnik', user: 'RKocielnik' });
    expect(item.paper.authors).toEqual([{ name: 'A. Author', hidden: false }, { name: 'B. Hidden', hidden: true }]);
    // a display name is said only of the handle it was given for (another sighting's submitter keeps its handle)
    const other = toHfDailyItem({ ...s, submittedBy: 'someone-else' }, 'https://pw.example.org');
    expect(other.submittedBy).toEqual({ name: 'someone-else', fullname: 'someone-else' });
  });

  it('serves PaperWire’s texts and none of HF’s own keys for a paper no Hugging Face source listed', () => {
    const paper = toHfPaper(source({ hf: null }));
    expect([paper.title, paper.summary]).toEqual(['Scaling Laws for Sparse Models', 'We study sparse models – and scale them.']);
    expect(paper.authors).toEqual([{ name: 'A. Author', hidden: false }]);
    expect(paper.submittedOnDailyBy).toEqual({ name: 'someone', fullname: 'someone', user: 'someone' });
    for (const k of ['discussionId', 'ai_summary', 'ai_keywords', 'ai_summary_model', 'githubRepoAddedBy']) expect(k in paper).toBe(false);
  });
});
