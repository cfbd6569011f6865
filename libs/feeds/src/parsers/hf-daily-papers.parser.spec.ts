import { parseDocument } from '../index';
import { fixture, feedError } from '../../fixtures/fixtures';

describe('hf-daily-papers (JSON)', () => {
  it('parses the 2026 limit=30 capture', () => {
    const r = parseDocument({ body: fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json'), contentType: 'application/json; charset=utf-8' });
    expect(r.format).toBe('hf-daily-papers');
    expect(r.papers).toHaveLength(30);
    expect(r.errors).toEqual([]);
    const first = r.papers[0];
    expect(first.title).toBe('On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance');
    expect(first.externalIds).toEqual({ arxiv: '2606.00467' });
    expect(first.sighting).toEqual({
      sourceItemId: '2606.00467',
      authorParticipating: false,
      upvotes: 0,
      comments: 2,
      featuredAt: '2026-06-12T00:00:00.000Z',
      // HF's own item timestamp (the item's publishedAt), neither the featured day nor the paper's date
      itemPublishedAt: '2026-05-29T20:00:00.000Z',
      submittedBy: 'RKocielnik',
      organization: { name: 'caltech', fullname: 'California institute of technology' },
      thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.00467.png',
      hf: expect.objectContaining({ discussionId: '6a2c75a4a0d4daae4285f068', aiSummaryModel: 'Qwen/Qwen2.5-Coder-32B-Instruct' }),
    });
    expect(first.sighting.hf?.aiKeywords).toHaveLength(14);
    // HF's display name of the submitter, with its handle
    expect(first.sighting.hf?.submitter).toEqual({ name: 'RKocielnik', fullname: 'Rafal Kocielnik' });
    // the one author HF lists as hidden, by name
    const hiddenBy = r.papers.filter((p) => p.sighting.hf?.hiddenAuthors);
    expect(hiddenBy.map((p) => p.sighting.hf?.hiddenAuthors)).toEqual([['Dengyang Jiang']]);
    expect(hiddenBy[0].authors.map((a) => a.name)).toContain('Dengyang Jiang');
    // the item titles are the paper titles on one line here: none kept apart
    expect(r.papers.filter((p) => p.sighting.hf?.itemTitle)).toEqual([]);
    expect(first.publishedAt).toBe('2026-05-30T00:00:00.000Z');
    expect(first.authors[0]).toEqual({ name: 'Etienne Casanova' });
    const top = r.papers.find((p) => p.externalIds.arxiv === '2606.13681');
    expect(top?.sighting.upvotes).toBe(118);
    expect(top?.sighting.githubStars).toBe(9);
    expect(top?.links).toEqual({
      abs: 'https://arxiv.org/abs/2606.13681',
      pdf: 'https://arxiv.org/pdf/2606.13681',
      code: ['https://github.com/Aiden0526/EvoArena'],
      // as HF gave it: the trailing slash kept
      project: ['https://aiden0526.github.io/EvoArena/'],
    });
    // projectPage stays a project link even when it points at an HF space.
    expect(r.papers.find((p) => p.externalIds.arxiv === '2606.08063')?.links.project).toEqual(['https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1']);
    expect(Math.max(...r.papers.map((p) => p.sighting.upvotes ?? -1))).toBe(118);
    // every projectPage and githubRepo as HF gave it (12 of the 30 project pages end in a slash)
    const hf = JSON.parse(fixture('ok/hf-daily-papers/sotawhat_daily_papers_limit30_2026-06-12.json').toString('utf8')) as {
      paper: { id: string; projectPage?: string; githubRepo?: string };
    }[];
    // (where HF gave one: links found in the abstract come after)
    const given = hf.map(({ paper }) => [paper.id, paper.projectPage ?? null, paper.githubRepo ?? null]);
    const parsed = hf.map(({ paper }) => {
      const links = r.papers.find((p) => p.externalIds.arxiv === paper.id)?.links;
      return [paper.id, paper.projectPage ? (links?.project[0] ?? null) : null, paper.githubRepo ? (links?.code[0] ?? null) : null];
    });
    expect(parsed).toEqual(given);
    expect(given.filter((g) => g[1]?.endsWith('/')).length).toBeGreaterThan(5);
  });

  it('parses the trimmed, pretty-printed 5-item file', () => {
    const r = parseDocument({ body: fixture('ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json') });
    expect(r.papers.map((p) => [p.externalIds.arxiv, p.sighting.upvotes])).toEqual([
      ['2607.23193', 3],
      ['2607.27958', 11],
      ['2607.28582', 17],
      ['2607.28308', 2],
      ['2607.16922', 0],
    ]);
    expect(r.papers[0].title).toBe('OmniScope: Modality-Decoupled Token Compression for Omnimodal Large Language Models');
    expect(r.papers[0].links.code).toEqual(['https://github.com/MAC-AutoML/OmniScope']);
    expect(r.papers[2].links.project).toEqual(['https://umd-huang-lab.github.io/beta-opsd/']);
    expect(r.papers.every((p) => p.sighting.featuredAt === '2026-07-31T00:00:00.000Z')).toBe(true);
    expect(r.papers.map((p) => p.sighting.itemPublishedAt)).toEqual([
      '2026-07-27T20:00:00.000Z',
      '2026-07-29T20:00:00.000Z',
      '2026-07-29T20:00:00.000Z',
      '2026-07-29T20:00:00.000Z',
      '2026-07-17T20:00:00.000Z',
    ]);
    // Hard line breaks of paper.summary are collapsed, the original is kept.
    expect(r.papers.every((p) => !p.abstract.includes('\n'))).toBe(true);
  });

  it('keeps good items when one item is broken', () => {
    const items = JSON.parse(fixture('ok/hf-daily-papers/all-news-ai_daily_papers_5items_2026-07-31.json').toString('utf8')) as unknown[];
    const broken = [items[0], { paper: { id: '2607.00001', title: 'No summary here' } }, 42, items[1]];
    const r = parseDocument({ body: JSON.stringify(broken), format: 'hf-daily-papers' });
    expect(r.papers.map((p) => p.externalIds.arxiv)).toEqual(['2607.23193', '2607.27958']);
    expect(r.errors).toEqual([
      { index: 1, id: '2607.00001', message: 'missing abstract' },
      { index: 2, message: 'item without a paper object' },
    ]);
  });

  it('treats [] as an empty day and rejects truncated or wrongly shaped JSON', () => {
    expect(parseDocument({ body: '[]', contentType: 'application/json' })).toEqual({ format: 'hf-daily-papers', papers: [], errors: [] });
    expect(feedError(() => parseDocument({ body: fixture('not-ok/truncated_hf_daily_papers.json') })).code).toBe('unknown-format');
    expect(feedError(() => parseDocument({ body: fixture('not-ok/truncated_hf_daily_papers.json'), format: 'hf-daily-papers' })).code).toBe('malformed');
    expect(feedError(() => parseDocument({ body: fixture('not-ok/json_wrong-shape.json') })).code).toBe('unknown-format');
    expect(feedError(() => parseDocument({ body: fixture('not-ok/json_wrong-shape.json'), format: 'hf-daily-papers' })).code).toBe('malformed');
  });

  it('keeps an HF title as HF gives it, the item media and author participation; arXiv titles are still made text', () => {
    const item = (title: string, extra: Record<string, unknown> = {}) => ({
      paper: { id: '2607.28582', title, summary: 'A summary with $\\alpha$ -- and a dash.', authors: [{ name: 'A' }], mediaUrls: ['https://cdn.example.org/a.png', 'http://insecure.example.org/b.png'] },
      isAuthorParticipating: true,
      ...extra,
    });
    const [hfPaper] = parseDocument({ body: Buffer.from(JSON.stringify([item('Pedestrian Archetypes Extension -- More Pedestrian Models')])), format: 'hf-daily-papers' }).papers;
    expect(hfPaper.title).toBe('Pedestrian Archetypes Extension -- More Pedestrian Models');
    expect(hfPaper.abstract).toBe('A summary with α – and a dash.');
    expect(hfPaper.sighting.mediaUrls).toEqual(['https://cdn.example.org/a.png']);
    expect(hfPaper.sighting.authorParticipating).toBe(true);
    const [none] = parseDocument({ body: Buffer.from(JSON.stringify([{ paper: { id: '2607.1', title: 'T', summary: 'S' } }])), format: 'hf-daily-papers' }).papers;
    expect([none.sighting.mediaUrls, none.sighting.authorParticipating]).toEqual([undefined, undefined]);
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2607.28582v1</id>
      <title>Pedestrian Archetypes Extension -- More Pedestrian Models</title><summary>S</summary><published>2026-07-30T00:00:00Z</published>
      <author><name>A</name></author></entry></feed>`;
    const [arxiv] = parseDocument({ body: Buffer.from(atom), format: 'arxiv-api' }).papers;
    expect(arxiv.title).toBe('Pedestrian Archetypes Extension – More Pedestrian Models');
  });

  it('keeps Hugging Face’s own paper fields as it gives them, bounded, and its summary when it differs from the abstract', () => {
    const parse = (paper: Record<string, unknown>) =>
      parseDocument({ body: Buffer.from(JSON.stringify([{ paper: { id: '2607.00001', title: 'T', authors: [{ name: 'A' }], ...paper } }])), format: 'hf-daily-papers' })
        .papers[0];
    const full = parse({
      summary: 'Line one\nline two -- with ~3 tokens.',
      discussionId: '6a2c75a4a0d4daae4285f068',
      ai_summary: 'A model does a thing.',
      ai_keywords: ['graph neural networks', 7, '', 'x'.repeat(201), 'retrieval'],
      ai_summary_model: 'Org/Model-7B',
      githubRepo: 'https://huggingface.co/org/model-7b',
      githubRepoAddedBy: 'author',
    });
    expect(full.abstract).not.toBe('Line one\nline two -- with ~3 tokens.');
    expect(full.sighting.hf).toEqual({
      discussionId: '6a2c75a4a0d4daae4285f068',
      aiSummary: 'A model does a thing.',
      aiSummaryModel: 'Org/Model-7B',
      aiKeywords: ['graph neural networks', 'retrieval'],
      githubRepo: 'https://huggingface.co/org/model-7b',
      githubRepoAddedBy: 'author',
      summary: 'Line one\nline two -- with ~3 tokens.',
    });
    // a summary PaperWire keeps unchanged is not stored twice; wrong types, control characters and oversized values are no value
    // a title with HF's line break and double space: PaperWire's title is one line, HF's is kept as given
    const broken = parse({ title: 'Scaling  Laws\n  for Sparse Models', summary: 'Plain text.' });
    expect(broken.title).toBe('Scaling Laws for Sparse Models');
    expect(broken.sighting.hf).toEqual({ title: 'Scaling  Laws\n  for Sparse Models' });
    // who added a repository is said only with the repository
    expect(parse({ summary: 'Plain text.', githubRepoAddedBy: 'author' }).sighting.hf).toBeUndefined();
    const plain = parse({ summary: 'Plain text.', discussionId: 42, ai_summary: 'bad\u0000value', ai_summary_model: 'm'.repeat(201), ai_keywords: 'not a list' });
    expect(plain.abstract).toBe('Plain text.');
    expect(plain.sighting.hf).toBeUndefined();
  });

  it('keeps an item title HF gives apart from its paper title, the submitter’s display name with its handle, and the hidden authors', () => {
    const parse = (item: Record<string, unknown>) =>
      parseDocument({ body: Buffer.from(JSON.stringify([{ ...item, paper: { id: '2607.00002', title: 'Scaling\n  Laws', summary: 'S.', ...(item.paper as object) } }])), format: 'hf-daily-papers' })
        .papers[0];
    // the item title is the paper title on one line: nothing kept apart (served as such); another one is kept
    expect(parse({ title: 'Scaling Laws' }).sighting.hf).toEqual({ title: 'Scaling\n  Laws' });
    expect(parse({ title: 'Scaling laws, revisited' }).sighting.hf).toEqual({ title: 'Scaling\n  Laws', itemTitle: 'Scaling laws, revisited' });
    // the display name of the user the handle comes from: the item's submittedBy, else the paper's submittedOnDailyBy
    const by = parse({ title: 'Scaling Laws', submittedBy: { name: 'jdoe', fullname: 'Jane Doe' }, paper: { submittedOnDailyBy: { name: 'other', fullname: 'Other One' } } });
    expect([by.sighting.submittedBy, by.sighting.hf?.submitter]).toEqual(['jdoe', { name: 'jdoe', fullname: 'Jane Doe' }]);
    const onPaper = parse({ title: 'Scaling Laws', paper: { submittedOnDailyBy: { name: 'other', user: 'other', fullname: 'Other One' } } });
    expect([onPaper.sighting.submittedBy, onPaper.sighting.hf?.submitter]).toEqual(['other', { name: 'other', fullname: 'Other One' }]);
    // a display name that is the handle, or no plain one, is not kept
    expect(parse({ title: 'Scaling Laws', submittedBy: { name: 'jdoe', fullname: 'jdoe' } }).sighting.hf?.submitter).toBeUndefined();
    expect(parse({ title: 'Scaling Laws', submittedBy: { name: 'jdoe', fullname: 'Jane\u0000Doe' } }).sighting.hf?.submitter).toBeUndefined();
    expect(parse({ title: 'Scaling Laws', submittedBy: { name: 'jdoe', fullname: 7 } }).sighting.hf?.submitter).toBeUndefined();
    // hidden authors by name; hidden must be true itself
    const hidden = parse({
      title: 'Scaling Laws',
      paper: { authors: [{ name: 'A', hidden: false }, { name: 'B', hidden: true }, { name: 'C', hidden: 'true' }, { hidden: true }] },
    });
    expect(hidden.authors.map((a) => a.name)).toEqual(['A', 'B', 'C']);
    expect(hidden.sighting.hf?.hiddenAuthors).toEqual(['B']);
  });
});
