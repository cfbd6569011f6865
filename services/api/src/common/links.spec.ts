import { renderableLinks } from './links';

describe('links rendered on pages and in feeds', () => {
  it('falls back to arXiv for the abstract and PDF, and drops repeats and non-web code and project links', () => {
    const links = renderableLinks({
      arxivId: '2401.00001',
      links: { abs: 'javascript:x', pdf: 'https://pdf.example/p.pdf', code: ['https://github.com/a/b', 'data:x', 'https://github.com/a/b'], project: ['vbscript:y'] },
    });
    expect(links).toEqual({ abs: 'https://arxiv.org/abs/2401.00001', pdf: 'https://pdf.example/p.pdf', code: ['https://github.com/a/b'], project: [] });
    expect(renderableLinks({ arxivId: null, links: { abs: 'data:x', code: [], project: [] } })).toEqual({ abs: undefined, pdf: undefined, code: [], project: [] });
  });
});
