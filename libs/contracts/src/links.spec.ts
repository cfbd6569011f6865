import { httpHref, labelledLinks, linkIdentity, renderableLinks, webLinks } from './links';

describe('links stored from sources, as readers get them', () => {
  it('httpHref keeps absolute http(s) addresses only', () => {
    for (const ok of ['https://github.com/a/b', 'http://example.org/', 'HTTPS://EXAMPLE.ORG/x?y=1#z'])
      expect(httpHref(ok)).toBe(ok);
    expect(httpHref('  https://example.org/p  ')).toBe('https://example.org/p');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:x',
      'data:text/html,<b>',
      'vbscript:x',
      'file:///etc/passwd',
      'ftp://x.org/f',
      '//evil.example/x',
      '/relative',
      'not a url',
      '',
      null,
      undefined,
    ])
      expect(httpHref(bad)).toBeUndefined();
  });

  it('webLinks drops what is not a web address and repeats, and leaves abs / pdf out rather than null', () => {
    expect(
      webLinks({
        abs: 'javascript:alert(1)',
        pdf: ' https://pdf.example/p.pdf ',
        code: ['https://github.com/a/b', 'data:text/html,x', 'https://github.com/a/b', ' JavaScript:x'],
        project: ['vbscript:y', 'http://project.example/'],
      }),
    ).toEqual({
      pdf: 'https://pdf.example/p.pdf',
      code: ['https://github.com/a/b'],
      project: ['http://project.example/'],
    });
    const none = webLinks({ abs: 'data:x', pdf: '/relative', code: [], project: [] });
    expect(none).toEqual({ code: [], project: [] });
    expect('abs' in none || 'pdf' in none).toBe(false);
    // Rows written before links had both arrays.
    expect(webLinks(null)).toEqual({ code: [], project: [] });
    expect(webLinks({ abs: 'https://example.org/abs' })).toEqual({
      abs: 'https://example.org/abs',
      code: [],
      project: [],
    });
  });
});

describe('links rendered on pages, in feeds and in emails', () => {
  it('falls back to arXiv for the abstract and PDF, and drops repeats and non-web code and project links', () => {
    const links = renderableLinks({
      arxivId: '2401.00001',
      links: { abs: 'javascript:x', pdf: 'https://pdf.example/p.pdf', code: ['https://github.com/a/b', 'data:x', 'https://github.com/a/b'], project: ['vbscript:y'] },
    });
    expect(links).toEqual({ abs: 'https://arxiv.org/abs/2401.00001', pdf: 'https://pdf.example/p.pdf', code: ['https://github.com/a/b'], project: [] });
    expect(renderableLinks({ arxivId: null, links: { abs: 'data:x', code: [], project: [] } })).toEqual({ abs: undefined, pdf: undefined, code: [], project: [] });
  });
});

describe('labelledLinks: each link by what it is, each page once', () => {
  it('labels code hosts, Hugging Face models, datasets and Spaces, and project pages', () => {
    const links = labelledLinks({
      code: [
        'https://github.com/MiniMax-AI/MSA',
        'https://huggingface.co/MiniMaxAI/MiniMax-M3',
        'https://gitlab.com/group/tool',
        'https://huggingface.co/datasets/org/set',
        'https://huggingface.co/spaces/org/demo',
        'https://example.org/code.zip',
      ],
      project: ['https://evoarena.github.io/EvoArena/', 'https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1', 'https://huggingface.co/papers/2606.13392'],
    });
    expect(links.map((l) => [l.kind, l.label, l.listedAs])).toEqual([
      ['code', 'Code on GitHub', 'code'],
      ['model', 'Model on Hugging Face', 'code'],
      ['code', 'Code on GitLab', 'code'],
      ['dataset', 'Dataset on Hugging Face', 'code'],
      ['space', 'Space on Hugging Face', 'code'],
      ['code', 'Code', 'code'],
      ['project', 'Project page', 'project'],
      ['space', 'Space on Hugging Face', 'project'],
      // HF's own paper page is no model
      ['project', 'Project page', 'project'],
    ]);
  });

  it('shows a page once, as first given: a trailing slash, www., the host case or .git make no other page', () => {
    const links = labelledLinks({
      code: ['https://github.com/a/b', 'https://www.GitHub.com/a/b/', 'javascript:alert(1)', 'https://github.com/a/b.git'],
      project: ['https://github.com/a/b/', 'https://a.github.io/p/', 'https://a.github.io/p'],
    });
    expect(links.map((l) => l.url)).toEqual(['https://github.com/a/b', 'https://a.github.io/p/']);
    expect(linkIdentity('https://a.github.io/p/?x=1#top')).toBe(linkIdentity('http://A.github.io/p?x=1'));
    expect(linkIdentity('https://a.github.io/p?x=1')).not.toBe(linkIdentity('https://a.github.io/p?x=2'));
  });
});
