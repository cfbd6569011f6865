import { parseDocument } from '../index';
import { fixture, feedError } from '../../fixtures/fixtures';

describe('hf-papers-html', () => {
  it('reads the 13 daily papers of the saved 2024-08-01 page from data-props', () => {
    const r = parseDocument({ body: fixture('ok/hf-papers-html/slbqc_huggingface.co_papers_date-2024-08-01.html'), contentType: 'text/html' });
    expect(r.format).toBe('hf-papers-html');
    expect(r.errors).toEqual([]);
    expect(r.papers.map((p) => p.externalIds.arxiv)).toEqual([
      '2407.21783', '2407.21705', '2407.21770', '2407.21646', '2407.21772', '2407.21630', '2407.21721',
      '2407.21530', '2407.20229', '2407.21781', '2407.21686', '2407.21475', '2404.01300',
    ]);
    const llama = r.papers[0];
    expect(llama.title).toBe('The Llama 3 Herd of Models');
    expect(llama.sighting).toEqual({
      sourceItemId: '2407.21783',
      upvotes: 94,
      comments: 5,
      featuredAt: '2024-08-01T01:21:47.935Z',
      // the 2024 items have no submittedOnDailyAt: the item's own publishedAt is both
      itemPublishedAt: '2024-08-01T01:21:47.935Z',
      submittedBy: 'akhaliq',
      thumbnailUrl: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2407.21783.png',
      // HF's discussion, its summary with HF's line breaks (the abstract joins them), and the submitter's display name
      hf: {
        discussionId: '66aaf837636a86cff6f5ea39',
        summary: expect.stringMatching(/^Modern artificial intelligence \(AI\) systems are powered by foundation models\.\nThis paper/),
        submitter: { name: 'akhaliq', fullname: 'AK' },
      },
    });
    expect(llama.abstract).toMatch(/^Modern artificial intelligence \(AI\) systems are powered by foundation models\. This paper/);
    expect(llama.authors).toHaveLength(533);
    expect(llama.publishedAt).toBe('2024-07-31T17:54:27.000Z');
    expect(r.papers[1].links.project).toEqual(['https://ali-videoai.github.io/tora_video']);
  });

  it('decodes every HTML character reference in data-props, as a browser reads the attribute', () => {
    const props = JSON.stringify({
      dailyPapers: [{ title: 'X', paper: { id: '2407.00001', title: 'Caf&eacute; &mdash; &#x1F600; &lt;b&gt; &amp;amp; &bogus;', summary: 'An abstract.', authors: [{ name: 'A. B&uuml;rger' }] } }],
    });
    const body = `<html><body><div data-target="DailyPapers" data-props="${props.replace(/"/g, '&quot;')}"></div></body></html>`;
    const [p] = parseDocument({ body, format: 'hf-papers-html' }).papers;
    expect(p.title).toBe('Café — 😀 <b> &amp; &bogus;');
    expect(p.authors.map((a) => a.name)).toEqual(['A. Bürger']);
  });

  it('rejects HTML without a data-props daily papers list', () => {
    const body = fixture('not-ok/html_without-data-props.html');
    expect(feedError(() => parseDocument({ body })).code).toBe('unknown-format');
    expect(feedError(() => parseDocument({ body, format: 'hf-papers-html' })).code).toBe('malformed');
  });
});
