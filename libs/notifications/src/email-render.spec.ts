import { escapeHtml, headerSafe, safeUrl } from './html';
import { renderableLinks } from '@paperwire/contracts';
import {
  groupByTopic,
  paperLinks,
  listUnsubscribeHeaders,
  renderConfirmationEmail,
  renderDigestEmail,
  renderInstantEmail,
  type EmailPaper,
} from './email-render';

const XSS = '<img src=x onerror="alert(1)">Attention & <script>alert(\'x\')</script>';

function paper(over: Partial<EmailPaper> = {}): EmailPaper {
  return {
    id: 'p1',
    arxivId: '2611.00001',
    title: 'Sparse Caches',
    abstract: 'We cut memory.',
    authors: [{ name: 'Ada Lovelace' }],
    topics: [],
    claims: [],
    sources: [],
    codeLinks: [],
    links: {
      abs: 'https://arxiv.org/abs/2611.00001',
      pdf: 'https://arxiv.org/pdf/2611.00001',
      code: ['https://github.com/a/b'],
      project: [],
    },
    primaryTopic: 'efficiency',
    ...over,
  };
}

const base = {
  subscription: { id: 's1', name: 'My RAG feed' },
  period: { start: new Date('2026-11-23T07:00:00Z'), end: new Date('2026-11-24T07:00:00Z') },
  unsubscribeUrl: 'https://paperwire.example/unsubscribe?t=abc.def',
  appUrl: 'https://paperwire.example/',
};

describe('escapeHtml / safeUrl / headerSafe', () => {
  it('escapes every character that can open a tag or break out of an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;\``)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&#96;',
    );
    expect(escapeHtml('plain text')).toBe('plain text');
  });
  it('only lets absolute http(s) URLs through', () => {
    expect(safeUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(' JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,<b>')).toBeNull();
    expect(safeUrl('/relative')).toBeNull();
    expect(safeUrl('https://x.test/"><script>')).toBe('https://x.test/%22%3E%3Cscript%3E');
  });
  it('strips CR/LF from header values', () => {
    expect(headerSafe('Hello\r\nBcc: victim@example.com')).toBe('Hello Bcc: victim@example.com');
    expect(headerSafe('x'.repeat(300))).toHaveLength(200);
  });
});

describe('renderDigestEmail', () => {
  const papers = [
    paper({ id: 'a', title: 'Efficient A', headline: '12.2x reduction in gpu memory' }),
    paper({ id: 'b', title: 'RAG B', primaryTopic: 'rag' }),
    paper({ id: 'c', title: 'Efficient C', links: { code: [], project: [] }, arxivId: null }),
    paper({ id: 'd', title: 'Unclassified D', primaryTopic: null }),
  ];
  const email = renderDigestEmail({
    ...base,
    papers,
    mode: 'daily',
    timeZone: 'Europe/Berlin',
    topicNames: { rag: 'Retrieval-augmented generation' },
  });

  it('has a subject with the count, name and date', () => {
    expect(email.subject).toBe('PaperWire daily digest: 4 new papers for “My RAG feed” (24 Nov 2026)');
  });

  it('names the period by its days, one day once', () => {
    expect(email.text).toContain('4 new papers, 23 Nov 2026 – 24 Nov 2026');
    const sameDay = renderDigestEmail({
      ...base,
      papers,
      period: { start: new Date('2026-11-24T07:00:00Z'), end: new Date('2026-11-24T18:25:00Z') },
    });
    expect(sameDay.text).toContain('4 new papers, 24 Nov 2026\n');
    expect(sameDay.html).toContain('4 new papers, 24 Nov 2026</p>');
  });

  it('a trending digest is one ranked list in its given order, called trending papers, not grouped by topic', () => {
    const ranked = renderDigestEmail({ ...base, papers, mode: 'daily', ranked: true, topicNames: { rag: 'Retrieval-augmented generation' } });
    expect(ranked.subject).toBe('PaperWire daily digest: 4 trending papers for “My RAG feed” (24 Nov 2026)');
    for (const part of [ranked.html, ranked.text]) {
      expect(part).toContain('Top trending, highest score first');
      expect(part).not.toMatch(/efficiency \(2\)|Other \(1\)|new papers/);
      const idx = ['Efficient A', 'RAG B', 'Efficient C', 'Unclassified D'].map((t) => part.indexOf(t));
      expect(idx.every((i, k) => i >= 0 && (k === 0 || i > idx[k - 1]!))).toBe(true);
    }
    // one marker per item: the rank, not a rank and a bullet
    expect(ranked.text).toMatch(/\n1\. Efficient A/);
    expect(ranked.text).toMatch(/\n4\. Unclassified D/);
    expect(ranked.text).not.toMatch(/^\d+\. \*/m);
    const plain = renderDigestEmail({ ...base, papers });
    expect(plain.text).toMatch(/^\* Efficient A/m);
    expect(plain.text).not.toMatch(/^\d+\. /m);
    expect(ranked.html).toContain('<ol start="3"');
  });

  it('groups by primary topic, biggest first and Other last, in both parts', () => {
    const order = (s: string) =>
      ['efficiency (2)', 'Retrieval-augmented generation (1)', 'Other (1)'].map((h) => s.indexOf(h));
    for (const part of [email.html, email.text]) {
      const idx = order(part);
      expect(idx.every((i) => i >= 0)).toBe(true);
      expect([...idx].sort((x, y) => x - y)).toEqual(idx);
    }
    expect(email.text.indexOf('Efficient A')).toBeLessThan(email.text.indexOf('Efficient C'));
  });

  it('shows headline claims and arXiv/PDF/code links', () => {
    expect(email.text).toContain('Headline: 12.2x reduction in gpu memory');
    expect(email.text).toContain('arXiv: https://arxiv.org/abs/2611.00001');
    expect(email.text).toContain('PDF: https://arxiv.org/pdf/2611.00001');
    expect(email.text).toContain('Code: https://github.com/a/b');
    expect(email.html).toContain('<a href="https://github.com/a/b">Code: github.com/a/b</a>');
    expect(email.html).toContain('<strong>12.2x reduction in gpu memory</strong>');
  });

  // Two repositories read "Code · Code": each is named by host and repository, the same one given twice once.
  it('names each code repository (host/owner/repo) in the HTML, and lists the same one once', () => {
    const two = renderInstantEmail({
      ...base,
      paper: paper({
        links: { code: ['https://github.com/org/model', 'https://gitlab.com/lab/tool.git'], project: [] },
        codeLinks: ['https://github.com/org/model/'],
      }),
    });
    expect(two.html).toContain('<a href="https://github.com/org/model">Code: github.com/org/model</a> · <a href="https://gitlab.com/lab/tool.git">Code: gitlab.com/lab/tool</a>');
    expect(two.html).not.toContain('Code</a> · ');
    expect(two.text.match(/Code: /g)).toHaveLength(2);
  });

  // Review 25: the page said "Model on Hugging Face", the mail "Code: huggingface.co/…".
  it('names a Hugging Face model listed with the code as a model, as the paper page does', () => {
    const mail = renderDigestEmail({
      ...base,
      papers: [paper({ links: { code: ['https://huggingface.co/MiniMaxAI/MiniMax-M3', 'https://github.com/a/b'], project: [] }, codeLinks: [] })],
    });
    expect(mail.text).toContain('Model: https://huggingface.co/MiniMaxAI/MiniMax-M3');
    expect(mail.html).toContain('<a href="https://huggingface.co/MiniMaxAI/MiniMax-M3">Model: huggingface.co/MiniMaxAI/MiniMax-M3</a>');
    expect(mail.text).toContain('Code: https://github.com/a/b');
    expect(mail.text).not.toContain('Code: https://huggingface.co');
  });

  // Review 26: "Project: huggingface.co/collections/P1n3" read like a user's page (the label kept two path segments).
  it('names a project link by its whole address (or cut with "…"), never by a truncation that names another page', () => {
    const collection = 'https://huggingface.co/collections/P1n3/sparse-attention-models-6750c0ffee';
    const long = `https://example.org/lab/projects/${'very-long-segment/'.repeat(5)}index.html`;
    const mail = renderDigestEmail({
      ...base,
      papers: [
        paper({ links: { code: [], project: [collection] }, codeLinks: [] }),
        paper({ id: 'p2', links: { code: ['https://huggingface.co/datasets/org/corpus'], project: [long] }, codeLinks: [] }),
      ],
    });
    expect(mail.html).toContain(`<a href="${collection}">Project: huggingface.co/collections/P1n3/sparse-attention-models-6750c0ffee</a>`);
    expect(mail.html).not.toContain('Project: huggingface.co/collections/P1n3<');
    expect(mail.html).toContain('>Dataset: huggingface.co/datasets/org/corpus</a>');
    expect(mail.html).toContain('>Project: example.org/lab/projects/very-long-segment/very-long-segment/very-long-…</a>');
  });

  it('a digest shows each abstract clipped short (300 characters) and the upvotes when there are any', () => {
    const long = 'word '.repeat(200).trim();
    const mail = renderDigestEmail({ ...base, papers: [paper({ abstract: long, upvotes: 1 }), paper({ id: 'p2', title: 'Second', upvotes: null })] });
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('▲ 1 upvote');
      expect(part).not.toContain('▲ 0');
      expect(part.replace(/\s+/g, ' ')).toContain(`${'word '.repeat(59)}word…`);
      expect(part).not.toContain('word '.repeat(61));
    }
  });

  // Why a paper trends: every signal it has, not upvotes alone (0 upvotes and 2 comments still says something).
  it('a digest shows the comments and GitHub stars a paper has, with or without upvotes, in both parts', () => {
    const mail = renderDigestEmail({
      ...base,
      ranked: true,
      papers: [
        paper({ upvotes: 0, comments: 2, githubStars: null }),
        paper({ id: 'p2', title: 'Second', upvotes: 7, comments: 1, githubStars: 1200 }),
        paper({ id: 'p3', title: 'Third', upvotes: null, comments: 0, githubStars: 0 }),
      ],
    });
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('2 comments');
      expect(part).toContain('▲ 7 upvotes · 1 comment · ★ 1,200 GitHub stars');
      expect(part).not.toMatch(/▲ 0|\b0 comments|\b0 GitHub stars/);
    }
  });

  it('does not repeat a subscription named like what the digest carries in the subject', () => {
    const named = (name: string, ranked: boolean) =>
      renderDigestEmail({ ...base, subscription: { ...base.subscription, name }, papers, mode: 'daily', ranked }).subject;
    expect(named('Trending papers', true)).toBe('PaperWire daily digest: 4 trending papers (24 Nov 2026)');
    expect(named('trending', true)).toBe('PaperWire daily digest: 4 trending papers (24 Nov 2026)');
    expect(named('New papers', false)).toBe('PaperWire daily digest: 4 new papers (24 Nov 2026)');
    expect(named('Trending papers', false)).toBe('PaperWire daily digest: 4 new papers for “Trending papers” (24 Nov 2026)');
    expect(named('Trending RAG papers', true)).toBe('PaperWire daily digest: 4 trending papers for “Trending RAG papers” (24 Nov 2026)');
  });

  it('says each thing once in the subject, over the names the product generates and names readers give', () => {
    const cut = (name: string, ranked: boolean, total: number) =>
      renderDigestEmail({ ...base, subscription: { ...base.subscription, name }, papers, mode: 'daily', ranked, total }).subject;
    // the home page's topic subscriptions ("Trending papers: <topics>")
    expect(cut('Trending papers: Efficiency', true, 45)).toBe('PaperWire daily digest: 4 of 45 trending papers in Efficiency (24 Nov 2026)');
    expect(cut('Trending papers: Efficiency, Robotics', true, 45)).toBe(
      'PaperWire daily digest: 4 of 45 trending papers in Efficiency, Robotics (24 Nov 2026)',
    );
    expect(cut('Trending papers', true, 45)).toBe('PaperWire daily digest: 4 of 45 trending papers (24 Nov 2026)');
    // names that say the digest's kind
    expect(cut('Daily digest', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers (24 Nov 2026)');
    expect(cut('PaperWire daily digest', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers (24 Nov 2026)');
    expect(cut('Daily digest: RAG', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers for “RAG” (24 Nov 2026)');
    expect(cut('Daily digest - RAG', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers for “RAG” (24 Nov 2026)');
    // readers' own names stay whole
    expect(cut('My RAG feed', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers for “My RAG feed” (24 Nov 2026)');
    expect(cut('Weekly digest', false, 331)).toBe('PaperWire daily digest: 4 of 331 new papers for “Weekly digest” (24 Nov 2026)');
    expect(cut('Trending papers: Efficiency', false, 331)).toBe(
      'PaperWire daily digest: 4 of 331 new papers for “Trending papers: Efficiency” (24 Nov 2026)',
    );
    expect(cut('Robotics: grasping', true, 45)).toBe('PaperWire daily digest: 4 of 45 trending papers for “Robotics: grasping” (24 Nov 2026)');
  });

  it('has a working unsubscribe link in both parts', () => {
    expect(email.text).toContain(`Unsubscribe: ${base.unsubscribeUrl}`);
    expect(email.html).toContain(`<a href="${escapeHtml(base.unsubscribeUrl)}">Unsubscribe</a>`);
  });

  it('escapes hostile titles, authors, headlines and drops javascript: links', () => {
    const evil = renderDigestEmail({
      ...base,
      subscription: { id: 's', name: '"><b>sub</b>' },
      papers: [
        paper({
          title: XSS,
          authors: [{ name: '<b>Mallory</b>' }],
          headline: '<i>100x</i>',
          links: { abs: 'javascript:alert(1)', code: ['https://ok.test/"onmouseover="x'], project: [] },
          arxivId: null,
        }),
      ],
    });
    expect(evil.html).not.toMatch(/<script|<img|<b>Mallory|<i>100x|<b>sub|javascript:/i);
    expect(evil.html).toContain(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Attention &amp; &lt;script&gt;',
    );
    expect(evil.html).not.toContain('"onmouseover');
    // the text part keeps the title readable
    expect(evil.text).toContain(`* <img src=x onerror="alert(1)">Attention & <script>alert('x')</script>`);
  });

  // A stored abstract/PDF link that is not a web address (javascript:, relative, ftp:) is dropped, and the email
  // links arXiv's pages from the arXiv id instead, as the paper page and the feeds do (renderableLinks).
  it('links arXiv from the arXiv id when the stored abstract and PDF links are not http(s), as the pages do', () => {
    const stored = { abs: 'javascript:alert(1)', pdf: '/pdf/2611.00001', code: [], project: [] };
    const links = paperLinks(paper({ links: stored }));
    expect(links.filter((l) => l.label !== 'Code')).toEqual([
      { label: 'arXiv', name: 'arXiv', url: 'https://arxiv.org/abs/2611.00001' },
      { label: 'PDF', name: 'PDF', url: 'https://arxiv.org/pdf/2611.00001' },
    ]);
    const page = renderableLinks({ links: stored, arxivId: '2611.00001' });
    expect(links.map((l) => l.url).slice(0, 2)).toEqual([page.abs, page.pdf]);
    const email = renderInstantEmail({ ...base, paper: paper({ links: stored }) });
    for (const part of [email.html, email.text]) {
      expect(part).toContain('https://arxiv.org/abs/2611.00001');
      expect(part).toContain('https://arxiv.org/pdf/2611.00001');
      expect(part).not.toMatch(/javascript:|"\/pdf\//);
    }
    // stored web links win; without an arXiv id and a web link, no arXiv link at all
    expect(paperLinks(paper({ links: { ...stored, abs: 'https://example.org/abs' } }))[0]).toEqual({ label: 'arXiv', name: 'arXiv', url: 'https://example.org/abs' });
    expect(paperLinks(paper({ links: stored, arxivId: null }))).toEqual([]);
  });

  it('lists a model by its kind and the project page, as the paper page does', () => {
    const links = paperLinks(
      paper({ links: { code: ['https://huggingface.co/acme/slim-7b'], project: ['https://acme.example/slim', 'https://acme.example/other'] } }),
    );
    expect(links.filter((l) => !['arXiv', 'PDF'].includes(l.label))).toEqual([
      { label: 'Model', name: 'Model: huggingface.co/acme/slim-7b', url: 'https://huggingface.co/acme/slim-7b' },
      { label: 'Project', name: 'Project: acme.example/slim', url: 'https://acme.example/slim' },
    ]);
  });

  it("links the title to the paper's PaperWire page, never to code", () => {
    expect(email.html).toContain(
      '<a href="https://paperwire.example/papers/2611.00001" style="color:#0969da;text-decoration:none">Efficient A</a>',
    );
    expect(email.html).toContain('<a href="https://arxiv.org/abs/2611.00001"');
    expect(email.text).toContain('  https://paperwire.example/papers/2611.00001');
    const codeOnly = renderDigestEmail({
      ...base,
      papers: [paper({ id: 'p9', arxivId: null, links: { code: ['https://github.com/c/d'], project: [] } })],
    });
    expect(codeOnly.html).toContain('<a href="https://paperwire.example/papers/p9" style="color:#0969da;text-decoration:none">Sparse Caches</a>');
    expect(codeOnly.html).not.toMatch(/href="https:\/\/github\.com\/c\/d" style="color:#0969da;text-decoration:none"/);
  });

  it('still renders an empty digest', () => {
    const empty = renderDigestEmail({ ...base, papers: [] });
    expect(empty.subject).toContain('0 new papers');
    expect(empty.text).toContain('No new papers matched this period.');
  });

  it('refuses unsafe unsubscribe/app URLs', () => {
    expect(() => renderDigestEmail({ ...base, papers: [], unsubscribeUrl: 'javascript:x' })).toThrow(
      /unsubscribeUrl/,
    );
  });
});

describe('renderInstantEmail', () => {
  it('renders title, abstract, reasons and links, escaped', () => {
    const e = renderInstantEmail({
      ...base,
      paper: paper({ title: 'A <new> method\r\nBcc: x', abstract: 'We show 5 & 6.' }),
      reasons: ['topic rag (0.82)'],
    });
    expect(e.subject).toBe('[PaperWire] A <new> method Bcc: x');
    expect(e.html).toContain('A &lt;new&gt; method');
    expect(e.html).toContain('We show 5 &amp; 6.');
    expect(e.html).toContain('Matched: topic rag (0.82)');
    expect(e.text).toContain('Matched: topic rag (0.82)');
    expect(e.text).toContain('We show 5 & 6.');
    expect(e.text).toContain('New paper for “My RAG feed” in efficiency');
  });
});

describe('renderConfirmationEmail', () => {
  it('has the confirm link and the filter in words, in both parts', () => {
    const e = renderConfirmationEmail({
      confirmUrl: 'https://paperwire.example/confirm?t=a.b',
      appUrl: base.appUrl,
      subscription: {
        name: 'Memory <wins>',
        mode: 'weekly',
        filter: { claims: [{ kind: 'reduction', unit: 'x', min: 10, metric: 'memory' }] },
      },
      expiresAt: new Date('2026-11-26T12:00:00Z'),
    });
    expect(e.subject).toBe('Confirm your PaperWire subscription “Memory <wins>”');
    expect(e.html).toContain('href="https://paperwire.example/confirm?t=a.b"');
    expect(e.html).toContain('Memory &lt;wins&gt;');
    expect(e.text).toContain('Confirm: https://paperwire.example/confirm?t=a.b');
    expect(e.text).toContain('- claims: reduction in memory at least 10x');
    expect(e.text).toContain('a weekly digest');
    expect(e.text).toContain('- sent: up to 50 matching new papers a week; each paper once');
    expect(e.text).toMatch(/expires on 26 Nov 2026/);
  });

  it('says what a capped trending digest sends, never "every paper"', () => {
    const e = renderConfirmationEmail({
      confirmUrl: 'https://paperwire.example/confirm?t=a.b',
      appUrl: base.appUrl,
      subscription: { name: 'Trending papers', mode: 'daily', filter: {}, digest: { limit: 10, sort: 'trending' } },
    });
    for (const part of [e.text, e.html]) {
      expect(part).not.toContain('every paper');
      expect(part).toContain('up to 10 trending papers a day, the most trending first; each paper once');
    }
    // an instant subscription without filters does get every paper
    const instant = renderConfirmationEmail({
      confirmUrl: 'https://paperwire.example/confirm?t=a.b',
      appUrl: base.appUrl,
      subscription: { name: 'All', mode: 'instant', filter: {} },
    });
    expect(instant.text).toContain('- every paper');
  });
});

describe('groupByTopic and listUnsubscribeHeaders', () => {
  it('orders groups by size then name', () => {
    const g = groupByTopic([
      paper({ primaryTopic: 'b' }),
      paper({ primaryTopic: 'a' }),
      paper({ primaryTopic: null }),
      paper({ primaryTopic: 'b' }),
    ]);
    expect(g.map((x) => `${x.topic}:${x.papers.length}`)).toEqual(['b:2', 'a:1', 'Other:1']);
  });
  it('builds RFC 8058 one-click headers', () => {
    expect(listUnsubscribeHeaders(base.unsubscribeUrl, 'unsub@paperwire.example')).toEqual({
      'List-Unsubscribe': `<${base.unsubscribeUrl}>, <mailto:unsub@paperwire.example>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});

// A user's review (session 25): the confirmation mail listed slugs beside a subject of names and said "a daily digest"
// but not when; a digest for two topics had a section per primary topic (one the subscription never named); titles
// kept their raw LaTeX.
describe('mail wording after review 25', () => {
  const names = { efficiency: 'Efficiency', 'vision-language': 'Vision and language', retrieval: 'Retrieval and ranking' };

  it('the confirmation names the topics as the subject does, and says when the digest goes out', () => {
    const mail = renderConfirmationEmail({
      confirmUrl: 'https://paperwire.example/confirm?t=a.b',
      appUrl: base.appUrl,
      subscription: {
        name: 'Trending papers: Efficiency, Vision and language',
        mode: 'daily',
        filter: { topics: { slugs: ['efficiency', 'vision-language'], match: 'any' } },
        digest: { limit: 10, sort: 'trending' },
        schedule: { hour: 8, timeZone: 'UTC' },
      },
      topicNames: names,
    });
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('topics: Efficiency or Vision and language');
      expect(part).not.toContain('vision-language');
      expect(part).toContain('delivered as a daily digest at 08:00 UTC');
    }
    const weekly = renderConfirmationEmail({
      confirmUrl: 'https://paperwire.example/confirm?t=a.b',
      appUrl: base.appUrl,
      subscription: { name: 'w', mode: 'weekly', filter: {}, schedule: { hour: 7, minute: 30, timeZone: 'Europe/Paris', weekday: 3 } },
    });
    expect(weekly.text).toContain('delivered as a weekly digest on Wednesdays at 07:30 Europe/Paris time');
  });

  it("groups a digest by the subscription's own topics: a paper under the first of them it has", () => {
    const papers = [
      // primary topic retrieval, but it has efficiency: under Efficiency, no "Retrieval and ranking" section
      paper({ id: 'a', title: 'A', primaryTopic: 'retrieval', topics: [{ slug: 'retrieval', score: 0.9, evidence: [] }, { slug: 'efficiency', score: 0.4, evidence: [] }] }),
      paper({ id: 'b', title: 'B', primaryTopic: 'vision-language', topics: [{ slug: 'vision-language', score: 0.8, evidence: [] }, { slug: 'efficiency', score: 0.2, evidence: [] }] }),
      paper({ id: 'c', title: 'C', primaryTopic: 'vision-language', topics: [{ slug: 'vision-language', score: 0.8, evidence: [] }] }),
    ];
    const mail = renderDigestEmail({ ...base, mode: 'daily', papers, topicNames: names, topics: { slugs: ['efficiency', 'vision-language'] } });
    expect(mail.text.match(/^== .* ==$/gm)).toEqual(['== Efficiency (2) ==', '== Vision and language (1) ==']);
    // a score under the subscription's minScore does not count (as the matcher reads it)
    const strict = groupByTopic(papers, names, { slugs: ['efficiency', 'vision-language'], minScore: 0.3 });
    expect(strict.map((g) => `${g.topic}:${g.papers.map((p) => p.id).join('')}`)).toEqual(['Efficiency:a', 'Vision and language:bc']);
  });

  it('renders titles and abstracts as the pages do: no raw LaTeX in a mail', () => {
    const p = paper({ title: 'Attention in $O(n^2)$ time', abstract: 'We reach $10\\times$ speed.' });
    const digest = renderDigestEmail({ ...base, papers: [p] });
    const instant = renderInstantEmail({ ...base, paper: p });
    for (const part of [digest.text, digest.html, instant.text, instant.html, instant.subject]) {
      expect(part).toContain('Attention in O(n²) time');
      expect(part).not.toContain('$O(n^2)$');
    }
    expect(digest.text).toContain('We reach 10× speed.');
  });
});
